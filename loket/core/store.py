"""Persistence: the tables (SQLAlchemy 2) and the engine for SQLite or PostgreSQL."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    false,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend; always hands back an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


#: The id of a row that crosses sites (issue 16): 64-bit on PostgreSQL, where each site numbers its rows in its own
#: range (site k from k * SITE_ID_RANGE, `loket.core.sites`), so no two sites' rows collide at the hub. SQLite's
#: INTEGER is 64-bit already (and must stay INTEGER PRIMARY KEY to be the rowid).
SiteId = BigInteger().with_variant(Integer, "sqlite")


def site_column() -> Mapped[str]:
    """The site a row was made at (issue 16): '' for a single office; at a site, the database's default for the column
    is set to the site's code by `flask site init`, so every insert (ORM, Core or raw) is tagged without the code
    naming it."""
    return mapped_column(String(20), nullable=False, server_default="")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Counter(Base):
    """A loket: a desk or back-office station, with the roles and services it serves."""

    __tablename__ = "counters"
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    name: Mapped[str] = mapped_column(String(60), unique=True)
    number: Mapped[int] = mapped_column(Integer)  # read out in calls: "loket tiga"
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    services: Mapped[list[Any]] = mapped_column(JSON, default=list)  # empty: every service
    zone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    """A staff account; roles decide what it may do."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    #: When the password was last set by a reset: a session opened before it has ended, also at a site, where the
    #: account arrives by replication and the hub cannot delete the site's sessions (issue 16).
    password_changed_at: Mapped[datetime | None]


