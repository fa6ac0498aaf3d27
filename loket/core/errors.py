"""Errors the domain raises; the web layer maps each to an HTTP status."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from loket.core.messages import Message, _


class LoketError(Exception):
    """Base class: a domain rule said no. The message is for people: a `Message` marked with `_()`,
    which the web layer answers in the request's language; or, for a sentence the domain already
    holds in both languages (a service's availability), `label` = {"id", "en"}."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, label: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if label is not None:
            self.label = label
        if code:
            self.code = code


class NotFound(LoketError):
    status = 404
    code = "not_found"


class NotAllowed(LoketError):
    """The user's role or counter may not do this."""

    status = 403
    code = "forbidden"


class IllegalTransition(LoketError):
    """The ticket's state does not allow this action; nothing was changed."""

    status = 409
    code = "illegal_transition"


class Conflict(LoketError):
    """The change clashes with what exists (a name taken, a service in use)."""

    status = 409
    code = "conflict"


class InvalidCode(LoketError):
    """A scanned or typed QR payload failed its signature check."""

    status = 400
    code = "invalid_code"


class ServiceUnavailable(LoketError):
    """The service cannot issue a ticket now (closed, quota, hours)."""

    status = 409
    code = "service_unavailable"


class CatalogError(LoketError):
    """One or more SOP files are invalid; every problem is listed."""

    code = "catalog_invalid"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("SOP catalog is invalid:\n" + "\n".join(f"  - {p}" for p in problems))


class InvalidInput(LoketError):
    """The input breaks a rule; every problem names its field: ``[{field, message}]``."""

    code = "invalid"

    def __init__(self, problems: list[dict[str, str]], message: str | None = None):
        self.problems = problems
        super().__init__(message or _("Isian belum benar. Periksa kolom yang ditandai."))


def problem(field: str, message: str) -> dict[str, str]:
    """One structured problem: the field it concerns and what is wrong (a `Message`, see `loket.core.messages`)."""
    return {"field": field, "message": message}


#: Pydantic's own complaints, by its error `type`, in the catalogs' words; the placeholders are
#: the values pydantic gives in the error's `ctx`. A type not listed keeps pydantic's English.
PYDANTIC_MESSAGES: dict[str, Message] = {
    "missing": _("Wajib diisi."),
    "string_too_short": _("Minimal %(min_length)s karakter."),
    "string_too_long": _("Maksimal %(max_length)s karakter."),
    "too_short": _("Minimal %(min_length)s isian."),
    "too_long": _("Maksimal %(max_length)s isian."),
    "string_type": _("Harus berupa teks."),
    "string_pattern_mismatch": _("Format tidak sah."),
    "int_parsing": _("Harus berupa bilangan bulat."),
    "int_type": _("Harus berupa bilangan bulat."),
    "int_from_float": _("Harus berupa bilangan bulat."),
    "float_parsing": _("Harus berupa angka."),
    "float_type": _("Harus berupa angka."),
    "bool_parsing": _("Harus ya atau tidak."),
    "bool_type": _("Harus ya atau tidak."),
    "greater_than": _("Harus lebih dari %(gt)s."),
    "greater_than_equal": _("Paling kecil %(ge)s."),
    "less_than": _("Harus kurang dari %(lt)s."),
    "less_than_equal": _("Paling besar %(le)s."),
    "literal_error": _("Pilih salah satu: %(expected)s."),
    "enum": _("Pilih salah satu: %(expected)s."),
    "list_type": _("Harus berupa daftar."),
    "dict_type": _("Wajib diisi."),
    "model_type": _("Wajib diisi."),
    "date_parsing": _("Bukan tanggal yang sah (TTTT-BB-HH)."),
    "date_type": _("Bukan tanggal yang sah (TTTT-BB-HH)."),
    "date_from_datetime_parsing": _("Bukan tanggal yang sah (TTTT-BB-HH)."),
    "time_parsing": _("Bukan jam yang sah (JJ:MM)."),
    "time_type": _("Bukan jam yang sah (JJ:MM)."),
    "extra_forbidden": _("Isian ini tidak dikenal."),
}


#: Where the general sentence would say it less plainly: (type, ctx key, its value) -> the sentence.
PYDANTIC_SPECIAL: dict[tuple[str, str, Any], Message] = {
    ("string_too_short", "min_length", 1): _("Wajib diisi."),
    ("too_short", "min_length", 1): _("Wajib diisi (paling sedikit satu)."),
    ("greater_than_equal", "ge", 0): _("Tidak boleh negatif."),
    ("string_pattern_mismatch", "pattern", "^[A-Z]$"): _("Satu huruf kapital, mis. N."),
}


#: What a complaint without a sentence of its own says.
INVALID = _("Isian tidak sah.")


def pydantic_message(err: Any) -> str:
    """One pydantic error as a message for people: the `Message` a validator raised, else the catalog's
    sentence for its type, else a plain 'not valid' (pydantic's English may quote the input)."""
    ctx = err.get("ctx") or {}
    raised = ctx.get("error")
    if isinstance(raised, Exception) and raised.args and isinstance(raised.args[0], Message):
        return raised.args[0]
    for key, value in ctx.items():
        special = PYDANTIC_SPECIAL.get((err["type"], key, value)) if isinstance(value, int | str) else None
        if special is not None:
            return special
    known = PYDANTIC_MESSAGES.get(err["type"])
    if known is not None:
        names = re.findall(r"%\((\w+)\)s", known.msgid)
        if all(name in ctx for name in names):
            return Message(known.msgid, {name: ctx[name] for name in names})
    # Pydantic's own sentence may hold the input (a union's tag, a custom error's text): never echo it.
    return INVALID


#: A key of the input is named in a problem's field only when it looks like a field name or a code
#: (a service's "penerbitan-kia" in settings.services): letters, digits, _ and -, at most 64.
FIELD_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")


def field_path(loc: Iterable[Any]) -> str:
    """Pydantic's error location as a path like ``steps[1].target_minutes``; ``(file)`` for the whole.

    A part that is not a plain field name (a key of the input holding anything else) is shown as ``?``,
    so the answer never carries the input back."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = str(part) if FIELD_NAME.fullmatch(str(part)) else "?"
        out += f".{name}" if out else name
    return out or "(file)"


def validation_problems(exc: ValidationError, prefix: str = "") -> list[dict[str, str]]:
    """Pydantic's errors as [{field, message}] with fields like ``steps[1].target_minutes``."""
    out = []
    for err in exc.errors():
        loc = field_path(err["loc"])
        field = prefix + ("" if loc == "(file)" else loc) if prefix else loc
        out.append(problem(field, pydantic_message(err)))
    return out
