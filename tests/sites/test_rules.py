"""The hub sets the rules (issue 16): the hub's rows and a site's own values side by side, the settings in force at a
site, what a site refuses to write, and a change arriving by replication picked up like another process's write.

No replication here: the rows a subscription would bring are written straight into the site's database, through an
engine of their own (Core statements, no ORM session: this process does not see them as its own writes, as it would
not see the apply worker's). On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import delete, insert, select, text

import loket.core.context
from loket.core import admin as ops
from loket.core.accounts import create_counter, create_user
from loket.core.booking.config import BookingConfig, ServiceBooking
from loket.core.catalog import Sop
from loket.core.errors import Conflict, InvalidInput, NotAllowed
from loket.core.roles import Actor, CommandLine, Role
from loket.core.settings import Hours, OfficeSettings, ServiceRule
from loket.core.sites import rules
from loket.core.sop_documents import sop_yaml
from loket.core.store import Setting, SopDocument, Store

SITE = "kec-a"
KTP = "pencetakan-ktp-el"
NINE_TO_TWELVE = {"mon": {"open": "09:00:00", "close": "12:00:00"}}


class Monotonic:
    """A stand-in for time.monotonic in loket.core.context: the kept copies' age moves only when the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch):
    fake = Monotonic()
    monkeypatch.setattr(loket.core.context.time, "monotonic", fake)
    return fake


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


@pytest.fixture
def site(loket):
    loket.site = SITE
    return loket


@pytest.fixture
def hub(loket):
    loket.hub = True
    return loket


class Replication:
    """Writes rows into the site's database as a subscription's apply worker would: another connection, no ORM."""

    def __init__(self, url: str, clock):
        self.store = Store(url)
        self.clock = clock

    def setting(self, key: str, value: dict) -> None:
        with self.store.engine.begin() as conn:
            conn.execute(delete(Setting).where(Setting.key == key))
            conn.execute(insert(Setting).values(key=key, value=value, updated_at=self.clock.now(), updated_by=None))

    def sop(self, sop: Sop, version: int) -> None:
        """An SOP document of the hub and the hub's catalog version, in one transaction (as the hub committed them)."""
        with self.store.engine.begin() as conn:
            conn.execute(delete(SopDocument).where(SopDocument.code == sop.code))
            conn.execute(
                insert(SopDocument).values(
                    code=sop.code, yaml=sop_yaml(sop), updated_at=self.clock.now(), updated_by=None
                )
            )
            self._version(conn, version)

    def drop_sop(self, code: str, version: int) -> None:
        with self.store.engine.begin() as conn:
            conn.execute(delete(SopDocument).where(SopDocument.code == code))
            self._version(conn, version)

    def _version(self, conn, version: int) -> None:
        conn.execute(delete(Setting).where(Setting.key == rules.HUB_CATALOG_KEY))
        conn.execute(
            insert(Setting).values(
                key=rules.HUB_CATALOG_KEY, value={"version": version}, updated_at=self.clock.now(), updated_by=None
            )
        )


@pytest.fixture
def replication(loket):
    r = Replication(loket.store.url, loket.clock)
    yield r
    r.store.dispose()


def hub_office(**values) -> dict:
    return OfficeSettings.model_validate(values).model_dump(mode="json")


def stored(loket, key: str) -> dict | None:
    with loket.store.read() as s:
        row = s.get(Setting, key)
        return row.value if row else None


# ---- what the replication helper takes ----------------------------------------------------------


def test_the_hub_publishes_its_tables_and_only_its_own_settings_rows(loket):
    assert {"sop_documents", "users", "sites", "settings"} <= set(rules.HUB_TABLES)
    keys = ["office", "booking", "catalog", "outbox", "hub.office", "hub.booking", "hub.policy", "hub.catalog"]
    keys += ["site.office", "site.booking", "hubx", "hub"]
    with loket.store.transaction() as s:
        for key in keys:
            s.add(Setting(key=key, value={}, updated_at=loket.clock.now()))
    with loket.store.read() as s:
        published = set(s.scalars(select(Setting.key).where(text(rules.hub_settings_filter))))
    assert published == {"hub.office", "hub.booking", "hub.policy", "hub.catalog"}