class StaffSession(Base):
    """A staff log-in the server can end: the signed cookie holds its random id, this table its digest.

    Log-out deletes the row, so a copied cookie stops working; a password reset or deactivation
    deletes every row of the account.
    """

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's session id
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class NumberSequence(Base):
    """The last number given per service day and prefix; bumped atomically."""

    __tablename__ = "number_sequences"
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """A resident's visit and the berkas it carries through the SOP."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("service_day", "number", name="uq_ticket_day_number"),
        # A kiosk's retry of one tap (same Idempotency-Key) finds the ticket the first try made.
        UniqueConstraint("service_day", "issuer", "idempotency_key", name="uq_ticket_day_issuer_key"),
        # The hall's queue (issue 12): call next and the desk's list find a role's queue in order, and the counts
        # every ticket and board make (a new ticket's place, the waiting per service and role) read only this
        # index's entries, not the tickets' rows (a covering index: every column they touch is in it).
        Index(
            "ix_ticket_queue_cover",
            "state",
            "current_role",
            "queue_key",
            "id",
            "queued_at",
            "service_code",
            "target_counter_id",
        ),
        # The reports' per-day summaries check what each site and day counts (core/reports/days.py `_counted`)
        # from this index alone, not the tickets' rows (migration 0020).
        Index("ix_ticket_day_site", "service_day", "site", "id"),
    )
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    service_day: Mapped[date] = mapped_column(Date, index=True)
    prefix: Mapped[str] = mapped_column(String(2))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    service_code: Mapped[str] = mapped_column(String(60), index=True)
    steps: Mapped[list[Any]] = mapped_column(JSON)  # the SOP's steps frozen at issue
    priority: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(20), default="kiosk")
    #: Who asked for it: "kiosk:<name>" for a paired kiosk, "addr:<address>" for anything else.
    issuer: Mapped[str | None] = mapped_column(String(80))
    #: The kiosk's key for the tap that asked (header Idempotency-Key); a retry returns this ticket.
    idempotency_key: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(20))
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    current_role: Mapped[str] = mapped_column(String(20))
    pending_reason: Mapped[str | None] = mapped_column(String(30))
    state_note: Mapped[str | None] = mapped_column(Text)
    missing: Mapped[list[Any] | None] = mapped_column(JSON)
    queue_key: Mapped[float] = mapped_column(Float)  # sort key in a queue; lower is sooner
    queued_at: Mapped[datetime]
    counter_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("counters.id"))
    #: Set by a transfer: only this counter calls the ticket next.
    target_counter_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("counters.id"))
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    #: The resident's number for messages (opt-in: kiosk, booking or front desk); personal data, purged.
    phone: Mapped[str | None] = mapped_column(String(20))
    #: The resident's e-mail address for messages (opt-in at booking, carried at check-in); purged the same.
    email: Mapped[str | None] = mapped_column(String(254))
    #: A survey response was given for this ticket (at most one). The response itself
    #: is stored apart with no link back, so it stays anonymous.
    surveyed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    issued_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id])
    applicant: Mapped[Applicant | None] = relationship(cascade="all, delete-orphan")
    visits: Mapped[list[StepVisit]] = relationship(
        back_populates="ticket", order_by="StepVisit.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def step(self) -> dict[str, Any]:
        return self.steps[self.step_index]

    @property
    def open_visit(self) -> StepVisit | None:
        for visit in reversed(self.visits):
            if visit.ended_at is None:
                return visit
        return None


class StepVisit(Base):
    """One pass of a berkas through one SOP step: who, where, and when."""

    __tablename__ = "step_visits"
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    ticket_id: Mapped[int] = mapped_column(SiteId, ForeignKey("tickets.id"), index=True)
    step_index: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    target_minutes: Mapped[int | None] = mapped_column(Integer)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("counters.id"))
    entered_at: Mapped[datetime]  # arrived at this step's queue or work list
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="visits")
    officer: Mapped[User | None] = relationship()
    counter: Mapped[Counter | None] = relationship()


class EventRecord(Base):
    """What happened, in order: feeds the display's history and the reports."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_event_kind_at", "kind", "at"),
        # A berkas's events of a kind (the reports' pended reasons, issue 12): without it every such event is read.
        Index("ix_events_ticket_kind", "ticket_id", "kind"),
    )
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    ticket_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("tickets.id"))
    counter_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReportDay(Base):
    """A past service day's report figures, summed once (core/reports/days.py).

    Its final berkas (done, cancelled, voided) never change again: their figures are never
    recomputed. The berkas still open are summed apart with the version of each ticket; when one
    of them changes (its version moves), that part alone is summed again, and a berkas that became
    final joins the final figures.
    """

    __tablename__ = "report_days"
    #: The site whose berkas it sums (issue 16): '' or the office's own code at a single office or a site; at the hub
    #: one summary per site and day (migration 0020).
    site: Mapped[str] = mapped_column(String(20), primary_key=True, server_default="")
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: The summary's format and the office time zone it was made in: either changing makes it again.
    version: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(60))
    made_at: Mapped[datetime]
    #: The final berkas (format 3, core/reports/days.py `_encode`): the group keys and the hall (zlib-compressed JSON),
    #: then each group's counts and exact sums as an int64 row followed by the durations (int64 microseconds).
    figures: Mapped[bytes] = mapped_column(LargeBinary)
    durations: Mapped[bytes] = mapped_column(LargeBinary)
    #: The berkas still open when last summed: [ticket id, ticket version] pairs, and their figures.
    open_versions: Mapped[list[Any]] = mapped_column(JSON)
    open_figures: Mapped[bytes] = mapped_column(LargeBinary)
    open_durations: Mapped[bytes] = mapped_column(LargeBinary)
    #: What it counted: the site's tickets of that day and the largest id among them. At the hub a site cut off for
    #: days delivers a closed day's tickets late; a count or a last id that moved makes the summary again.
    tickets: Mapped[int] = mapped_column(Integer)
    last_ticket_id: Mapped[int] = mapped_column(SiteId)


