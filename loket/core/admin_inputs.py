"""What an admin types for counters, staff and devices, as pydantic models; each problem names its field.

Every field takes what a form or a JSON body may send (a number as text, a missing value) and either
cleans it or fails with the message the admin page shows beside that field. The checks that need the
database (a name already taken) stay with the operations in core/admin.py.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from loket.core.messages import _

from .errors import validation_problems
from .roles import STEP_ROLES, Role

DEVICE_KINDS = ("kiosk", "display")

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
DEVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
#: Printers an admin may set from the web: a network, USB or serial printer. Files and device paths
#: (file:, preview:, device:) stay with the server's configuration (LOKET_KIOSK_PRINTERS), so a web
#: form can never make the server write where it chooses.
PRINTER = re.compile(
    r"^(network:[A-Za-z0-9.-]+(:\d{1,5})?|usb:0x[0-9a-fA-F]{4}:0x[0-9a-fA-F]{4}|serial:/dev/tty[A-Za-z0-9]+(:\d{3,7})?)$"
)

FULL_NAME_MESSAGE = _("Isi nama lengkap.")
PASSWORD_MESSAGE = _("Kata sandi minimal 8 karakter.")
ROLES_MESSAGE = _("Pilih minimal satu peran.")

Model = TypeVar("Model", bound=BaseModel)


def squash(value: Any) -> str:
    """Text with its runs of spaces made one, and no spaces at the ends."""
    return " ".join(str(value or "").split())


def zone(value: Any) -> str | None:
    """A zone name: squashed, at most 40 characters; empty means none."""
    return None if value is None else (squash(value)[:40] or None)


def roles_from(value: Any, allowed: Collection[str], message: str) -> list[str]:
    """A non-empty list of allowed role codes, sorted without repeats."""
    # `isinstance(r, str)` first: a dict or a list in the list is refused, not looked up (unhashable: a 500).
    if not isinstance(value, list) or not value or any(not isinstance(r, str) or r not in allowed for r in value):
        raise ValueError(message)
    return sorted(set(value))


def check(
    model: type[Model], data: dict[str, Any], context: dict[str, Any] | None = None
) -> tuple[Model | None, list[dict[str, str]]]:
    """The input as the model, or None and its problems as [{field, message}]."""
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, validation_problems(exc)


def in_field_order(problems: list[dict[str, str]], model: type[BaseModel]) -> list[dict[str, str]]:
    """Problems sorted as the model's fields are (``options.counters`` goes with ``options``)."""
    order = list(model.model_fields)
    return sorted(
        problems,
        key=lambda p: order.index(p["field"].split(".")[0]) if p["field"].split(".")[0] in order else len(order),
    )


class _Input(BaseModel):
    # validate_default: a missing field gets the same message as an empty one
    model_config = ConfigDict(extra="ignore", validate_default=True)


class CounterInput(_Input):
    """A counter (loket): its name, number, the staff roles and services it serves, zone, and whether in use."""

    name: str = ""
    number: int = 0
    roles: list[str] = []
    services: list[str] = []
    zone: str | None = None
    active: bool = True

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        name = squash(value)
        if not 1 <= len(name) <= 60:
            raise ValueError(_("Isi nama loket (maks. 60 huruf)."))
        return name

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: Any) -> int:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 999:
            raise ValueError(_("Nomor loket 1 sampai 999."))
        return value

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: Any) -> list[str]:
        message = _("Pilih minimal satu peran petugas.")
        return roles_from(value or [], {r.value for r in STEP_ROLES}, message)

    @field_validator("services", mode="before")
    @classmethod
    def _services(cls, value: Any, info: ValidationInfo) -> list[str]:
        services = value or []
        known = (info.context or {}).get("services")
        if not isinstance(services, list) or not all(isinstance(c, str) for c in services):
            raise ValueError(_("Layanan tidak dikenal."))
        if known is not None and any(c not in known for c in services):
            raise ValueError(_("Layanan tidak dikenal."))
        return sorted(set(services))

    @field_validator("zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str | None:
        return zone(value)

    @field_validator("active", mode="before")
    @classmethod
    def _active(cls, value: Any) -> bool:
        return bool(value)


class NewStaff(_Input):
    """A new staff account: username, full name, first password and roles."""

    username: str = ""
    full_name: str = ""
    password: str = ""
    roles: list[str] = []

    @field_validator("username", mode="before")
    @classmethod
    def _username(cls, value: Any) -> str:
        username = str(value or "").strip().lower()
        if not USERNAME.match(username):
            raise ValueError(_("2-60 huruf kecil, angka, titik, garis."))
        return username

    @field_validator("full_name", mode="before")
    @classmethod
    def _full_name(cls, value: Any) -> str:
        return full_name(value)

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value: Any) -> str:
        return password(value)

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: Any) -> list[str]:
        return roles_from(value, {r.value for r in Role}, ROLES_MESSAGE)


