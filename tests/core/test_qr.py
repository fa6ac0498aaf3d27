"""Ticket codes are verified strictly: only the exact code the office signed is accepted."""

from __future__ import annotations

import string
from datetime import date

import pytest

from loket.core.errors import InvalidCode
from loket.core.qr import CodeSigner

SIGNER = CodeSigner("test-secret", "dukcapil")
CODE = SIGNER.sign(42, date(2026, 11, 30), "B-007")
#: What is inserted, appended or put in place of each character: the base64 alphabet, its padding,
#: the code's separators, and characters a decoder might skip.
CHARACTERS = string.ascii_letters + string.digits + "-_=.:+/!~%#\x00"


def refused(payload: str) -> bool:
    try:
        SIGNER.verify(payload)
    except InvalidCode:
        return True
    return False


def test_the_signed_code_is_accepted_as_it_is_and_with_a_scanner_s_line_end():
    assert CODE.startswith("LKT1:dukcapil:20261130:42:B-007.")
    for payload in (CODE, CODE + "\r\n", " " + CODE):
        code = SIGNER.verify(payload)
        assert (code.office, code.ticket_id, code.day, code.number) == ("dukcapil", 42, date(2026, 11, 30), "B-007")


def test_a_character_inserted_anywhere_is_refused():
    accepted = [(i, c) for i in range(len(CODE) + 1) for c in CHARACTERS if not refused(CODE[:i] + c + CODE[i:])]
    assert accepted == []


def test_a_character_changed_or_removed_anywhere_is_refused():
    changed = [
        (i, c)
        for i in range(len(CODE))
        for c in CHARACTERS
        if c != CODE[i] and not refused(CODE[:i] + c + CODE[i + 1 :])
    ]
    assert changed == []
    assert [i for i in range(len(CODE)) if not refused(CODE[:i] + CODE[i + 1 :])] == []


def test_characters_appended_are_refused():
    assert [c for c in CHARACTERS if not refused(CODE + c)] == []
    assert refused(CODE + CODE[-4:])
    assert refused(CODE + "." + CODE.rsplit(".", 1)[1])


def test_the_same_contents_spelled_otherwise_are_refused():
    body, signature = CODE.rsplit(".", 1)
    for other in (
        body.replace(":42:", ":042:"),
        body.replace(":42:", ":+42:"),
        body.replace("LKT1", "lkt1"),
        body.replace(":42:", ":\u0664\u0662:"),  # Arabic-Indic digits read as 42 by int()
    ):
        assert refused(f"{other}.{signature}"), other
    assert refused(f"{body}.{signature}=")
    assert refused(f"{body}.{signature[:-1]}")


@pytest.mark.parametrize("payload", ["LKT1:dukcapil:\ud800", CODE + "\udfff", "LKT1:dukcapil:2026\u00e9", "\ud83d"])
def test_non_ascii_and_lone_surrogates_are_refused_as_invalid_codes(payload):
    assert refused(payload)


def test_a_scan_with_a_lone_surrogate_or_non_ascii_answers_4xx(staff):
    officer = staff("pelayanan", "pelayanan", "Loket 1")
    for raw in (
        '"LKT1:dukcapil:\\ud800"',
        '"A-\\ud800"',
        '"A-\\u0661\\u0662"',
        '"LKT1:dukcapil:20261130:1:A-001.\\udfff"',
    ):
        r = officer.client.post(
            "/api/scan", data=f'{{"code": {raw}}}', content_type="application/json", headers=officer.csrf()
        )
        assert 400 <= r.status_code < 500, (raw, r.status_code)
        # a lone surrogate is refused with the body (bad_request), other text by the code check
        assert r.get_json()["error"] in ("invalid_code", "not_found", "bad_request")


def test_the_survey_s_ticket_check_answers_4xx_to_non_ascii_and_surrogates(client):
    for code in ("A-%D9%A1%D9%A2", "LKT1:dukcapil:%ED%A0%80", "A-%C3%A9"):
        r = client.get(f"/api/survey/ticket/{code}")
        assert 400 <= r.status_code < 500, (code, r.status_code)
    r = client.post("/api/survey", data='{"code": "A-\\ud800", "answers": {}}', content_type="application/json")
    assert 400 <= r.status_code < 500


# ---- the compact code printed in the status URL (issue 13) ------------------------------------------

DAY = date(2026, 11, 30)
SHORT = SIGNER.short(42, DAY, "B-007")


def short_refused(payload: str, row: tuple[date, str] | None = (DAY, "B-007")) -> bool:
    try:
        SIGNER.verify_short(payload, lambda ticket_id: row if ticket_id == 42 else None)
    except InvalidCode:
        return True
    return False


def test_the_compact_code_is_short_and_verifies_against_its_ticket_s_row():
    assert SHORT.startswith("T1.42.") and len(SHORT) == len("T1.42.") + 16
    assert not short_refused(SHORT) and not short_refused(SHORT + "\n")
    assert short_refused(SHORT, row=(DAY, "B-008"))  # the row's number is signed: a code of another ticket
    assert short_refused(SHORT, row=(date(2026, 12, 1), "B-007"))  # ids reused after a database reset
    assert short_refused(SHORT, row=None)  # no such ticket: the same refusal as a wrong signature
    assert short_refused(CodeSigner("test-secret", "other-office").short(42, DAY, "B-007"))


def test_a_compact_code_changed_anywhere_is_refused():
    changed = [
        (i, c)
        for i in range(len(SHORT))
        for c in CHARACTERS
        if c != SHORT[i] and not short_refused(SHORT[:i] + c + SHORT[i + 1 :])
    ]
    inserted = [
        (i, c) for i in range(len(SHORT) + 1) for c in CHARACTERS if not short_refused(SHORT[:i] + c + SHORT[i:])
    ]
    assert changed == [] and inserted == []
    assert [i for i in range(len(SHORT)) if not short_refused(SHORT[:i] + SHORT[i + 1 :])] == []


def test_a_status_url_carries_its_code_and_looks_like_a_code():
    from loket.core.qr import code_in, looks_like_code, scheme_of

    for url in (f"http://192.168.1.10:5000/s/{SHORT}", f"HTTPS://x.go.id/loket/s/{SHORT}/", f" http://h/s/{SHORT}\r\n"):
        assert code_in(url) == SHORT and looks_like_code(url)
    assert code_in(f"http://h/s/{SHORT}?x=1") != SHORT  # only the plain address the office printed
    assert looks_like_code("https://example.com/") and looks_like_code(SHORT) and looks_like_code(CODE)
    assert not looks_like_code("B-001") and not looks_like_code("b1")
    assert (scheme_of(SHORT), scheme_of(CODE), scheme_of("B-001")) == ("T1", "LKT1", None)
