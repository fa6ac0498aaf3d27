"""A resident's contact for messages (issue 14): an Indonesian mobile number or an e-mail address, and the
office's message settings (each moment on/off, its Indonesian and English text, "N orang lagi").

Apart from loket.core.outbox so that the office settings (loket.core.settings) can hold the message
settings without a cycle: the outbox's moments read the settings, the settings read this.

The number is personal data (UU 27/2022): stored in one national form ("08..."), shown masked
("0812****789") to every staff role but the front desk, purged with the rest.
"""

from __future__ import annotations

import re
import string
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .messages import _


class BadContact(ValueError):
    """A number or address that cannot be one: `message` in plain words for the resident or the officer."""

    def __init__(self, message: str, field: str = "phone"):
        super().__init__(message)
        self.message = message
        self.field = field


# ---- numbers ------------------------------------------------------------------------

#: Indonesian mobile numbers: 08 then 8 to 11 digits (0812 3456 789 … 0812 3456 78901).
_MOBILE = re.compile(r"08[1-9]\d{7,10}")


def normal_phone(raw: str | None) -> str | None:
    """The stored form of an Indonesian mobile number typed as 08…, +628…, 628… (or 8…, with spaces, dashes,
    dots or brackets): "08…"; None when blank. BadContact with plain words when it cannot be a mobile number."""
    if raw is None or not raw.strip():
        return None
    compact = re.sub(r"[\s().\-/]", "", raw)
    if compact.startswith("+"):
        compact = compact[1:]
        if not compact.startswith("62"):
            raise BadContact(_("Hanya nomor HP Indonesia (diawali 08 atau +62)."))
    if not compact.isdigit():
        raise BadContact(_("Nomor HP hanya berisi angka, mis. 0812 3456 7890."))
    if compact.startswith("62"):
        compact = "0" + compact[2:]
    elif compact.startswith("8"):
        compact = "0" + compact
    if not compact.startswith("08"):
        raise BadContact(_("Nomor HP diawali 08, mis. 0812 3456 7890."))
    if len(compact) < 10:
        raise BadContact(_("Nomor HP terlalu pendek: kurang angka."))
    if len(compact) > 13:
        raise BadContact(_("Nomor HP terlalu panjang: ada angka berlebih."))
    if not _MOBILE.fullmatch(compact):
        raise BadContact(_("Ini bukan nomor HP (nomor HP diawali 081 sampai 089)."))
    return compact


def international(phone: str) -> str:
    """The stored national form as a gateway may want it: "+628…"."""
    return "+62" + phone[1:] if phone.startswith("0") else phone


def mask_phone(phone: str | None) -> str | None:
    """The number as staff who do not need it see it: the first four and last three digits (0812****789)."""
    if not phone:
        return None
    if "@" in phone:
        return mask_email(phone)
    return phone[:4] + "*" * max(len(phone) - 7, 1) + phone[-3:]


# ---- e-mail -------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+")


def normal_email(raw: str | None) -> str | None:
    """An optional e-mail address as stored (trimmed, domain in lower case); None when blank."""
    if raw is None or not raw.strip():
        return None
    email = raw.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise BadContact(_("Alamat e-mail tidak sah (mis. nama@contoh.id)."), "email")
    local, domain = email.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def mask_email(email: str) -> str:
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"


def hide_numbers(text: str | None) -> str | None:
    """A text (a gateway's error) with any phone number and e-mail address in it hidden, for staff screens."""
    if not text:
        return text
    text = re.sub(r"\+?\d[\d\s-]{7,}\d", lambda m: mask_phone(re.sub(r"\D", "", m.group())) or "", text)
    return _EMAIL.sub(lambda m: mask_email(m.group()), text)


# ---- the moments and their texts ------------------------------------------------------------