class StaffChanges(BaseModel):
    """Changes to a staff account; only the fields given are checked and changed."""

    model_config = ConfigDict(extra="ignore")
    full_name: str | None = None
    roles: list[str] | None = None
    active: bool | None = None

    @field_validator("full_name", mode="before")
    @classmethod
    def _full_name(cls, value: Any) -> str:
        return full_name(value)

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: Any) -> list[str]:
        return roles_from(value, {r.value for r in Role}, ROLES_MESSAGE)

    @field_validator("active", mode="before")
    @classmethod
    def _active(cls, value: Any) -> bool:
        return bool(value)


class NewPassword(_Input):
    """A password an admin sets for a staff account."""

    password: str = ""

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value: Any) -> str:
        return password(value)


def full_name(value: Any) -> str:
    """A person's full name: squashed, 2 to 120 characters."""
    name = squash(value)
    if not 2 <= len(name) <= 120:
        raise ValueError(FULL_NAME_MESSAGE)
    return name


def password(value: Any) -> str:
    """A password of at least 8 characters."""
    text = str(value or "")
    if len(text) < 8:
        raise ValueError(PASSWORD_MESSAGE)
    return text


class DeviceInput(_Input):
    """A kiosk or display: its name (in its URL), zone, the kiosk's printer, options, and whether in use."""

    kind: str = ""
    name: str = ""
    zone: str | None = None
    printer: str | None = None
    options: dict[str, Any] = {}
    active: bool = True

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> str:
        if value not in DEVICE_KINDS:
            raise ValueError(_("Pilih kiosk atau layar."))
        return str(value)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        name = str(value or "").strip()
        if not DEVICE_NAME.match(name):
            raise ValueError(_("Nama tanpa spasi: huruf, angka, . _ -"))
        return name

    @field_validator("zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str | None:
        return zone(value)

    @field_validator("printer", mode="before")
    @classmethod
    def _printer(cls, value: Any, info: ValidationInfo) -> str | None:
        printer = str(value or "").strip() or None
        if printer is not None and (info.data.get("kind") != "kiosk" or not PRINTER.match(printer)):
            raise ValueError(_("Contoh: network:10.0.0.21:9100, usb:0x0416:0x5011, serial:/dev/ttyUSB0:9600."))
        return printer

    @field_validator("options", mode="before")
    @classmethod
    def _options(cls, value: Any) -> dict[str, Any]:
        options = value or {}
        if not isinstance(options, dict):
            raise ValueError(_("Opsi tidak sah."))
        return options

    @field_validator("active", mode="before")
    @classmethod
    def _active(cls, value: Any) -> bool:
        return bool(value)


class DisplayOptions(_Input):
    """A display's options: the counters whose calls it shows (none: all) and whether it lists pickups."""

    counters: list[str] = []
    pickup: bool = False

    @field_validator("counters", mode="before")
    @classmethod
    def _counters(cls, value: Any, info: ValidationInfo) -> list[str]:
        counters = value or []
        if not isinstance(counters, list) or not all(isinstance(c, str) for c in counters):
            raise ValueError(_("Daftar nama loket."))
        known = (info.context or {}).get("counters")
        unknown = [c for c in counters if known is not None and c not in known]
        if unknown:
            raise ValueError(_("Loket tidak dikenal."))
        return counters

    @field_validator("pickup", mode="before")
    @classmethod
    def _pickup(cls, value: Any) -> bool:
        return bool(value)
