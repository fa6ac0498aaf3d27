"""Languages: every page string lives in the gettext catalogs, in Bahasa Indonesia and in English."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po

from loket.i18n import LANGUAGES, TRANSLATIONS

PACKAGE = Path(__file__).resolve().parents[2] / "loket"


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def test_every_page_string_has_both_languages():
    ids = {(m.context, m.id): m.string for m in _catalog("id") if m.context}
    ens = {(m.context, m.id): m.string for m in _catalog("en") if m.context}
    assert ids.keys() == ens.keys()
    assert len(ids) > 700
    assert [key for key, text in ids.items() if not text] == []
    assert [key for key, text in ens.items() if not text] == []


def test_no_script_carries_its_own_dictionary_of_texts():
    """Texts come from the catalogs, not from {id, en} dictionaries typed into the scripts."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.js")
        if "vendor" not in path.parts and re.search(r"addStrings\(\s*\{", path.read_text())
    ]
    assert offenders == []


def _strings(html: str, scope: str) -> dict:
    match = re.search(rf'<script type="application/json" data-strings-scope="{re.escape(scope)}">(.*?)</script>', html)
    assert match, f"no strings for {scope}"
    return json.loads(match.group(1))


def test_the_kiosk_page_carries_its_strings_in_both_languages(client):
    html = client.get("/kiosk/").get_data(as_text=True)
    strings = _strings(html, "kiosk/kiosk")
    assert strings["title"] == {"id": "Ambil Nomor Antrean", "en": "Take a Queue Number"}
    assert html.index('data-strings-scope="kiosk/kiosk"') < html.index("kiosk/kiosk.js")


def test_a_page_gets_the_strings_of_every_module_its_script_imports(client):
    """The desk's entry module imports the shell, the messages and its strings module: all three are on the page."""
    html = client.get("/counter/").get_data(as_text=True)
    assert _strings(html, "counter/strings")["title"] == {"id": "Meja Petugas", "en": "Officer Desk"}
    assert _strings(html, "js/shell")["logout"]["id"] == "Keluar"
    assert _strings(html, "js/messages")["close"] == {"id": "Tutup", "en": "Close"}


def test_a_staff_page_carries_the_shell_and_its_own_strings(client):
    html = client.get("/admin/users").get_data(as_text=True)
    assert _strings(html, "js/shell")["logout"] == {"id": "Keluar", "en": "Log out"}
    assert "title" in _strings(html, "admin/users")


def test_every_page_scope_exists_in_both_catalogs():
    """The scopes the pages ask for are in both catalogs."""
    for lang in LANGUAGES:
        scopes = {m.context for m in _catalog(lang) if m.context}
        assert {"kiosk/kiosk", "display/display", "counter/strings", "js/shell", "survey/survey"} <= scopes