def test_the_scope_comes_from_the_configuration():
    assert rules.scope_of("", False) is rules.Scope.OFFICE
    assert rules.scope_of("kec-a", False) is rules.Scope.SITE
    assert rules.scope_of("", True) is rules.Scope.HUB


# ---- the settings in force ---------------------------------------------------------------------------


def test_a_single_office_keeps_its_own_settings_whatever_rows_lie_about(loket, admin, replication):
    replication.setting("hub.office", hub_office(running_text="dari hub"))
    ops.update_settings(loket, admin, {"running_text": "kantor sendiri"})
    assert loket.settings.running_text == "kantor sendiri"
    assert stored(loket, "office")["running_text"] == "kantor sendiri"
    assert stored(loket, "hub.office")["running_text"] == "dari hub"  # untouched


def test_a_site_before_its_first_sync_works_on_its_own_settings(site, admin):
    ops.update_settings(site, admin, {"running_text": "sebelum sinkron", "services": {KTP: {"quota": 5}}})
    assert site.settings.running_text == "sebelum sinkron"
    assert site.settings.rule(KTP).quota == 5
    assert stored(site, "office")["running_text"] == "sebelum sinkron"
    assert stored(site, "site.office") is None


def test_at_a_site_the_hub_s_rules_hold_with_the_site_s_own_values_where_the_hub_allows(site, replication):
    replication.setting(
        "hub.office",
        hub_office(running_text="Pengumuman kabupaten", hours=NINE_TO_TWELVE, services={KTP: {"quota": 40}}),
    )
    # the site's own values, as its admin saved them before (services is not the site's to set: ignored)
    replication.setting(
        "site.office", {"running_text": "Pengumuman kecamatan", "services": {KTP: {"quota": 99}}, "blanko_stock": 12}
    )
    replication.setting("office", hub_office(running_text="lama, sebelum jadi lokasi"))
    settings = site.settings
    assert settings.running_text == "Pengumuman kecamatan"
    assert settings.rule(KTP).quota == 40
    assert settings.hours == {"mon": Hours(open=time(9), close=time(12))}
    assert settings.blanko_stock == 12
    # the hub narrows what sites may override: the site's running text gives way, its blanko stock never does
    replication.setting("hub.policy", {"office": ["hours"]})
    site.kept_seconds = 0
    assert site.settings.running_text == "Pengumuman kabupaten"
    assert site.settings.blanko_stock == 12


def test_a_site_value_the_hub_made_invalid_gives_way_and_a_newer_hub_s_fields_are_ignored(site, replication):
    replication.setting("hub.office", {**hub_office(running_text="hub"), "a_field_of_a_newer_loket": True})
    replication.setting("site.office", {"call_repeat": 7, "running_text": "lokasi"})
    assert site.settings.call_repeat == 1  # 7 is not a valid value: the hub's
    assert site.settings.running_text == "lokasi"
    # a hub field this version cannot read (a newer value) is left out alone: the rest of the hub's rules hold
    replication.setting("hub.office", {**hub_office(services={KTP: {"quota": 40}}), "voice_reading": "ejaan-baru"})
    site.kept_seconds = 0
    assert site.settings.rule(KTP).quota == 40 and site.settings.voice_reading is None


