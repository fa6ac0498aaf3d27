"""Errors the domain raises; the web layer maps each to an HTTP status."""


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
