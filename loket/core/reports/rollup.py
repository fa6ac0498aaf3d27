"""The hub's views (issue 16, docs/sites.md "The hub's views"): each site's link and lag, and its hall in one line.

At the hub the tagged tables hold every site's rows, each with its `site` code; the reports take a site (one site,
or None for all sites together: loket/core/reports). This module adds what only the hub has:

* `site_links`: every site of the register (`sites`) with its link state (connected, cut since, never synced, or
  failing: its first copy or its apply, from `pg_stat_subscription_stats` read over time), its lag in seconds and
  bytes, and the last row received from it, as `SiteLink` rows a page renders.
  The link comes from a `LinkReader`: on PostgreSQL `PgSubscriptionReader` reads `pg_stat_subscription` at the hub
  for the subscription `loket_site_<code>` (and the bytes still to send from the site's replication slot, while the
  link is up); the tests give a fake. On SQLite there is no replication: `replication` is False and the page says so.
* `site_halls`: per site and in total, the hall right now: waiting per service, today's SOP compliance, the IKM of
  the month so far, today's booking use.

No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select

from loket.core.context import Context
from loket.core.reports import build_report
from loket.core.reports.booking import booking_report
from loket.core.reports.compute import _service_label, _service_order
from loket.core.sites import replication
from loket.core.sites.ids import SITE_ID_RANGE
from loket.core.states import QUEUED
from loket.core.store import EventRecord, Site, Ticket
from loket.core.survey import survey_report

#: A link whose last message from the site is older than this is cut (PostgreSQL's wal_receiver_timeout: 60 s; a
#: connected site's walsender sends a keepalive at least every wal_sender_timeout / 2 = 30 s).
CUT_AFTER = timedelta(seconds=60)

CONNECTED, CUT, NEVER, ERROR = "connected", "cut", "never", "error"


@dataclass(frozen=True)
class Link:
    """What the hub's side of replication knows of one site's subscription (one row of pg_stat_subscription)."""

    #: The apply worker runs (pg_stat_subscription.pid is set).
    running: bool
    #: When the hub last received anything from the site (data or keepalive): last_msg_receipt_time.
    last_receipt: datetime | None
    #: When the site sent that message (last_msg_send_time).
    last_send: datetime | None
    #: When the hub last reported a WAL position back to the site (latest_end_time).
    latest_end: datetime | None
    #: Bytes of the site's WAL not yet received by the hub (from the site's slot; None: not known, e.g. cut).
    lag_bytes: int | None = None
    #: The first copy ("copy") or the apply ("apply") keeps failing (replication.ErrorWatch); None: no error now.
    error: str | None = None
    #: With a copy error: the tables whose first copy is not done.
    error_tables: tuple[str, ...] = ()


class LinkReader(Protocol):
    """Gives each site's link by site code; a site with no subscription is missing from the answer."""

    def links(self, codes: Iterable[str]) -> Mapping[str, Link]: ...


@dataclass(frozen=True)
class SiteLink:
    """One line of the hub's list of sites."""

    code: str
    name: str
    kind: str
    number: int
    active: bool
    #: connected | cut | never (never synced: no message ever received, and no row from it).
    state: str
    #: Since when the link is cut: the last message received (None: connected, or never).
    cut_since: datetime | None
    lag_seconds: float | None
    lag_bytes: int | None
    #: The newest event row of the site the hub holds (the site's own clock), and how many tickets of today.
    last_row_at: datetime | None
    tickets_today: int = 0
    #: With state "error": "copy" (the first copy of `error_tables` keeps failing) or "apply".
    error: str | None = None
    error_tables: tuple[str, ...] = ()

    def as_dict(self, local: Any) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "number": self.number,
            "active": self.active,
            "state": self.state,
            "cut_since": self.cut_since.isoformat() if self.cut_since else None,
            "cut_since_local": local(self.cut_since).strftime("%H:%M") if self.cut_since else None,
            "cut_since_day": local(self.cut_since).date().isoformat() if self.cut_since else None,
            "lag_seconds": self.lag_seconds,
            "lag_bytes": self.lag_bytes,
            "last_row_at": self.last_row_at.isoformat() if self.last_row_at else None,
            "last_row_local": local(self.last_row_at).strftime("%Y-%m-%d %H:%M:%S") if self.last_row_at else None,
            "tickets_today": self.tickets_today,
            "error": self.error,
            "error_tables": list(self.error_tables),
        }


