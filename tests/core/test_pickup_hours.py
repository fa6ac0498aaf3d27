"""The office's "Jam pengambilan dokumen", on SQLite and PostgreSQL: its own per weekday, else the office hours;
set by the admin, validated and audited like the other settings; what the status page and the pickup slip say."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from loket.core import admin as ops
from loket.core import status
from loket.core.accounts import create_user
from loket.core.roles import Actor, Role
from loket.core.settings import Hours, OfficeSettings, hours_lines

OFFICE = {d: {"open": "08:00", "close": "15:00"} for d in ("mon", "tue", "wed", "thu", "fri")}
PICKUP = {
    "mon": {"open": "13:00", "close": "15:00"},
    "tue": {"open": "13:00", "close": "15:00"},
    "fri": {"open": "09:00", "close": "11:00"},
}


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


def test_the_pickup_hours_default_to_the_office_hours_then_are_the_offices_own(loket, admin):
    assert status.pickup_hours(loket) is None  # neither set: the page says "in office hours"
    ops.update_settings(loket, admin, {"hours": OFFICE})
    shown = status.pickup_hours(loket)
    assert shown is not None and [d["day"]["id"] for d in shown] == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    assert shown[0] == {"day": {"id": "Senin", "en": "Monday"}, "open": "08:00", "close": "15:00"}
    ops.update_settings(loket, admin, {"pickup_hours": PICKUP})
    assert status.pickup_hours(loket) == [
        {"day": {"id": "Senin", "en": "Monday"}, "open": "13:00", "close": "15:00"},
        {"day": {"id": "Selasa", "en": "Tuesday"}, "open": "13:00", "close": "15:00"},
        {"day": {"id": "Jumat", "en": "Friday"}, "open": "09:00", "close": "11:00"},
    ]
    assert status.service_hours(loket)[0]["open"] == "08:00"  # the ticket hours are untouched
    ops.update_settings(loket, admin, {"pickup_hours": None})  # back to "same as the office hours"
    assert status.pickup_hours(loket) == shown


def test_a_change_of_the_pickup_hours_is_audited_with_before_and_after(loket, admin):
    ops.update_settings(loket, admin, {"pickup_hours": PICKUP})
    [entry] = ops.audit_log(loket, kind="settings.changed")
    assert entry["summary"] == "pickup_hours" and entry["officer"]["username"] == "admin"
    assert entry["before"]["pickup_hours"] is None
    assert entry["after"]["pickup_hours"]["fri"] == {"open": "09:00:00", "close": "11:00:00"}


@pytest.mark.parametrize(
    "bad",
    [{"sunday": {"open": "08:00", "close": "12:00"}}, {"mon": {"open": "15:00", "close": "08:00"}}],
)
def test_pickup_hours_are_checked_like_the_office_hours(bad):
    with pytest.raises(ValidationError):
        OfficeSettings.model_validate({"pickup_hours": bad})


def test_the_slip_lists_the_pickup_hours_in_a_few_lines():
    hours = {d: Hours.model_validate(h) for d, h in {**OFFICE, "fri": {"open": "08:00", "close": "11:00"}}.items()}
    assert hours_lines(hours) == ["Senin-Kamis 08:00-15:00", "Jumat 08:00-11:00"]
    gap = {d: Hours.model_validate(h) for d, h in PICKUP.items()}
    assert hours_lines(gap) == ["Senin-Selasa 13:00-15:00", "Jumat 09:00-11:00"]
    assert hours_lines(None) == [] and hours_lines({}) == []