#: The moments a resident hears of, in the order of a visit; their placeholders (never a name or NIK).
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "booked": ("code", "service", "day", "time", "link"),
    "reminder": ("code", "service", "day", "time", "link"),
    "ahead": ("number", "service", "ahead", "link"),
    "called": ("number", "service", "counter", "link"),
    "pending": ("number", "service", "reason", "bring", "link"),
    "returned": ("number", "service", "missing", "link"),
    "ready": ("number", "service", "hours", "link"),
    # core/disruptions.py: the office or the resident's service is disrupted (gangguan)
    "disruption": ("number", "service", "reason", "expected", "link"),
}
MOMENTS = tuple(PLACEHOLDERS)

MOMENT_LABELS: dict[str, dict[str, str]] = {
    "booked": {"id": "Booking berhasil", "en": "Booking confirmed"},
    "reminder": {"id": "Pengingat sehari sebelumnya", "en": "Reminder the day before"},
    "ahead": {"id": "N orang lagi", "en": "N people ahead"},
    "called": {"id": "Dipanggil", "en": "Called"},
    "pending": {"id": "Tertunda", "en": "Pending"},
    "returned": {"id": "Dikembalikan (dokumen kurang)", "en": "Returned (documents missing)"},
    "ready": {"id": "Siap diambil", "en": "Ready for pickup"},
    "disruption": {"id": "Gangguan layanan", "en": "Service disruption"},
}

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "booked": {
        "id": "Booking {code} untuk {service} pada {day} pukul {time} berhasil. Tunjukkan kode QR di kios. "
        "Status: {link}",
        "en": "Booking {code} for {service} on {day} at {time} is confirmed. Show its QR code at the kiosk. "
        "Status: {link}",
    },
    "reminder": {
        "id": "Pengingat: besok {day} pukul {time} jadwal Anda untuk {service} (booking {code}). Status: {link}",
        "en": "Reminder: tomorrow {day} at {time} is your slot for {service} (booking {code}). Status: {link}",
    },
    "ahead": {
        "id": "Nomor antrean {number}: tinggal {ahead} orang lagi sebelum Anda. Silakan bersiap. Status: {link}",
        "en": "Queue number {number}: {ahead} to go before your turn. Please get ready. Status: {link}",
    },
    "called": {
        "id": "Nomor antrean {number} dipanggil: silakan menuju {counter}. Status: {link}",
        "en": "Queue number {number} is called: please go to {counter}. Status: {link}",
    },
    "pending": {
        "id": "Berkas {number} ({service}) tertunda: {reason}. Yang perlu dibawa: {bring} Status: {link}",
        "en": "Your berkas {number} ({service}) is on hold: {reason}. What to bring: {bring} Status: {link}",
    },
    "returned": {
        "id": "Berkas {number} ({service}) dikembalikan: dokumen yang kurang: {missing}. Silakan lengkapi lalu "
        "datang lagi. Status: {link}",
        "en": "Your berkas {number} ({service}) is returned: documents missing: {missing}. Please complete them "
        "and come back. Status: {link}",
    },
    "ready": {
        "id": "Dokumen berkas {number} ({service}) sudah jadi. Silakan ambil pada jam pengambilan: {hours}. "
        "Status: {link}",
        "en": "The document of berkas {number} ({service}) is ready. Please collect it during pickup hours: "
        "{hours}. Status: {link}",
    },
    "disruption": {
        "id": "Mohon maaf, layanan {service} sedang terganggu: {reason}. Perkiraan pulih {expected}. "
        "Nomor antrean {number} tetap berlaku. Status: {link}",
        "en": "We are sorry, the service {service} is disrupted: {reason}. Expected back {expected}. "
        "Your queue number {number} remains valid. Status: {link}",
    },
}


def placeholders_in(text: str) -> list[str]:
    """The {placeholder} names a text uses; ValueError when a brace is not closed."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def check_text(moment: str, text: str) -> str:
    """The text when its placeholders are all the moment's; ValueError with a clear message otherwise."""
    allowed = PLACEHOLDERS[moment]
    try:
        used = placeholders_in(text)
    except ValueError:
        raise ValueError(_("Kurung kurawal { } tidak berpasangan.")) from None
    unknown = [name for name in used if name not in allowed]
    if unknown:
        raise ValueError(
            _(
                "Placeholder tidak dikenal: %(unknown)s. Yang boleh: %(allowed)s.",
                unknown=", ".join("{" + n + "}" for n in unknown),
                allowed=", ".join("{" + n + "}" for n in allowed),
            )
        )
    return text