def test_a_site_s_admin_sets_what_the_hub_allows_and_nothing_else(site, admin, replication):
    replication.setting("hub.office", hub_office(running_text="hub", services={KTP: {"quota": 40}}))
    before = site.settings.model_dump(mode="json")
    # the page sends every field back: the hub's fields unchanged, the site's own changed
    ops.update_settings(site, admin, {**before, "hours": NINE_TO_TWELVE, "running_text": "lokasi"})
    assert stored(site, "site.office") == {"hours": NINE_TO_TWELVE, "running_text": "lokasi"}
    assert stored(site, "hub.office")["running_text"] == "hub"  # the hub's row is never written at a site
    assert stored(site, "office") is None
    assert site.settings.hours is not None and site.settings.running_text == "lokasi"

    with pytest.raises(InvalidInput) as refused:
        ops.update_settings(site, admin, {"services": {KTP: {"quota": 80}}, "running_text": "lagi"})
    assert [p["field"] for p in refused.value.problems] == ["services"]
    assert "kantor pusat (hub)" in refused.value.problems[0]["message"]
    assert site.settings.rule(KTP).quota == 40 and site.settings.running_text == "lokasi"  # nothing saved

    # a field the hub stops allowing keeps the site's value aside, unused, through the site's next saves
    replication.setting("hub.policy", {"office": ["running_text"]})
    site.kept_seconds = 0
    assert site.settings.hours is None
    ops.update_settings(site, admin, {"running_text": "lokasi"})
    assert stored(site, "site.office")["hours"] == NINE_TO_TWELVE
    replication.setting("hub.policy", {"office": ["running_text", "hours"]})
    assert site.settings.hours is not None

    # the hub's value again: the site follows the hub from now on
    ops.update_settings(site, admin, {"running_text": "hub"})
    assert stored(site, "site.office") == {"hours": NINE_TO_TWELVE}
    replication.setting("hub.office", hub_office(running_text="hub, baru"))
    site.kept_seconds = 0
    assert site.settings.running_text == "hub, baru"


def test_the_admin_page_knows_which_fields_the_hub_sets(site, replication):
    with site.store.read() as s:
        assert rules.describe(s, site.scope, "office")["ruled_by_hub"] is False
    replication.setting("hub.office", hub_office(running_text="hub"))
    replication.setting("site.office", {"running_text": "lokasi"})
    with site.store.read() as s:
        described = rules.describe(s, site.scope, "office")
    assert described["ruled_by_hub"] is True
    assert "services" in described["hub_owned"] and "hours" in described["overridable"]
    assert described["overridden"] == ["running_text"] and described["hub"]["running_text"] == "hub"
    assert described["set_by_hub"] == {"id": "Diatur oleh kantor pusat (hub)", "en": "Set by the hub"}


def test_the_hub_s_admin_edits_the_rules_for_every_site_and_the_policy(hub, admin):
    ops.update_settings(hub, admin, {"services": {KTP: {"quota": 30}}})
    assert stored(hub, "hub.office")["services"] == {KTP: {**ServiceRule().model_dump(mode="json"), "quota": 30}}
    assert stored(hub, "office") is None
    assert hub.settings.rule(KTP).quota == 30
    with hub.store.transaction() as s:
        rules.write_policy(s, hub.scope, {"office": ["hours", "running_text"]}, hub.clock.now(), None)
    assert stored(hub, "hub.policy")["office"] == ["blanko_stock", "hours", "running_text"]
    with hub.store.transaction() as s, pytest.raises(InvalidInput):
        rules.write_policy(s, hub.scope, {"office": ["no_such_field"]}, hub.clock.now(), None)


def test_only_the_hub_sets_the_policy(site):
    with site.store.transaction() as s, pytest.raises(NotAllowed):
        rules.write_policy(s, site.scope, {"office": ["services"]}, site.clock.now(), None)


def test_an_office_that_becomes_the_hub_sends_the_rules_it_had(loket, admin):
    ops.update_settings(loket, admin, {"services": {KTP: {"quota": 25}}, "running_text": "kantor"})
    loket.hub = True
    with loket.store.transaction() as s:
        assert rules.publish_rules(s, loket.clock.now()) == ["hub.office", "hub.booking", "hub.policy"]
        assert rules.publish_rules(s, loket.clock.now()) == []  # again: nothing
    assert stored(loket, "hub.office")["services"][KTP]["quota"] == 25


