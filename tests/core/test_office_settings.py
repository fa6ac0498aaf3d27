"""Office settings: the office's own value where it set one, else the environment's default, everywhere."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from loket.core.accounts import create_counter, create_user
from loket.core.errors import NotAllowed
from loket.core.qr import CodeSigner
from loket.core.register import register_workbook
from loket.core.roles import Actor, Role
from loket.core.service import Loket
from loket.core.settings import OfficeDefaults, OfficeSettings, effective, write_settings
from loket.core.states import TicketState
from loket.core.tickets import flow, issuing, queue, views

ENVIRONMENT = OfficeDefaults(
    office_name="Disdukcapil dari Lingkungan", calls_before_no_show=4, personal_data_retention_days=90
)


@pytest.fixture
def office(store, catalog, clock):
    """A Loket started with the environment's defaults (as create_app passes them)."""
    return Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, defaults=ENVIRONMENT)


def _store_settings(loket: Loket, **values: object) -> None:
    with loket.store.transaction() as s:
        write_settings(s, OfficeSettings.model_validate(values), loket.clock.now(), None)


def test_each_setting_is_the_office_s_value_else_the_environment_s():
    stored = OfficeSettings(office_name="Disdukcapil Kota Percobaan", voice_reading="digits")
    settings = effective(stored, ENVIRONMENT)
    assert settings.office_name == "Disdukcapil Kota Percobaan"
    assert settings.voice_reading == "digits"
    assert settings.calls_before_no_show == 4
    assert settings.personal_data_retention_days == 90
    assert effective(OfficeSettings(), ENVIRONMENT).office_name == "Disdukcapil dari Lingkungan"


def test_defaults_come_from_the_configuration_once():
    config = {"OFFICE_NAME": "Disdukcapil Kab. Contoh", "CALLS_BEFORE_NO_SHOW": 2, "VOICE_READING": "digits"}
    defaults = OfficeDefaults.from_config(config)
    assert (defaults.office_name, defaults.calls_before_no_show, defaults.voice_reading) == (
        "Disdukcapil Kab. Contoh",
        2,
        "digits",
    )
    assert defaults.personal_data_retention_days == OfficeDefaults().personal_data_retention_days
    assert (defaults.no_show_min_minutes, defaults.resume_to) == (3, "front")
    assert OfficeDefaults.from_config({"NO_SHOW_MIN_MINUTES": 0}).no_show_min_minutes == 0  # 0 is a value, not unset


def test_the_buku_harian_workbook_is_titled_with_the_office_s_own_name(office):
    day = office.clock.today()
    book = load_workbook(io.BytesIO(register_workbook(office, day)))
    assert book.active["A1"].value == f"Buku Harian Disdukcapil dari Lingkungan - {day.isoformat()}"

    _store_settings(office, office_name="Disdukcapil Kota Percobaan")
    book = load_workbook(io.BytesIO(register_workbook(office, day)))
    assert book.active["A1"].value == f"Buku Harian Disdukcapil Kota Percobaan - {day.isoformat()}"


def test_the_display_shows_the_office_s_name_else_the_configured_one(office):
    assert views.display_state(office)["office"]["name"] == "Disdukcapil dari Lingkungan"
    _store_settings(office, office_name="Disdukcapil Kota Percobaan")
    assert views.display_state(office)["office"]["name"] == "Disdukcapil Kota Percobaan"


def test_no_show_needs_the_office_s_number_of_calls_else_the_environment_s(office):
    user = create_user(office.store, office.clock, "desk", "Desk Officer", "password123", [Role.PELAYANAN])
    desk = Actor(user.id, Role.PELAYANAN, create_counter(office.store, "Loket 1", 1, [Role.PELAYANAN]).id)
    ticket = issuing.issue(office, "pencetakan-ktp-el").ticket.id
    queue.call_next(office, desk)
    with pytest.raises(NotAllowed, match="Panggil 4 kali"):
        flow.no_show(office, desk, ticket)
    _store_settings(office, calls_before_no_show=1, no_show_min_minutes=0)  # 0: no minimum spacing
    assert flow.no_show(office, desk, ticket).ticket.state is TicketState.NO_SHOW
