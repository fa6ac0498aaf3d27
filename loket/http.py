"""How the JSON API speaks, for every room: request bodies, rate limits, errors, caching.

Routes raise errors, they never build an error response: a `LoketError` (the domain's, or one of
the few below that only the web layer raises) and pydantic's `ValidationError` are turned into the
documented error (docs/api.md) here, in one place:

    {"error": "<code>", "message": "<Indonesian> (<English>)", "label": {"id", "en"},
     "problems": [{"field", "message"}]   # only for invalid input
    }
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, jsonify, request
from flask_wtf.csrf import CSRFError
from pydantic import ValidationError
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.exceptions import TooManyRequests as HttpTooManyRequests

from loket.core.errors import InvalidInput, LoketError, validation_problems


class BadRequest(LoketError):
    """The request itself is malformed (a missing field, a date that is not a date)."""

    code = "bad_request"


class NotLoggedIn(LoketError):
    """A staff endpoint was called without a session."""

    status = 401
    code = "unauthorized"

    def __init__(self, message: str = "Silakan masuk terlebih dahulu. (Please log in first.)"):
        super().__init__(message)


class Failed(LoketError):
    """Something outside the domain failed (a printer); `details` go into the answer beside the error."""

    status = 502

    def __init__(self, message: str, *, code: str, **details: Any):
        super().__init__(message, code=code)
        self.details = details


def body() -> dict[str, Any]:
    """The request's JSON object, or {} (a missing or non-object body is treated as empty)."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def config_limit(key: str) -> Callable[[], str]:
    """A Flask-Limiter limit read from the configuration when a request comes; "" switches it off."""
    return lambda: current_app.config.get(key) or "1000000 per second"


def error_response(exc: LoketError):
    """The one JSON error: code, message, a label per language, and what else the error carries."""
    label = getattr(exc, "label", None) or {"id": exc.message, "en": exc.message}
    data: dict[str, Any] = {"error": exc.code, "message": exc.message, "label": label}
    problems = getattr(exc, "problems", None)
    if isinstance(exc, InvalidInput) and problems is not None:
        data["problems"] = problems
    data.update(getattr(exc, "details", {}))
    return jsonify(data), exc.status


def _invalid(exc: ValidationError):
    """Pydantic's complaints about a body, as [{field, message}]."""
    return error_response(InvalidInput(validation_problems(exc)))


class PageExpired(LoketError):
    """The page's CSRF token is missing or stale."""

    code = "csrf"


class TooManyRequests(LoketError):
    status = 429
    code = "rate_limited"


class NoSuchAddress(LoketError):
    status = 404
    code = "not_found"


class TooLarge(LoketError):
    status = 413
    code = "too_large"


def _csrf(exc: CSRFError):
    return error_response(PageExpired("Sesi halaman kedaluwarsa. Muat ulang halaman. (Page session expired; reload.)"))


def _rate_limited(exc: HttpTooManyRequests):
    return error_response(TooManyRequests("Terlalu banyak permintaan. Silakan tunggu sebentar. (Too many requests.)"))


def _not_found(exc: HttpNotFound):
    """A JSON 404 for /api/ addresses; the pages keep Flask's own page."""
    if not request.path.startswith("/api/"):
        return exc
    return error_response(NoSuchAddress("Alamat tidak ada. (No such address.)"))


def _too_large(exc: RequestEntityTooLarge):
    return error_response(TooLarge("Kiriman terlalu besar. (Request too large.)"))


def _no_store_for_api(response):
    """Answers of the API are never cached: a queue number or a state read a minute ago is wrong now."""
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(LoketError, error_response)
    app.register_error_handler(ValidationError, _invalid)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(429, _rate_limited)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.after_request(_no_store_for_api)