def test_booking_rules_the_hub_sets_and_the_site_s_own_slots(site, admin, replication):
    from loket.core.booking import admin as booking_admin
    from loket.core.booking import operations as booking

    replication.setting(
        "hub.booking", BookingConfig(enabled=True, services={KTP: ServiceBooking()}).model_dump(mode="json")
    )
    assert booking.config(site).enabled and booking.config(site).service(KTP) is not None
    booking_admin.update_config(site, admin, {"services": {KTP: {"seats_per_slot": 9}}})
    assert booking.config(site).services[KTP].seats_per_slot == 9
    with pytest.raises(InvalidInput):
        booking_admin.update_config(site, admin, {"enabled": False})
    assert booking_admin.current_config(site)["rules"]["hub_owned"][:2] == ["challenge", "challenge_max_number"]


# ---- replication is another process's write --------------------------------------------------------------


def test_settings_arriving_by_replication_apply_within_the_kept_time(site, replication, monotonic):
    replication.setting("hub.office", hub_office(running_text="pertama"))
    assert site.settings.running_text == "pertama"
    replication.setting("hub.office", hub_office(running_text="kedua"))
    monotonic.now += site.kept_seconds / 2
    assert site.settings.running_text == "pertama"  # kept, as another process's write would be
    monotonic.now += site.kept_seconds
    assert site.settings.running_text == "kedua"


def test_booking_rules_arriving_by_replication_apply_within_the_kept_time(site, replication, monotonic):
    from loket.core.booking import operations as booking

    replication.setting("hub.booking", BookingConfig(enabled=False).model_dump(mode="json"))
    assert not booking.config(site).enabled
    replication.setting("hub.booking", BookingConfig(enabled=True).model_dump(mode="json"))
    monotonic.now += site.kept_seconds / 2
    assert not booking.config(site).enabled
    monotonic.now += site.kept_seconds
    assert booking.config(site).enabled


def test_a_site_seeds_no_demo_accounts(site):
    from loket.core.demo import NOT_SEEDED, ensure_demo

    assert list(ensure_demo(site)) == [NOT_SEEDED]
    assert ops.list_users(site) == []


def test_sops_arriving_by_replication_apply_within_the_catalog_check(site, catalog, replication, monotonic):
    kia = catalog.get("penerbitan-kia")
    assert site.catalog.get("penerbitan-kia").target_minutes == kia.target_minutes
    changed = kia.model_copy(update={"target_minutes": (kia.target_minutes or 0) + 17})
    replication.sop(changed, version=1)
    monotonic.now += site.catalog_check_seconds / 2
    assert site.catalog.get("penerbitan-kia").target_minutes == kia.target_minutes
    monotonic.now += site.catalog_check_seconds
    assert site.catalog.get("penerbitan-kia").target_minutes == changed.target_minutes
    assert site.catalog.sources["penerbitan-kia"] == "office:penerbitan-kia"
    # the hub's SOP taken away: the shipped one again
    replication.drop_sop("penerbitan-kia", version=2)
    monotonic.now += site.catalog_check_seconds
    assert site.catalog.get("penerbitan-kia").target_minutes == kia.target_minutes


def test_the_hub_s_sop_changes_move_the_hub_s_version_which_replication_carries(hub, admin, catalog):
    kia = catalog.get("penerbitan-kia")
    ops.save_sop(hub, admin, kia.model_copy(update={"target_minutes": 99}).model_dump(mode="json"), code=kia.code)
    assert stored(hub, rules.HUB_CATALOG_KEY) == {"version": 1}
    assert stored(hub, "catalog") is None


# ---- what a site never writes -------------------------------------------------------------------------


def test_a_site_creates_and_changes_no_account(site, admin):
    data = {"username": "baru", "full_name": "Petugas Baru", "roles": ["pelayanan"], "password": "password-123"}
    for attempt in (
        lambda: ops.create_staff(site, admin, data),
        lambda: ops.create_staff(site, CommandLine("create-user"), data),
        lambda: ops.update_staff(site, admin, admin.user_id, {"full_name": "X"}),
        lambda: ops.reset_password(site, admin, admin.user_id, "password-456"),
    ):
        with pytest.raises(NotAllowed, match="kantor pusat"):
            attempt()
    assert [u["username"] for u in ops.list_users(site)] == ["admin"]