#: PostgreSQL keeps the durations uncompressed (migration 0022): they hardly compress, and a year's report would
#: otherwise have the server decompress ~40 MB of them each time (~70 ms of wall time).
REPORT_DAYS_STORAGE = (
    "ALTER TABLE report_days ALTER COLUMN durations SET STORAGE EXTERNAL,"
    " ALTER COLUMN open_durations SET STORAGE EXTERNAL"
)
event.listen(ReportDay.__table__, "after_create", DDL(REPORT_DAYS_STORAGE).execute_if(dialect="postgresql"))


class Applicant(Base):
    """Personal data staff record for a berkas (UU 27/2022): kept apart, shown to staff only, purged."""

    __tablename__ = "applicants"
    ticket_id: Mapped[int] = mapped_column(SiteId, ForeignKey("tickets.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str] = mapped_column(String(16), index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class Setting(Base):
    """An office setting set by the admin (hours, quotas, blanko stock, texts), as JSON."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SopDocument(Base):
    """An SOP as the office edited or added it (YAML text); overrides the shipped file of the same code."""

    __tablename__ = "sop_documents"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    yaml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Device(Base):
    """A kiosk or a display board: its name (given in its URL), zone, printer and options."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "kiosk" or "display"
    name: Mapped[str] = mapped_column(String(60), unique=True)
    zone: Mapped[str | None] = mapped_column(String(40))
    #: Printer spec for a kiosk (file:, network:host:port, usb:vid:pid, ...); None: the default printer.
    printer: Mapped[str | None] = mapped_column(String(200))
    #: Kind-specific options, e.g. a display's counters or pickup mode.
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: SHA-256 of a kiosk's pairing token (the token itself is shown once to the admin, never stored).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    paired_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """One anonymous SKM response (PermenPANRB 14/2017): nine ratings 1-4, no link to a ticket or person."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_day_service", "service_day", "service_code"),)
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    service_day: Mapped[date] = mapped_column(Date)
    service_code: Mapped[str] = mapped_column(String(60))
    #: {element key: rating 1..4} for the nine elements of core.survey.ELEMENTS.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="kiosk")  # kiosk | tablet


class BookingSlot(Base):
    """One bookable time slot of a service on a day: its seats, and how many are taken (core/booking).

    The seats are taken by a conditional UPDATE (``taken < capacity``) in the booking's transaction, so
    two residents can never take the last seat on SQLite or PostgreSQL. Made when first booked, with
    the office's capacity at that moment.
    """

    __tablename__ = "booking_slots"
    __table_args__ = (UniqueConstraint("service_code", "starts_at", name="uq_booking_slot_service_start"),)
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    service_code: Mapped[str] = mapped_column(String(60))
    day: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[datetime]
    #: Seats for online booking (the walk-in share already taken off), of which `priority_seats` only for
    #: priority residents (UU 25/2009 art. 29).
    capacity: Mapped[int] = mapped_column(Integer)
    priority_seats: Mapped[int] = mapped_column(Integer, default=0)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    regular_taken: Mapped[int] = mapped_column(Integer, default=0)


class Booking(Base):
    """A resident's online booking of a slot ("antrean online"): its codes, its holder's NIK, its state.

    The NIK and phone are personal data (UU 27/2022): shown to the front desk only, purged with the
    applicants' after the retention period (the row stays, for the reports, without them).
    """

    __tablename__ = "bookings"
    __table_args__ = (
        # One active booking per NIK and service, enforced by the database on both backends.
        Index(
            "uq_booking_active_nik_service",
            "nik",
            "service_code",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("ix_booking_due", "status", "release_at"),
    )
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    #: The short code a resident types (8 characters, no 0/O/1/I).
    code: Mapped[str] = mapped_column(String(12), unique=True)
    service_code: Mapped[str] = mapped_column(String(60))
    slot_id: Mapped[int] = mapped_column(SiteId, ForeignKey("booking_slots.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: When an unclaimed booking turns into a no-show and gives its seat back.
    release_at: Mapped[datetime]
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    #: An optional e-mail address for the booking's messages (personal data, purged with the phone).
    email: Mapped[str | None] = mapped_column(String(254))
    priority: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))  # booked | cancelled | checked_in | no_show
    #: Who asked for it: "addr:<address>" (and the device's id when the page sent one).
    issuer: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    ticket_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("tickets.id"))
    purged_at: Mapped[datetime | None]


class UsedChallenge(Base):
    """A solved booking challenge (ALTCHA) already spent on a booking: each solves exactly one.

    Inserted in the booking's transaction (its primary key refuses a second use, in any process); kept
    until the challenge expires (then the check refuses it anyway), purged a few at a time by later bookings.
    """

    __tablename__ = "used_challenges"
    #: The challenge: sha256(salt + number) in hex, its salt random per challenge made.
    challenge: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class OutboxMessage(Base):
    """A message to a resident, written in the transaction of the event that causes it; a worker delivers it.

    `address` (phone or e-mail) is personal data (UU 27/2022): blanked by the personal-data purge. The
    idempotency key goes to the gateway with every try, so a retry after a crash is not a second message;
    `ordering_key` (the berkas, not the person: nothing personal) keeps one resident's messages in order.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_ordering", "ordering_key", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    ordering_key: Mapped[str] = mapped_column(String(80))
    #: called | pending | ready (the moments of issue 14 written so far)
    moment: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))  # "phone" (WhatsApp/SMS gateway) or "email"
    address: Mapped[str | None] = mapped_column(String(254))
    text_id: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    #: pending | sending | sent | failed
    state: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    #: While "sending": the worker that claimed it and until when; after that another worker may take it.
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("tickets.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(SiteId, ForeignKey("bookings.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    #: A webhook delivery (channel "webhook", no address): its subscription and the JSON body it sends, the
    #: same on every try (outbox/webhooks.py). None for a message to a resident.
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_subscriptions.id"), index=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The receiver's last HTTP status (webhooks), for the admin's list of deliveries.
    last_status: Mapped[int | None] = mapped_column(Integer)


class WebhookSubscription(Base):
    """Another system (a Mal Pelayanan Publik hub, a city app, a dashboard) that gets signed events (issue 14).

    `secret` ("whsec_" + base64) signs every delivery (Standard Webhooks); shown to the admin once, when made
    or rotated. `events`: the event types it wants (outbox/webhooks.EVENT_TYPES).
    """

    __tablename__ = "webhook_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(120))
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: Its deliveries' health (outbox/webhooks.record_outcome): failed tries in a row since the last success, since
    #: when, and when the admin was alerted (None: no alert standing; a success clears it).
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failing_since: Mapped[datetime | None]
    alerted_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboxChannelState(Base):
    """A delivery channel's health ("http", "sms", "smtp"), for the admin page and the staff alert."""

    __tablename__ = "outbox_channels"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_success_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Set by the first failure after a success (one staff alert per outage); cleared by the next success.
    failing_since: Mapped[datetime | None]


class OutboxChannelDay(Base):
    """Messages a channel took on one service day, counted against the office's daily cap."""

    __tablename__ = "outbox_channel_days"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)
    #: The cap was reached today and staff were told (once a day per channel).
    capped_alerted: Mapped[bool] = mapped_column(Boolean, default=False)


class Disruption(Base):
    """A disruption (gangguan): the whole office or one service down (SIAK, network, power, other) from
    `started_at` until `ended_at` (None: still on). Its minutes are reported apart and left out of SOP
    compliance (core/reports); residents waiting for it hear of it through the outbox."""

    __tablename__ = "disruptions"
    __table_args__ = (Index("ix_disruption_open", "ended_at"),)
    id: Mapped[int] = mapped_column(SiteId, primary_key=True)
    site: Mapped[str] = site_column()
    #: "office" or "service"; `service_code` names the service of the second.
    scope: Mapped[str] = mapped_column(String(10))
    service_code: Mapped[str | None] = mapped_column(String(60))
    #: siak | network | power | other (core/disruptions.REASONS)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    expected_back: Mapped[datetime | None]
    #: What the kiosk offers meanwhile: {"ticket": bool, "book": bool}.
    offers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime]
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Site(Base):
    """One site of a kabupaten's Loket (issue 16): the main office, a kecamatan office, a Mal Pelayanan Publik booth
    or a jemput bola laptop. Kept at the hub (and replicated to every site, so each knows the others' public keys).

    `number` gives the site its id range (`loket.core.sites.ids`); `code` tags its rows (the `site` columns) and its
    codes."""

    __tablename__ = "sites"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: office | kecamatan | mpp | jemput_bola
    kind: Mapped[str] = mapped_column(String(20), default="kecamatan")
    #: libpq connection string the hub's subscription uses to reach the site's publication (no password: .pgpass).
    conninfo: Mapped[str | None] = mapped_column(Text)
    #: The site's Ed25519 public key (base64url, 32 bytes) that verifies the codes it signs.
    public_key: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


