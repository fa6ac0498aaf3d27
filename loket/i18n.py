"""Languages: Bahasa Indonesia first, English beside it, from one set of gettext catalogs.

`loket/translations/<lang>/LC_MESSAGES/messages.po` holds every string a resident or an
officer reads:

- the server's own messages (errors, refusals, validation problems): the msgid is the Indonesian
  text, the English catalog translates it; Python code marks them with `_()` from
  `loket.core.messages` (no Flask, so the domain can), and `loket.http` translates them into the
  request's language; `make i18n` gathers them (babel.cfg);
- the pages' strings: msgctxt is the page scope (the script that uses them, e.g. `kiosk/kiosk`),
  msgid the key the script looks up, and each catalog holds that language's text. A page gets
  the scopes its ES modules ask for (`pageStrings("kiosk/kiosk")`), found by following the
  entry module's imports, in both languages as JSON elements beside its script
  (`{{ module_strings('kiosk.static', 'kiosk/kiosk.js') }}`), because residents switch language
  on the kiosk without a reload.

The pages' JavaScript sends the language it shows in the `X-Loket-Lang` header, so the API answers
in that language whatever the browser's own Accept-Language says.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, request
from flask_babel import Babel
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANG_HEADER = "X-Loket-Lang"

babel = Babel()


def select_language() -> str:
    """The page's own choice (`?lang=` or the X-Loket-Lang header), else the browser's, else Indonesian."""
    for asked in (request.args.get("lang"), request.headers.get(LANG_HEADER)):
        if asked in LANGUAGES:
            return asked
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def _po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def compile_catalogs() -> None:
    """Write each messages.mo that is missing or older than its .po (gettext reads only .mo files)."""
    for lang in LANGUAGES:
        po = _po_path(lang)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=lang)
            with mo.open("wb") as target:
                write_mo(target, catalog)


@lru_cache(maxsize=1)
def _page_catalog() -> dict[str, dict[str, dict[str, str]]]:
    """{scope: {key: {lang: text}}} for every page string in both catalogs, read once per process."""
    scopes: dict[str, dict[str, dict[str, str]]] = {}
    for lang in LANGUAGES:
        with _po_path(lang).open("rb") as source:
            catalog = read_po(source, locale=lang)
        for message in catalog:
            if message.context and message.id and message.string:
                scopes.setdefault(message.context, {}).setdefault(str(message.id), {})[lang] = str(message.string)
    return scopes


def page_strings(*scopes: str) -> dict[str, dict[str, dict[str, str]]]:
    """The strings of these page scopes in both languages: {scope: {key: {id, en}}}."""
    catalog = _page_catalog()
    missing = [scope for scope in scopes if scope not in catalog]
    if missing:
        raise KeyError(f"no page strings for {missing} in {TRANSLATIONS}")
    return {scope: catalog[scope] for scope in scopes}


def page_strings_tag(*scopes: str) -> Markup:
    """The scopes' strings as JSON script elements, one per scope, for `pageStrings(scope)` in i18n.js."""
    tags = [
        f'<script type="application/json" data-strings-scope="{escape(scope)}">{htmlsafe_json_dumps(strings)}</script>'
        for scope, strings in page_strings(*scopes).items()
    ]
    return Markup("\n".join(tags))


_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"';]*?(?:from\s*)?["']([^"']+\.js)["']""", re.M)
_SCOPE = re.compile(r"""pageStrings\(\s*["']([^"']+)["']\s*\)""")


@lru_cache(maxsize=64)
def module_scopes(entry: Path) -> tuple[str, ...]:
    """The string scopes a page's ES module and everything it imports ask for, in import order."""
    shared = Path(__file__).resolve().parent / "static" / "js"
    seen: set[Path] = set()
    scopes: list[str] = []

    def visit(path: Path) -> None:
        if path in seen or not path.is_file():
            return
        seen.add(path)
        source = path.read_text(encoding="utf-8")
        for spec in _IMPORT.findall(source):
            visit(shared / spec.removeprefix("loket/") if spec.startswith("loket/") else (path.parent / spec).resolve())
        scopes.extend(scope for scope in _SCOPE.findall(source) if scope not in scopes)

    visit(entry.resolve())
    return tuple(scopes)


def module_strings(endpoint: str, filename: str) -> Markup:
    """The strings a page's entry module needs (as url_for's static endpoint and filename), as JSON elements."""
    blueprint = endpoint.rpartition(".")[0]
    folder = current_app.blueprints[blueprint].static_folder if blueprint else current_app.static_folder
    return page_strings_tag(*module_scopes(Path(str(folder)) / filename))


def init_app(app: Flask) -> None:
    """Flask-Babel with Loket's language choice; `page_strings` for the templates."""
    compile_catalogs()
    babel.init_app(
        app,
        default_locale=DEFAULT_LANGUAGE,
        default_translation_directories=str(TRANSLATIONS),
        locale_selector=select_language,
    )
    app.jinja_env.globals["module_strings"] = module_strings
