"""The server's messages come from the gettext catalogs, in the language of the request."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import loket
from loket.core.messages import _
from loket.http import in_every_language, translate
from loket.i18n import TRANSLATIONS

ROOT = Path(loket.__file__).resolve().parent.parent
#: Words the two languages share (a role's name, a column heading, an index's abbreviation).
SAME_IN_BOTH = {"Operator", "No", "NRR"}
WRONG_LOGIN = {"id": "Nama pengguna atau kata sandi salah.", "en": "Wrong username or password."}


def _refused_login(client, **headers):
    token = client.get("/api/csrf").get_json()["csrf_token"]
    r = client.post(
        "/api/login", json={"username": "admin", "password": "salah-sekali"}, headers={"X-CSRFToken": token, **headers}
    )
    assert r.status_code == 401, r.get_json()
    return r.get_json()


def test_a_refusal_answers_in_indonesian_unless_the_request_asks_for_english(client):
    default = _refused_login(client)
    assert (default["error"], default["message"], default["label"]) == ("bad_login", WRONG_LOGIN["id"], WRONG_LOGIN)

    assert _refused_login(client, **{"X-Loket-Lang": "en"})["message"] == WRONG_LOGIN["en"]
    assert _refused_login(client, **{"Accept-Language": "en-US,en;q=0.9"})["message"] == WRONG_LOGIN["en"]
    # The page's own language (the header its script sends) wins over the browser's.
    both = _refused_login(client, **{"Accept-Language": "en-US,en;q=0.9", "X-Loket-Lang": "id"})
    assert (both["message"], both["label"]) == (WRONG_LOGIN["id"], WRONG_LOGIN)


def _bad_counter(admin, lang: str | None):
    headers = {**admin.csrf(), **({"X-Loket-Lang": lang} if lang else {})}
    r = admin.client.post(
        "/api/admin/counters", json={"name": "", "number": "x", "roles": ["pelayanan"]}, headers=headers
    )
    assert r.status_code == 400, r.get_json()
    return r.get_json()


def test_validation_problems_come_back_in_the_language_of_the_request(staff):
    admin = staff("admin", "admin")
    name = {"id": "Isi nama loket (maks. 60 huruf).", "en": "Enter a name, at most 60 characters."}
    number = {"id": "Nomor loket 1 sampai 999.", "en": "A counter number from 1 to 999."}

    indonesian = _bad_counter(admin, None)
    assert indonesian["error"] == "invalid"
    assert indonesian["message"] == "Isian belum benar. Periksa kolom yang ditandai."
    assert indonesian["label"]["en"] == "Please correct the marked fields."
    assert indonesian["problems"] == [
        {"field": "name", "message": name["id"], "label": name},
        {"field": "number", "message": number["id"], "label": number},
    ]

    english = _bad_counter(admin, "en")
    assert english["message"] == "Please correct the marked fields."
    assert [(p["field"], p["message"]) for p in english["problems"]] == [
        ("name", name["en"]),
        ("number", number["en"]),
    ]


def test_pydantic_s_own_complaints_are_said_in_the_catalogs_words(staff):
    admin = staff("admin", "admin")
    changes = {"calls_before_no_show": 0, "blanko_stock": -1, "personal_data_retention_days": "lama", "warna": 1}
    expected = {
        "calls_before_no_show": {"id": "Paling kecil 1.", "en": "At least 1."},  # greater_than_equal, ge=1
        "blanko_stock": {"id": "Tidak boleh negatif.", "en": "Must not be negative."},  # ge=0
        "personal_data_retention_days": {"id": "Harus berupa bilangan bulat.", "en": "Must be a whole number."},
        "warna": {"id": "Isian ini tidak dikenal.", "en": "Unknown field."},  # extra_forbidden
    }
    for lang in ("id", "en"):
        r = admin.client.put("/api/admin/settings", json=changes, headers={**admin.csrf(), "X-Loket-Lang": lang})
        assert r.status_code == 400, r.get_json()
        problems = {p["field"]: p for p in r.get_json()["problems"]}
        assert {field: p["message"] for field, p in problems.items()} == {f: e[lang] for f, e in expected.items()}
        assert {field: p["label"] for field, p in problems.items()} == expected


def test_a_message_with_values_puts_each_value_in_the_same_language(app):
    message = _(
        "Tidak bisa '%(action)s': status berkas '%(state)s'.",
        action="panggil",
        state={"id": "Selesai", "en": "Done"},
    )
    assert message == "Tidak bisa 'panggil': status berkas 'Selesai'."  # the domain reads it in Indonesian
    with app.test_request_context("/", headers={"X-Loket-Lang": "en"}):
        assert translate(message) == "Cannot 'panggil' a berkas whose state is 'Done'."
        assert in_every_language(message) == {
            "id": "Tidak bisa 'panggil': status berkas 'Selesai'.",
            "en": "Cannot 'panggil' a berkas whose state is 'Done'.",
        }


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _marked_messages() -> dict[str, str]:
    """Every msgid marked with _() in the package, as `pybabel extract` (make i18n) finds it: {msgid: where}."""
    found = {}
    for filename, lineno, msgid, _comments, _context in extract_from_dir(
        ROOT / "loket", method_map=[("**.py", "python")]
    ):
        found.setdefault(msgid if isinstance(msgid, str) else msgid[0], f"loket/{filename}:{lineno}")
    return found


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_marked_message_has_its_english_and_its_place_in_the_indonesian_catalog():
    marked = _marked_messages()
    assert len(marked) > 100  # the extraction really reads the package
    en, id_ = _catalog("en"), _catalog("id")
    for msgid, where in marked.items():
        english = en.get(msgid)
        assert english is not None and english.string, f"{where}: no English for {msgid!r}"
        assert id_.get(msgid) is not None, f"{where}: {msgid!r} is not in the id catalog"
        assert sorted(PLACEHOLDER.findall(english.string)) == sorted(PLACEHOLDER.findall(msgid)), where
        if msgid not in SAME_IN_BOTH:
            assert english.string != msgid, f"{where}: the English is the Indonesian text"


def test_the_pages_strings_stay_in_both_catalogs_beside_the_server_messages():
    for lang in ("id", "en"):
        catalog = _catalog(lang)
        pages = [m for m in catalog if m.id and m.context]
        assert len(pages) > 500 and all(m.string for m in pages), lang
        assert not catalog.obsolete, lang


def test_a_refused_step_action_names_the_action_and_the_state_in_the_request_language(client, staff):
    """No Indonesian word inside the English sentence: the action's name is translated too."""
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    desk.post("/api/counter/call-next")
    token = desk.csrf()
    r = desk.client.post("/api/staff/tickets/1/advance", json={}, headers={**token, "X-Loket-Lang": "en"})
    assert r.status_code == 409
    assert r.get_json()["label"] == {
        "id": "Tidak bisa 'teruskan': status berkas 'Dipanggil'.",
        "en": "Cannot 'pass on' a berkas whose state is 'Called'.",
    }
    assert r.get_json()["message"] == "Cannot 'pass on' a berkas whose state is 'Called'."


def test_bad_input_to_a_step_action_is_refused_without_echoing_it(client, staff):
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    desk.post("/api/counter/call-next")
    desk.post("/api/staff/tickets/1/start")
    r = desk.post("/api/staff/tickets/1/pend", {"reason": "<script>x</script>"})
    assert r.status_code == 400
    assert r.get_json()["label"] == {"id": "Isian tidak sah untuk aksi ini.", "en": "Invalid input for this action."}
    assert "script" not in r.get_data(as_text=True)


def test_the_domains_names_come_from_the_catalogs_in_both_languages():
    """A state's, a role's and a survey element's names are catalog entries, not texts typed into the code."""
    from loket.core.roles import ROLE_LABELS, Role
    from loket.core.states import STATE_LABELS, TicketState

    en = _catalog("en")
    assert STATE_LABELS[TicketState.CALLED] == {"id": "Dipanggil", "en": en.get("Dipanggil").string}
    assert ROLE_LABELS[Role.PELAYANAN] == {"id": "Petugas Pelayanan", "en": en.get("Petugas Pelayanan").string}
    assert en.get("Dipanggil").string == "Called"