@dataclass(frozen=True)
class SiteList:
    #: False on SQLite: no replication (it needs PostgreSQL); the list still shows the register and the rows held.
    replication: bool
    sites: list[SiteLink] = field(default_factory=list)


def link_state(link: Link | None, now: datetime, has_rows: bool) -> tuple[str, datetime | None, float | None]:
    """(state, cut since, lag seconds) of one site from its subscription's status.

    Connected: the apply worker runs and the site spoke within CUT_AFTER. Lag: while WAL is pending (lag bytes > 0),
    the time since the hub last confirmed a position (what is waiting has waited at least that long); with nothing
    pending, the transfer time of the last message (receipt - send). Cut: since the last message; never synced: no
    message was ever received (and no row of the site is held). Error: the first copy or the apply keeps failing
    (the lag as when connected, or since the last message)."""
    if link is not None and link.error:
        if link.last_receipt is None:
            return ERROR, None, None
        return ERROR, None, max(0.0, (now - link.last_receipt).total_seconds())
    if link is None or link.last_receipt is None:
        return (CUT, None, None) if has_rows else (NEVER, None, None)
    if not link.running or now - link.last_receipt > CUT_AFTER:
        return CUT, link.last_receipt, (now - link.last_receipt).total_seconds()
    if link.lag_bytes and link.latest_end is not None:
        return CONNECTED, None, max(0.0, (now - link.latest_end).total_seconds())
    if link.last_send is not None:
        return CONNECTED, None, max(0.0, (link.last_receipt - link.last_send).total_seconds())
    return CONNECTED, None, None


class PgSubscriptionReader:
    """The links from PostgreSQL at the hub, as `replication.hub_status` reads them: pg_stat_subscription for
    `loket_site_<code>`, and, while a site is connected, the WAL its slot still holds for the hub (asked at the site by
    the subscription's own connection string, with a short connect timeout)."""

    def __init__(self, loket: Context, site_lag: bool = True, watch: replication.ErrorWatch | None = None) -> None:
        self.loket = loket
        self.site_lag = site_lag
        #: Where the error counts read before are kept (the process's replication.WATCH by default).
        self.watch = watch

    def links(self, codes: Iterable[str]) -> Mapping[str, Link]:
        wanted = set(codes)
        if not wanted:
            return {}
        statuses = replication.hub_status(
            self.loket.store.engine, self.loket.clock.now(), ask_sites=self.site_lag, watch=self.watch
        )
        return {
            st.code: Link(
                st.state in ("up", "syncing"),
                st.last_msg_receipt_time,
                st.last_msg_send_time,
                st.latest_end_time,
                st.behind_bytes,
                st.error,
                st.error_tables,
            )
            for st in statuses
            if st.code in wanted and st.state != "missing"
        }


def reader_for(loket: Context) -> LinkReader | None:
    """The link reader of this database: PostgreSQL's, or None on SQLite (no replication)."""
    if loket.store.engine.dialect.name != "postgresql":
        return None
    return PgSubscriptionReader(loket)


