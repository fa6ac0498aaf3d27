"""Office settings the admin changes at run time: hours, quotas, closures, blanko stock, texts.

A setting the office leaves unset takes the environment's default (LOKET_*): `effective()` is the one
place that says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from .contact import MessageSettings
from .messages import _
from .store import Setting, Store

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "mon": ("Senin", "Monday"),
    "tue": ("Selasa", "Tuesday"),
    "wed": ("Rabu", "Wednesday"),
    "thu": ("Kamis", "Thursday"),
    "fri": ("Jumat", "Friday"),
    "sat": ("Sabtu", "Saturday"),
    "sun": ("Minggu", "Sunday"),
}

#: How numbers are read out: "cardinal" (seratus dua puluh tiga) or "digits" (satu dua tiga).
VoiceReading = Literal["cardinal", "digits"]

#: Where a resumed (pended) berkas waits: "front": the front of its step's queue, any counter of the step's role
#: calls it first; "same_counter": the front of the queue of the counter where it was pended (the officer who
#: pended it, while they sit there), falling back to "front" when it was pended away from a counter.
ResumeTo = Literal["front", "same_counter"]


class Hours(BaseModel):
    """Opening and closing time of ticket issuing on one weekday (local time)."""

    model_config = ConfigDict(extra="forbid")
    open: time
    close: time

    @model_validator(mode="after")
    def _order(self) -> Hours:
        if self.close <= self.open:
            raise ValueError(_("Jam tutup harus setelah jam buka."))
        return self


def hours_lines(hours: Mapping[str, Hours | None] | None, lang: str = "id") -> list[str]:
    """Hours per weekday in a few lines for paper (Indonesian; `lang="en"`: English day names), consecutive
    days with the same hours together: ["Senin-Kamis 08:00-15:00", "Jumat 08:00-11:00"]; [] when there are none."""
    name = 1 if lang == "en" else 0
    runs: list[tuple[str, str, str]] = []  # (first day, last day, "08:00-15:00")
    previous = None
    for day in WEEKDAYS:
        h = (hours or {}).get(day)
        span = f"{h.open:%H:%M}-{h.close:%H:%M}" if h is not None else None
        if span is not None and span == previous and runs:
            runs[-1] = (runs[-1][0], day, span)
        elif span is not None:
            runs.append((day, day, span))
        previous = span
    return [
        f"{DAY_NAMES[first][name]}{'' if first == last else '-' + DAY_NAMES[last][name]} {span}"
        for first, last, span in runs
    ]


#: Control characters (tab and line breaks aside): no printer, display or spreadsheet export takes them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_character(text: str) -> bool:
    return _CONTROL.search(text) is not None


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def printable(value: str | None) -> str | None:
    """A text of the office as it is, unless it holds a control character."""
    if value is not None and has_control_character(value):
        raise ValueError(_("Teks berisi karakter kendali yang tidak sah."))
    return value


class ServiceRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    closed: bool = False
    closed_reason: Annotated[str, Field(max_length=200)] | None = None
    quota: Annotated[int, Field(ge=0)] | None = None
    #: Working days from receiving a berkas to its document being ready (0: the same day), printed on the
    #: pickup slip as a date; None: the office does not promise one (the slip points to the status page).
    ready_in_days: Annotated[int, Field(ge=0, le=60)] | None = None

    _printable = field_validator("closed_reason")(printable)


class OfficeSettings(BaseModel):
    """Everything here takes effect at once on every kiosk."""

    model_config = ConfigDict(extra="forbid")
    office_name: Annotated[str, Field(max_length=120)] | None = None  # None: the configured LOKET_OFFICE_NAME
    ticket_footer: Annotated[str, Field(max_length=200)] = "Semua layanan Dukcapil GRATIS. Simpan tiket ini."
    running_text: Annotated[str, Field(max_length=500)] = ""
    #: Printed on every ticket after "Tunggu di:" (e.g. "ruang tunggu lantai 1"); None: a general line.
    waiting_area: Annotated[str, Field(max_length=120)] | None = None
    #: Ticket issuing hours per weekday; a day left out is closed. None: always open.
    hours: dict[str, Hours | None] | None = None
    #: "Jam pengambilan dokumen": when the front desk hands finished documents over, per weekday (a day left
    #: out: no pickup). None: the same as `hours`. Shown on the status page when a berkas is ready.
    pickup_hours: dict[str, Hours | None] | None = None
    services: dict[str, ServiceRule] = Field(default_factory=dict)
    #: Blanko KTP-el cards in stock today; None: the office does not track it.
    blanko_stock: Annotated[int, Field(ge=0)] | None = None
    #: Calls before a counter may mark the resident absent; None: LOKET_CALLS_BEFORE_NO_SHOW.
    calls_before_no_show: Annotated[int, Field(ge=1, le=10)] | None = None
    #: Minutes from the first call before the counter may mark the resident absent (the calls are spread over at
    #: least this long: a resident in the toilet is not struck off 20 s after the first call); 0: no minimum;
    #: None: LOKET_NO_SHOW_MIN_MINUTES.
    no_show_min_minutes: Annotated[int, Field(ge=0, le=60)] | None = None
    #: Where a resumed pended berkas waits (ResumeTo); None: "front".
    resume_to: ResumeTo | None = None
    #: Days applicants' names and NIKs are kept after a berkas's last activity, in any state;
    #: None: LOKET_PERSONAL_DATA_RETENTION_DAYS.
    personal_data_retention_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    #: Numbers read as "cardinal" (seratus dua puluh tiga) or "digits" (satu dua tiga); None: LOKET_VOICE_READING.
    voice_reading: VoiceReading | None = None
    #: Messages to residents (issue 14): each moment on/off, its Indonesian and English text, "N orang lagi".
    messages: MessageSettings = Field(default_factory=MessageSettings)
    #: How many times the board says each call (1 or 2), after one chime.
    call_repeat: Annotated[int, Field(ge=1, le=2)] = 1

    _printable = field_validator("office_name", "ticket_footer", "running_text", "waiting_area")(printable)

    @field_validator("hours", "pickup_hours")
    @classmethod
    def _weekdays(cls, hours: dict[str, Hours | None] | None) -> dict[str, Hours | None] | None:
        if hours is not None:
            unknown = set(hours) - set(WEEKDAYS)
            if unknown:
                raise ValueError(
                    _(
                        "Hari tidak dikenal: %(days)s; pakai %(weekdays)s.",
                        days=", ".join(sorted(unknown)),
                        weekdays=", ".join(WEEKDAYS),
                    )
                )
        return hours

    def hours_on(self, moment: datetime) -> Hours | None:
        """Today's issuing hours (None: closed that weekday, or no hours set)."""
        if self.hours is None:
            return None
        return self.hours.get(WEEKDAYS[moment.weekday()])

    def ready_on(self, code: str, received: date) -> date | None:
        """When a berkas of `code` received on `received` should be ready: its service's `ready_in_days`
        counted in the office's pickup days (its pickup hours, else its hours; none set: Monday-Friday)."""
        days = self.rule(code).ready_in_days
        if days is None:
            return None
        hours = self.pickup_hours_in_force()
        open_days = {d for d in WEEKDAYS if hours.get(d)} if hours else set(WEEKDAYS[:5])
        day = received
        while days > 0 and open_days:
            day += timedelta(days=1)
            if WEEKDAYS[day.weekday()] in open_days:
                days -= 1
        return day

    def pickup_hours_in_force(self) -> dict[str, Hours | None] | None:
        """The pickup hours: the office's own, else its ticket hours (None: neither set)."""
        return self.pickup_hours if self.pickup_hours is not None else self.hours

    def rule(self, code: str) -> ServiceRule:
        """The office's rule for one service (open, no quota when unset)."""
        return self.services.get(code) or ServiceRule()