def test_a_site_edits_no_sop(site, admin, catalog):
    kia = catalog.get("penerbitan-kia")
    with pytest.raises(NotAllowed, match="kantor pusat"):
        ops.save_sop(site, admin, kia.model_dump(mode="json"), code=kia.code)
    with pytest.raises(NotAllowed, match="kantor pusat"):
        ops.delete_sop(site, admin, kia.code)
    with site.store.read() as s:
        assert s.scalar(select(SopDocument.code)) is None


def test_the_hub_removes_no_service_it_retires_it_as_a_draft(hub, admin, catalog):
    new = added_sop(catalog)
    ops.save_sop(hub, admin, new.model_dump(mode="json"))
    with pytest.raises(Conflict, match="draf"):
        ops.delete_sop(hub, admin, new.code)
    ops.save_sop(hub, admin, new.model_copy(update={"draft": True}).model_dump(mode="json"), code=new.code)
    assert hub.catalog.get(new.code).draft


# ---- a site refuses nothing it already had ------------------------------------------------------------


def added_sop(catalog) -> Sop:
    """An SOP the hub added (not shipped), with its own code and prefix."""
    return catalog.get("penerbitan-kia").model_copy(update={"code": "layanan-hub", "prefix": "Z"})


def desk(loket, role: Role, name: str, number: int) -> Actor:
    user = create_user(loket.store, loket.clock, f"{role.value}-{number}", name, "password123", [role])
    return Actor(user.id, role, create_counter(loket.store, f"Loket {number}", number, [role]).id)


def serve_to_the_end(loket, ticket_id: int, steps: list[dict], desks: dict[str, Actor] | None = None) -> None:
    """Serve a berkas through the steps frozen in it, one desk per role (made here when `desks` has none)."""
    from loket.core.tickets import flow, queue

    desks = {} if desks is None else desks
    for index, step in enumerate(steps):
        role = Role(step["role"])
        actor = desks.get(role.value) or desk(loket, role, role.value, 10 + len(desks))
        desks[role.value] = actor
        if index == 0:
            called = queue.call_next(loket, actor).ticket
            assert called is not None and called.id == ticket_id
        flow.start(loket, actor, ticket_id)
        if index == len(steps) - 1:
            flow.hand_over(loket, actor, ticket_id)
        else:
            flow.advance(loket, actor, ticket_id)


def ticket_row(loket, ticket_id: int):
    from loket.core.store import Ticket

    with loket.store.read() as s:
        return s.get(Ticket, ticket_id)


def test_a_berkas_keeps_its_frozen_steps_when_the_hub_changes_its_sop(site, catalog, replication, monotonic):
    from loket.core.tickets import issuing

    kia = catalog.get("penerbitan-kia")
    replication.setting("hub.office", hub_office())
    ticket = issuing.issue(site, kia.code).ticket
    frozen = ticket_row(site, ticket.id).steps
    # the hub cuts the SOP to its first step only
    replication.sop(kia.model_copy(update={"steps": kia.steps[:1]}), version=1)
    monotonic.now += site.catalog_check_seconds
    assert len(site.catalog.get(kia.code).steps) == 1 < len(frozen)
    serve_to_the_end(site, ticket.id, frozen)
    row = ticket_row(site, ticket.id)
    assert row.state == "done" and row.steps == frozen