def private_sqlite_file(url: str) -> None:
    """Create an SQLite database file readable by its owner only (0600) before SQLite opens it.

    SQLite would create it with the process's umask (often 0644: every local account reads the
    names and NIKs); its -wal and -shm files take the database file's mode.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        for path in (database, f"{database}-wal", f"{database}-shm"):
            owner_only(path)  # made by an earlier version with the umask's mode


def owner_only(path: str | os.PathLike[str]) -> None:
    """Narrow an existing file of this process's user to 0600 when others may read it (upgrades)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(path, 0o600)


#: SQLite's page cache per connection, in KiB (read pages only: a small database uses less).
SQLITE_CACHE_KIB = 16384


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE."""
    if url.startswith("sqlite"):
        private_sqlite_file(url)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - trivial
            # Let SQLAlchemy's begin event decide how a transaction starts (see below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url not in ("sqlite://", "sqlite:///"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            # A larger page cache than SQLite's 2 MiB: a ticket row is ~1.7 kB (its steps' snapshot), so the
            # queue's counts over a busy day's waiting tickets (ahead, waiting per service) read them from
            # memory instead of copying each page from the OS again (5x less CPU at 2,000 waiting).
            cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:  # pragma: no cover - trivial
            # Writers take the write lock up front: two kiosks can never read the
            # same "last number" and both write it, and no deadlock on lock upgrade.
            # Readers start a plain (deferred) transaction and never block writers (WAL).
            if conn.get_execution_options().get("loket_read"):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


#: Tables whose rows this process keeps in memory between requests (office settings, paired devices, the open
#: disruptions and the webhook subscriptions every ticket consults): a commit that changed one of their rows here
#: moves its count, and the copies are read again at once.
WATCHED: tuple[type[Base], ...] = (Setting, Device, Disruption, WebhookSubscription, Site)
_CHANGES = "loket_changed"
_commits_changing: dict[type[Base], int] = dict.fromkeys(WATCHED, 0)


def changes_of(model: type[Base]) -> int:
    """How many commits in this process changed rows of `model` (one of WATCHED): a copy is stale when it moved."""
    return _commits_changing[model]


@event.listens_for(Session, "before_flush")
def _note_watched(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, WATCHED):
            session.info.setdefault(_CHANGES, set()).add(type(obj))


@event.listens_for(Session, "after_commit")
def _count_watched(session: Session) -> None:
    for model in session.info.pop(_CHANGES, ()):
        _commits_changing[model] += 1


@event.listens_for(Session, "after_rollback")
def _forget_watched(session: Session) -> None:
    session.info.pop(_CHANGES, None)


#: PostgreSQL: the tickets table is vacuumed after this many tickets issued in this process (see Store.issued).
TICKETS_VACUUM_EVERY = 200

_log = logging.getLogger(__name__)


class Store:
    """The database: an engine and a session factory, one transaction per operation."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine.execution_options(loket_read=True), expire_on_commit=False)
        # SQLite has one writer at a time. Queue this process's writers on a lock instead of
        # letting them poll SQLite's busy handler, which sleeps and turns contention into
        # seconds of latency. (Other processes still meet the busy timeout.)
        self._write_lock = threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        self.vacuum_every = TICKETS_VACUUM_EVERY
        self._issued = 0
        self._vacuum: threading.Thread | None = None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def create_all(self) -> None:
        """Create the tables directly (tests); deployments use Alembic migrations."""
        Base.metadata.create_all(self.engine)

    def drop_all(self) -> None:
        Base.metadata.drop_all(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; on SQLite it does not take the write lock."""
        with self._read_sessions() as session:
            yield session

    def issued(self, count: int = 1) -> None:
        """Tickets were issued (committed). PostgreSQL: after `vacuum_every` of them, VACUUM the tickets table, off
        the caller's path (a thread: a greenlet under gevent), one at a time in this process, skipped while another
        process's runs (SKIP_LOCKED).

        Why: a new ticket's place and the boards' waiting counts read the covering index ix_ticket_queue_cover only
        for pages the visibility map marks all-visible; a burst's fresh rows are not, until autovacuum's insert
        threshold (1,000 rows + 20 % of the table, looked at once a minute), so each count visited every waiting
        ticket's row: 6.4 ms of PostgreSQL's CPU at 2,000 waiting, 0.57 ms once vacuumed. What is read is the same.
        """
        if self.engine.dialect.name != "postgresql":
            return
        self._issued += count
        if self._issued < self.vacuum_every or (self._vacuum is not None and self._vacuum.is_alive()):
            return
        self._issued = 0
        self._vacuum = threading.Thread(target=self._vacuum_tickets, name="loket-vacuum-tickets", daemon=True)
        self._vacuum.start()

    def _vacuum_tickets(self) -> None:
        try:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql(f"VACUUM (SKIP_LOCKED) {Ticket.__tablename__}")
        except Exception:  # maintenance only: the counts are right without it, only slower
            _log.warning("VACUUM of the tickets table failed", exc_info=True)

    def dispose(self) -> None:
        if self._vacuum is not None:
            self._vacuum.join(timeout=30)
        self.engine.dispose()


#: INSERT ... ON CONFLICT DO UPDATE ... RETURNING, the same on SQLite (3.35+) and PostgreSQL. Written as
#: text: SQLAlchemy's on_conflict constructs have no cache key, so they were compiled again for every
#: ticket (0.6 ms of CPU each).
NEXT_NUMBER = text(
    "INSERT INTO number_sequences (service_day, prefix, last_seq) VALUES (:day, :prefix, 1) "
    "ON CONFLICT (service_day, prefix) DO UPDATE SET last_seq = number_sequences.last_seq + 1 "
    "RETURNING last_seq"
).bindparams(bindparam("day", type_=Date), bindparam("prefix", type_=String))


def next_number(conn: Connection | Session, day: date, prefix: str) -> int:
    """Atomically take the next sequence number for a day and prefix, in one statement.

    It holds the row lock until commit on PostgreSQL; on SQLite the whole transaction already holds
    the write lock (BEGIN IMMEDIATE).
    """
    return int(conn.execute(NEXT_NUMBER, {"day": day, "prefix": prefix}).scalar_one())


_REQUIRED = object()


class Direct:
    """A Core statement the kiosk runs for every ticket (issue 12), straight on SQLite's DB-API cursor.

    SQLAlchemy's execution (its context, events and result objects) cost more CPU than SQLite running
    the statement. On SQLite, the statement is compiled once with the dialect (its SQL, the order of its
    parameters and SQLAlchemy's own conversions of them: dates, UTC datetimes, JSON), then each run only
    converts the values and calls the cursor, in the caller's transaction; what is stored is what
    SQLAlchemy would store. Errors are SQLAlchemy's (IntegrityError, OperationalError, ...). On PostgreSQL
    (psycopg) the same, with named parameters (`_run_named`: SQLAlchemy's execution cost twice psycopg's
    run of the statement, ~50 us of CPU a statement); on any other database it runs through SQLAlchemy.
    Engine events (before_cursor_execute, echo) do not see the direct runs.
    """

    def __init__(self, statement: Any, keys: tuple[str, ...] = ()):
        self.statement = statement
        self.keys = keys  # an INSERT's columns
        self._compiled: tuple[str, list[tuple[str, Any, Any]]] | None = None
        self._named: tuple[str, list[tuple[str, str, Any, Any]]] | None = None  # PostgreSQL's

    def _compile(self, dialect: Dialect) -> tuple[str, list[tuple[str, Any, Any]]]:
        if self._compiled is None:
            compiled = self.statement.compile(
                dialect=dialect,
                column_keys=list(self.keys) or None,
                compile_kwargs={"render_postcompile": True},
            )
            names = compiled.positiontup or []
            if self.keys and not set(names) <= set(self.keys):  # a default SQLAlchemy would fill in per run
                raise ValueError(f"give every column of {self.statement}: {sorted(set(names) - set(self.keys))}")
            order = [
                (
                    name,
                    _REQUIRED if compiled.binds[name].required else compiled.params.get(name),
                    compiled.binds[name].type._cached_bind_processor(dialect),
                )
                for name in names
            ]
            self._compiled = (str(compiled), order)
        return self._compiled

    def _compile_named(self, dialect: Dialect) -> tuple[str, list[tuple[str, str, Any, Any]]]:
        """PostgreSQL's text (its parameters by name, with psycopg's casts) and, per parameter, as `_compile`."""
        if self._named is None:
            compiled = self.statement.compile(
                dialect=dialect,
                column_keys=list(self.keys) or None,
                compile_kwargs={"render_postcompile": True},
            )
            names = list(compiled.binds)
            if self.keys and not set(names) <= set(self.keys):
                raise ValueError(f"give every column of {self.statement}: {sorted(set(names) - set(self.keys))}")
            escaped = compiled.escaped_bind_names or {}
            order = [
                (
                    name,
                    escaped.get(name, name),
                    _REQUIRED if compiled.binds[name].required else compiled.params.get(name),
                    compiled.binds[name].type._cached_bind_processor(dialect),
                )
                for name in names
            ]
            self._named = (str(compiled), order)
        return self._named

    def _run_named(self, conn: Connection, params: dict[str, Any]) -> Any:
        sql, order = self._compile_named(conn.dialect)
        values = {}
        for name, key, constant, process in order:
            value = params[name] if constant is _REQUIRED else params.get(name, constant)
            values[key] = process(value) if process is not None else value
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, values)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(sql, values, exc, conn.dialect.loaded_dbapi.Error) from exc
        return cursor

    def run(self, conn: Connection, params: dict[str, Any]) -> Any:
        """Run with `params`: the DB-API cursor (lastrowid, fetchone) on SQLite and PostgreSQL, else SQLAlchemy's
        result."""
        if conn.dialect.name != "sqlite":
            if conn.dialect.driver == "psycopg":
                return self._run_named(conn, params)
            return conn.execute(self.statement, params)
        sql, order = self._compile(conn.dialect)
        values = []
        for name, constant, process in order:
            value = params[name] if constant is _REQUIRED else params.get(name, constant)
            values.append(process(value) if process is not None else value)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, values)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(sql, values, exc, conn.dialect.loaded_dbapi.Error) from exc
        return cursor


__all__ = [
    "Applicant",
    "Base",
    "Booking",
    "BookingSlot",
    "Counter",
    "Device",
    "Direct",
    "Disruption",
    "EventRecord",
    "NumberSequence",
    "OutboxMessage",
    "Setting",
    "SopDocument",
    "StaffSession",
    "StepVisit",
    "Store",
    "SurveyResponse",
    "Ticket",
    "User",
    "changes_of",
    "next_number",
    "select",
]
