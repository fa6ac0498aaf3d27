"""Errors the domain raises; the web layer maps each to an HTTP status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError


class LoketError(Exception):
    """Base class: a domain rule said no. The message is for people."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
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
        super().__init__(
            message or "Isian belum benar. Periksa kolom yang ditandai. (Please correct the marked fields.)"
        )


def problem(field: str, message: str) -> dict[str, str]:
    """One structured problem: the field it concerns and what is wrong."""
    return {"field": field, "message": message}


def field_path(loc: Iterable[Any]) -> str:
    """Pydantic's error location as a path like ``steps[1].target_minutes``; ``(file)`` for the whole."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def validation_problems(exc: ValidationError, prefix: str = "") -> list[dict[str, str]]:
    """Pydantic's errors as [{field, message}] with fields like ``steps[1].target_minutes``."""
    out = []
    for err in exc.errors():
        loc = field_path(err["loc"])
        field = prefix + ("" if loc == "(file)" else loc) if prefix else loc
        message = err["msg"].removeprefix("Value error, ")
        out.append(problem(field, message))
    return out