@dataclass(frozen=True)
class OfficeDefaults:
    """The environment's values for the settings an office may leave unset (taken once, at start-up)."""

    office_name: str = "Dinas Kependudukan dan Pencatatan Sipil"  # LOKET_OFFICE_NAME
    calls_before_no_show: int = 3  # LOKET_CALLS_BEFORE_NO_SHOW
    no_show_min_minutes: int = 3  # LOKET_NO_SHOW_MIN_MINUTES
    resume_to: ResumeTo = "front"
    personal_data_retention_days: int = 365  # LOKET_PERSONAL_DATA_RETENTION_DAYS
    voice_reading: VoiceReading = "cardinal"  # LOKET_VOICE_READING

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OfficeDefaults:
        """The defaults from the configuration dict (loket.config.load_config); missing keys keep ours."""
        fallback = cls()
        return cls(
            office_name=config.get("OFFICE_NAME") or fallback.office_name,
            calls_before_no_show=int(config.get("CALLS_BEFORE_NO_SHOW") or fallback.calls_before_no_show),
            no_show_min_minutes=int(
                fallback.no_show_min_minutes
                if config.get("NO_SHOW_MIN_MINUTES") is None
                else config["NO_SHOW_MIN_MINUTES"]
            ),
            personal_data_retention_days=int(
                config.get("PERSONAL_DATA_RETENTION_DAYS") or fallback.personal_data_retention_days
            ),
            voice_reading=config.get("VOICE_READING") or fallback.voice_reading,
        )


class EffectiveSettings(OfficeSettings):
    """The settings in force: the office's value where it set one, else the environment's default."""

    office_name: str
    calls_before_no_show: int
    no_show_min_minutes: int
    resume_to: ResumeTo
    personal_data_retention_days: int
    voice_reading: VoiceReading


def effective(stored: OfficeSettings, defaults: OfficeDefaults) -> EffectiveSettings:
    """The office's stored value, else the environment default, for every setting."""
    values = stored.model_dump()
    for name, default in asdict(defaults).items():
        if values.get(name) is None:
            values[name] = default
    return EffectiveSettings.model_validate(values)


KEY = "office"


def office_settings(store: Store) -> OfficeSettings:
    """The settings as the office stored them (None where it set nothing)."""
    with store.read() as s:
        return read_settings(s)


def read_settings(s: Session) -> OfficeSettings:
    """The stored settings, in an open session."""
    row = s.get(Setting, KEY)
    return OfficeSettings.model_validate(row.value) if row else OfficeSettings()


def write_settings(s: Session, settings: OfficeSettings, at: datetime, user_id: int | None) -> dict[str, Any]:
    """Store the settings; return the previous value (for the audit trail)."""
    row = s.get(Setting, KEY)
    before = row.value if row else OfficeSettings().model_dump(mode="json")
    value = settings.model_dump(mode="json")
    if row is None:
        s.add(Setting(key=KEY, value=value, updated_at=at, updated_by=user_id))
    else:
        row.value = value
        row.updated_at = at
        row.updated_by = user_id
    return before