def test_a_ticket_and_a_booking_of_a_service_the_hub_took_away_are_still_served(site, catalog, replication, monotonic):
    from loket.core.booking import operations as booking
    from loket.core.checkin import check_in
    from loket.core.tickets import issuing

    new = added_sop(catalog)
    replication.sop(new, version=1)
    replication.setting("hub.office", hub_office())
    replication.setting(
        "hub.booking", BookingConfig(enabled=True, services={new.code: ServiceBooking()}).model_dump(mode="json")
    )
    monotonic.now += site.catalog_check_seconds
    walk_in = issuing.issue(site, new.code).ticket
    made = booking.book(site, new.code, site.clock.today(), time(8, 30), "3273010101900001")
    # while the site was cut off the hub took the service off booking and gave it no more tickets (quota 0)
    replication.setting("hub.booking", BookingConfig(enabled=True).model_dump(mode="json"))
    replication.setting("hub.office", hub_office(services={new.code: {"quota": 0}}))
    monotonic.now += site.kept_seconds + 1
    assert booking.config(site).service(new.code) is None
    site.clock.advance(minutes=35)
    booked = check_in(site, made.code).outcome.ticket  # the booking the site gave still checks in
    assert booked is not None
    # and then took its SOP away entirely: the berkas carry their own steps
    replication.drop_sop(new.code, version=2)
    monotonic.now += site.catalog_check_seconds + 1
    assert site.catalog.get(new.code) is None
    desks: dict[str, Actor] = {}
    for ticket in (walk_in, booked):
        serve_to_the_end(site, ticket.id, new.snapshot(), desks)
        assert ticket_row(site, ticket.id).state == "done"


def test_tickets_issued_under_a_quota_the_hub_lowered_are_still_served(site, replication, monotonic):
    from loket.core.errors import ServiceUnavailable
    from loket.core.tickets import issuing, queue

    replication.setting("hub.office", hub_office(services={KTP: {"quota": 3}}))
    issued = [issuing.issue(site, KTP).ticket.id for _ in range(3)]
    replication.setting("hub.office", hub_office(services={KTP: {"quota": 1}}))
    monotonic.now += site.kept_seconds + 1
    with pytest.raises(ServiceUnavailable):
        issuing.issue(site, KTP)  # no new ticket over the new quota ...
    actor = desk(site, Role.PELAYANAN, "pelayanan", 1)
    called = []
    for _ in issued:  # ... and every ticket it had is called in its turn
        ticket = queue.call_next(site, actor).ticket
        called.append(ticket.id)
        from loket.core.tickets import flow

        flow.start(site, actor, ticket.id)
        flow.advance(site, actor, ticket.id)
    assert called == issued


def test_the_publication_of_the_rules_is_valid_postgresql_and_the_hub_still_writes_its_settings(pg_store_url, clock):
    """On PostgreSQL 15 a row filter must use only replica-identity columns, or UPDATE and DELETE of the table fail
    once it is published: the key is the primary key, so the hub's settings stay writable."""
    from loket.core.settings import write_settings
    from tests.fixtures.database import _empty_every_table

    store = Store(pg_store_url)
    _empty_every_table(store.engine)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("DROP PUBLICATION IF EXISTS loket_rules_test"))
            conn.execute(text(rules.rules_publication_sql("loket_rules_test")))
        with store.engine.begin() as conn:
            published = dict(
                conn.execute(
                    text("SELECT tablename, rowfilter FROM pg_publication_tables WHERE pubname = 'loket_rules_test'")
                ).all()
            )
        assert set(published) == set(rules.HUB_TABLES)
        assert "hub." in published["settings"] and published["users"] is None
        with store.transaction() as s:
            write_settings(s, OfficeSettings(running_text="a"), clock.now(), None)
            rules.publish_rules(s, clock.now())
        with store.transaction() as s:  # UPDATEs of published rows and of others
            write_settings(s, OfficeSettings(running_text="b"), clock.now(), None)
            rules.write(s, rules.Scope.HUB, "office", {"running_text": "c"}, clock.now(), None)
        with store.transaction() as s:
            s.execute(delete(Setting).where(Setting.key.in_(["hub.policy", "office"])))
    finally:
        with store.engine.begin() as conn:
            conn.execute(text("DROP PUBLICATION IF EXISTS loket_rules_test"))
        store.dispose()
