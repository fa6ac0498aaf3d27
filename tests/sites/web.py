"""A hub app for the web and browser tests of the roll-up (issue 16): the demo database as the hub, three sites in its
register, and a morning's rows of two of them written with their site codes (the third never synced); the links
come from a fake reader, as pg_stat_subscription would give them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from loket.core.accounts import list_counters
from loket.core.reports.rollup import Link
from loket.core.roles import Actor, Role
from loket.core.sites.ids import TAGGED_TABLES
from loket.core.store import Base, Site, User
from loket.core.survey import ELEMENT_KEYS, submit_response
from loket.core.tickets import flow, issuing, queue

KTP = "pencetakan-ktp-el"
KIA = "penerbitan-kia"
#: 2026-11-23 08:00 in Jakarta.
MORNING = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


class FakeLinks:
    """The links as the hub's PostgreSQL would report them, set by the test."""

    def __init__(self, links: dict[str, Link]):
        self.given = links
        self.asked: list[list[str]] = []

    def links(self, codes: Iterable[str]) -> Mapping[str, Link]:
        codes = list(codes)
        self.asked.append(codes)
        return {c: link for c, link in self.given.items() if c in codes}


def fake_links(now: datetime) -> FakeLinks:
    """kec-a connected (1.5 s, 2 KiB behind), kec-b cut since 09:12 local, mpp never synced."""
    return FakeLinks(
        {
            "kec-a": Link(True, now - timedelta(seconds=3), now - timedelta(seconds=4.5), now, lag_bytes=2048),
            "kec-b": Link(False, datetime(2026, 11, 23, 2, 12, tzinfo=UTC), None, None),
        }
    )


def tag(loket, code: str) -> None:
    """The rows written since the last tag are this site's (a site's column default does it as it writes them)."""
    with loket.store.transaction() as s:
        for table in TAGGED_TABLES:
            t = Base.metadata.tables[table]
            s.execute(update(t).where(t.c.site == "").values(site=code))


def fill_hub(loket, clock) -> None:
    """Sites kec-a (2 served, 3 waiting), kec-b (1 served, 5 waiting) and mpp (nothing yet), as the hub holds them."""
    with loket.store.transaction() as s:
        for number, code, name, kind in (
            (1, "kec-a", "Kecamatan Arjasari", "kecamatan"),
            (2, "kec-b", "Kecamatan Baleendah", "kecamatan"),
            (3, "mpp", "MPP Soreang", "mpp"),
        ):
            s.add(Site(code=code, number=number, name=name, kind=kind, active=True, created_at=clock.now()))
        officer = s.scalar(select(User).where(User.username == "pelayanan"))
        operator = s.scalar(select(User).where(User.username == "operator"))
    counters = {c.name: c for c in list_counters(loket.store)}
    desk = Actor(officer.id, Role.PELAYANAN, counters["Loket 1"].id)
    back = Actor(operator.id, Role.OPERATOR, next(c.id for c in counters.values() if "Operator" in c.name))
    sites = (("kec-a", 2, 3), ("kec-b", 1, 5))
    for code, served, _waiting in sites:  # served first: at the hub's one queue, a call would take another's ticket
        for _ in range(served):
            ticket = issuing.issue(loket, KTP).ticket
            clock.advance(minutes=2)
            queue.call_next(loket, desk)
            flow.start(loket, desk, ticket.id)
            clock.advance(minutes=1)
            flow.advance(loket, desk, ticket.id)
            flow.start(loket, back, ticket.id)
            clock.advance(minutes=3)
            flow.advance(loket, back, ticket.id)
            queue.call_next(loket, desk)
            flow.start(loket, desk, ticket.id)
            done = flow.hand_over(loket, desk, ticket.id).ticket
            submit_response(loket, done.number, dict.fromkeys(ELEMENT_KEYS, 4 if code == "kec-a" else 3))
        tag(loket, code)
    for code, _served, waiting in sites:
        for i in range(waiting):
            issuing.issue(loket, KIA if i % 2 else KTP)
        tag(loket, code)
