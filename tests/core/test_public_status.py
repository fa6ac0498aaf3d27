"""A ticket's public status by number, on SQLite and PostgreSQL: only with the ticket's own signed code (issue 13:
no enumeration by number); the same NotFound for no code, a forged one, another ticket's, or an unknown number."""

from __future__ import annotations

import pytest

from loket.core.errors import NotFound
from loket.core.store import Ticket
from loket.core.tickets import issuing, views

KTP = "pencetakan-ktp-el"


def test_only_the_tickets_own_code_opens_its_status_by_number(loket):
    mine, other = issuing.issue(loket, KTP).ticket, issuing.issue(loket, KTP).ticket
    with loket.store.read() as s:
        row = s.get(Ticket, mine.id)
        plain = loket.signer.sign(row.id, row.service_day, row.number)
    for code in (mine.status_code, plain, f"http://192.168.1.10:5000/s/{mine.status_code}"):
        assert views.public_status(loket, mine.number, code)["number"] == mine.number, code
    assert views.public_status(loket, other.number, None)["number"] == other.number  # a staff session vouched
    forged = mine.status_code[:-1] + ("A" if mine.status_code[-1] != "A" else "B")
    for number, code in ((mine.number, ""), (mine.number, forged), (mine.number, other.status_code), ("Z-999", "")):
        with pytest.raises(NotFound) as refused:
            views.public_status(loket, number, code)
        assert refused.value.message == "Tiket dengan nomor itu tidak ada hari ini."