def site_links(loket: Context, reader: LinkReader | None) -> SiteList:
    """Every site of the register with its link state and lag, and the last row of it the hub holds."""
    now = loket.clock.now()
    today = loket.clock.today()
    with loket.store.read() as s:
        # The hub's own row (number 0) is no site of the list.
        sites = s.scalars(select(Site).where(Site.number != replication.HUB_NUMBER).order_by(Site.number)).all()
        rows: dict[str, tuple[datetime | None, int]] = {}
        for site in sites:
            # The site's newest event: its ids are in its own range, so the primary key finds it at once; a single
            # office that became a site keeps its older rows in range 0 (loket/core/sites/ids.py): looked at then.
            last_id = None
            for number in (site.number, 0):
                lo, hi = number * SITE_ID_RANGE, (number + 1) * SITE_ID_RANGE
                last_id = s.scalar(
                    select(func.max(EventRecord.id)).where(
                        EventRecord.id > lo, EventRecord.id <= hi, EventRecord.site == site.code
                    )
                )
                if last_id is not None:
                    break
            at = s.scalar(select(EventRecord.at).where(EventRecord.id == last_id)) if last_id else None
            issued = s.scalar(select(func.count()).where(Ticket.service_day == today, Ticket.site == site.code))
            rows[site.code] = (at, int(issued or 0))
        listed = [(x.code, x.name, x.kind, x.number, x.active) for x in sites]
    links = reader.links([code for code, *_ in listed]) if reader is not None else {}
    out = []
    for code, name, kind, number, active in listed:
        last_row, issued = rows[code]
        link = links.get(code)
        state, cut_since, lag = link_state(link, now, last_row is not None)
        if state == CUT and cut_since is None:
            # No worker, so PostgreSQL keeps no time of the last message: the newest row received from the site is
            # when it was last heard from, at the latest.
            cut_since = last_row
        out.append(
            SiteLink(
                code,
                name,
                kind,
                number,
                active,
                state if reader is not None else (NEVER if last_row is None else CUT),
                cut_since,
                lag,
                link.lag_bytes if link is not None and state == CONNECTED else None,
                last_row,
                issued,
                link.error if link is not None and state == ERROR else None,
                link.error_tables if link is not None and state == ERROR else (),
            )
        )
    return SiteList(reader is not None, out)


# ---- the hall per site ----------------------------------------------------------------------------------------


def site_names(loket: Context) -> dict[str, str]:
    """Site code -> name, from the register (empty at a single office)."""
    with loket.store.read() as s:
        return {code: name for code, name in s.execute(select(Site.code, Site.name).order_by(Site.number))}


def site_halls(loket: Context, day: date | None = None) -> dict[str, Any]:
    """Per site and for all sites together: waiting now (in total and per service), today's SOP compliance
    (steps and berkas within target), the IKM of the month so far, and today's booking use.

    `all` is computed from every site's rows at once (so its shares are the shares of the sums)."""
    today = day or loket.clock.today()
    since = loket.clock.day_start(today)
    names = site_names(loket)
    with loket.store.read() as s:
        waiting = s.execute(
            select(Ticket.site, Ticket.service_code, func.count())
            .where(Ticket.state.in_([st.value for st in QUEUED]), Ticket.queued_at >= since)
            .group_by(Ticket.site, Ticket.service_code)
        ).all()
        seen = set(s.scalars(select(Ticket.site).where(Ticket.service_day == today).distinct()))
    codes = list(names) + sorted((seen | {w[0] for w in waiting}) - set(names))

    def figures(site: str | None) -> dict[str, Any]:
        report = build_report(loket, today, today, site)
        booking = booking_report(loket, today, today, site)
        ikm = survey_report(loket, today.replace(day=1), today, site=site)
        per_service: dict[str, int] = {}
        for code, service, n in waiting:
            if site is None or code == site:
                per_service[service] = per_service.get(service, 0) + n
        order = sorted(per_service, key=lambda c: _service_order(loket, c))
        return {
            "waiting": sum(per_service.values()),
            "waiting_per_service": [
                {"code": c, "name": _service_label(loket, c), "waiting": per_service[c]} for c in order
            ],
            "issued": report.total.issued,
            "served": report.total.served,
            "steps": report.total.steps.as_dict(),
            "berkas": report.total.berkas.as_dict(),
            "ikm": ikm.overall.as_dict(),
            "booking": {
                "made": booking.total.made,
                "checked_in": booking.total.states.get("checked_in", 0),
                "no_show_rate": booking.total.no_show_rate.as_dict(),
                "booked_tickets": booking.total.booked_tickets,
                "issued": booking.total.issued,
                "seats": booking.total.seats.as_dict(),
            },
        }

    return {
        "day": today.isoformat(),
        "sites": [{"code": code, "name": names.get(code, code or "-")} | figures(code) for code in codes],
        "all": figures(None),
    }


__all__ = [
    "CONNECTED",
    "CUT",
    "CUT_AFTER",
    "ERROR",
    "NEVER",
    "Link",
    "LinkReader",
    "PgSubscriptionReader",
    "SiteLink",
    "SiteList",
    "link_state",
    "reader_for",
    "site_halls",
    "site_links",
    "site_names",
]