class MomentText(BaseModel):
    """One moment as the office set it: on or off, its texts (None: the default text)."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    id: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    en: Annotated[str, Field(min_length=1, max_length=1000)] | None = None


class MessageSettings(BaseModel):
    """The office's messages to residents: per moment on/off and texts; N of "N orang lagi"."""

    model_config = ConfigDict(extra="forbid")
    moments: dict[str, MomentText] = Field(default_factory=dict)
    #: "N orang lagi": the message goes when the people ahead first fall to N or below.
    ahead_n: Annotated[int, Field(ge=1, le=50)] = 3
    #: The kiosk offers its number pad before the ticket prints (only when a channel is set up, too).
    offer_at_kiosk: bool = True

    @field_validator("moments")
    @classmethod
    def _known(cls, moments: dict[str, MomentText]) -> dict[str, MomentText]:
        unknown = set(moments) - set(MOMENTS)
        if unknown:
            raise ValueError(_("Momen pesan tidak dikenal: %(names)s.", names=", ".join(sorted(unknown))))
        return moments

    @model_validator(mode="after")
    def _texts(self) -> MessageSettings:
        for moment, setting in self.moments.items():
            for text in (setting.id, setting.en):
                if text is not None:
                    check_text(moment, text)
        return self

    def enabled(self, moment: str) -> bool:
        setting = self.moments.get(moment)
        return setting.enabled if setting is not None else True

    def texts(self, moment: str) -> dict[str, str]:
        """The moment's texts in force (the office's, else the default), per language."""
        setting = self.moments.get(moment) or MomentText()
        default = DEFAULT_TEXTS[moment]
        return {"id": setting.id or default["id"], "en": setting.en or default["en"]}


def render(texts: dict[str, str], values: dict[str, dict[str, str]]) -> dict[str, str]:
    """The texts in both languages, each placeholder filled with its value in that language."""
    return {lang: texts[lang].format_map({k: v[lang] for k, v in values.items()}) for lang in ("id", "en")}


#: Example values for the admin's preview (no real resident's data).
SAMPLE_VALUES: dict[str, dict[str, str]] = {
    "code": {"id": "K7QW2MZP", "en": "K7QW2MZP"},
    "service": {"id": "Pencetakan KTP-el", "en": "KTP-el printing"},
    "day": {"id": "Rabu, 02-12-2026", "en": "Wednesday, 02-12-2026"},
    "time": {"id": "09:00", "en": "09:00"},
    "number": {"id": "B-012", "en": "B-012"},
    "ahead": {"id": "3", "en": "3"},
    "counter": {"id": "Loket 3", "en": "Loket 3"},
    "reason": {"id": "Data bermasalah", "en": "Data problem"},
    "bring": {"id": "Kartu Keluarga (KK) asli.", "en": "Your original family card (KK)."},
    "missing": {"id": "Fotokopi KK", "en": "Photocopy of the KK"},
    "hours": {"id": "Senin-Jumat 13:00-15:00", "en": "Monday-Friday 13:00-15:00"},
    "expected": {"id": "pukul 11:00", "en": "at 11:00"},
    "link": {"id": "https://antrean.example/s/T1.abc", "en": "https://antrean.example/s/T1.abc"},
}


def preview(moment: str, texts: dict[str, str]) -> dict[str, str]:
    """The texts filled with example values (ValueError as check_text when a placeholder is unknown)."""
    for text in texts.values():
        check_text(moment, text)
    return render(texts, {k: v for k, v in SAMPLE_VALUES.items() if k in PLACEHOLDERS[moment]})
