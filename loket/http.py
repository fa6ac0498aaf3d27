"""How the JSON API speaks, for every room: request bodies, rate limits, errors, caching.

Routes raise errors, they never build an error response: a `LoketError` (the domain's, or one of
the few below that only the web layer raises) and pydantic's `ValidationError` are turned into the
documented error (docs/api.md) here, in one place:

    {"error": "<code>", "message": "<in the request's language>", "label": {"id", "en"},
     "problems": [{"field", "message", "label": {"id", "en"}}]   # only for invalid input
    }

The messages come from the gettext catalogs (`loket/translations`): an error carries a `Message`
(`loket.core.messages`, marked with `_()`), translated here into the language of the request
(`loket.i18n.select_language`: `?lang=`, the pages' X-Loket-Lang header, Accept-Language, else
Indonesian); `label` holds it in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from flask import Flask, Request, current_app, jsonify, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as babel_gettext
from flask_wtf.csrf import CSRFError
from pydantic import BaseModel, Field, ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.exceptions import TooManyRequests as HttpTooManyRequests
from werkzeug.formparser import FormDataParser
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as RoutingValidationError

from loket.core.errors import InvalidInput, LoketError, validation_problems
from loket.core.messages import LANGUAGE, Message, _
from loket.i18n import LANGUAGES


class BadRequest(LoketError):
    """The request itself is malformed (a missing field, a date that is not a date)."""

    code = "bad_request"


class NotLoggedIn(LoketError):
    """A staff endpoint was called without a session."""

    status = 401
    code = "unauthorized"

    def __init__(self, message: str = _("Silakan masuk terlebih dahulu.")):
        super().__init__(message)


class Failed(LoketError):
    """Something outside the domain failed (a printer); `details` go into the answer beside the error."""

    status = 502

    def __init__(self, message: str, *, code: str, **details: Any):
        super().__init__(message, code=code)
        self.details = details


#: The largest id a URL or a body may name: row ids are PostgreSQL `integer`s (32 bits; SQLite's hold 64),
#: and a bigger number overflows in the driver (a 500) instead of naming no row (a 404).
MAX_ID = 2**31 - 1

#: A row id in a request body: a whole number from 1 to MAX_ID (else 400 `invalid`).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: at most MAX_ID, so a larger id is simply an unknown address (404).

    Out of bounds is a 404 at once, not a rule that fails to match: werkzeug would then answer 405 when
    the same address takes another method (PUT and DELETE /api/admin/devices/<id>).
    """

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> Any:
        try:
            return super().to_python(value)
        except RoutingValidationError:
            raise HttpNotFound() from None


def body() -> dict[str, Any]:
    """The request's JSON object, or {} (a missing or non-object body is treated as empty).

    JSON may spell a lone UTF-16 surrogate ("\\ud800"), which is no character, or NUL ("\\u0000"), which
    PostgreSQL refuses in text: no database, printer or QR check takes them, so such a body is refused
    (400) before any route reads it.
    """
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than Python's parser goes ("[[[[…"): no body of ours
        raise BadRequest(_("Isian tidak dapat dibaca.")) from None
    if not isinstance(data, dict):
        return {}
    if not _only_characters(data):
        raise BadRequest(_("Isian berisi karakter yang tidak sah."))
    return data


def _only_characters(data: Any) -> bool:
    """No NUL and no lone surrogate in any key or text of a parsed JSON value (json pairs the surrogates
    of a real character, so a surrogate left is a lone one, which UTF-8 cannot encode)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return False
            try:
                value.encode()
            except UnicodeEncodeError:
                return False
    return True


Body = TypeVar("Body", bound=BaseModel)


def parsed(model: type[Body]) -> Body:
    """The request's JSON object checked by `model` (a pydantic model, also the body's schema in the OpenAPI
    document): a wrong type or a missing field is a 400 `invalid` with its problems, never a server error."""
    return model.model_validate(body())


def config_limit(key: str) -> Callable[[], str]:
    """A Flask-Limiter limit read from the configuration when a request comes; "" switches it off."""
    return lambda: current_app.config.get(key) or "1000000 per second"


def request_language() -> str:
    """The language this request is answered in (Flask-Babel's choice, see `loket.i18n`)."""
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else LANGUAGE


def translate(message: str) -> str:
    """A message for people in the request's language: a `Message` through the catalog, any other text as it is."""
    if isinstance(message, Message):
        return message.localise(babel_gettext, request_language())
    return str(message)


def in_every_language(message: str) -> dict[str, str]:
    """{"id": ..., "en": ...}: the message in each language of the catalogs."""
    label = {}
    for lang in LANGUAGES:
        with force_locale(lang):
            label[lang] = translate(message)
    return label


def error_response(exc: LoketError):
    """The one JSON error: code, message in the request's language, a label per language, and what else
    the error carries (the problems, each message in the request's language and its label)."""
    label = getattr(exc, "label", None) or in_every_language(exc.message)
    message = label.get(request_language()) or label[LANGUAGE]
    data: dict[str, Any] = {"error": exc.code, "message": message, "label": label}
    problems = getattr(exc, "problems", None)
    if isinstance(exc, InvalidInput) and problems is not None:
        data["problems"] = [
            {**p, "message": translate(p["message"]), "label": in_every_language(p["message"])} for p in problems
        ]
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
    return error_response(PageExpired(_("Sesi halaman kedaluwarsa. Muat ulang halaman.")))


def _rate_limited(exc: HttpTooManyRequests):
    return error_response(TooManyRequests(_("Terlalu banyak permintaan. Silakan tunggu sebentar.")))


def _not_found(exc: HttpNotFound):
    """A JSON 404 for /api/ addresses; the pages keep Flask's own page."""
    if not request.path.startswith("/api/"):
        return exc
    return error_response(NoSuchAddress(_("Alamat tidak ada.")))


def _too_large(exc: RequestEntityTooLarge):
    return error_response(TooLarge(_("Kiriman terlalu besar.")))


class HttpRefusal(LoketError):
    """Any other refusal werkzeug makes (405 a method the address does not take, 400 an unreadable body)."""


def _http_error(exc: HTTPException):
    """/api/ addresses answer every HTTP refusal in the one error shape; the pages keep Flask's own."""
    if not request.path.startswith("/api/") or exc.code is None or exc.code >= 500:
        return exc
    refusal = HttpRefusal(_("Permintaan tidak dapat diproses."), code=_HTTP_CODES.get(exc.code, "bad_request"))
    refusal.status = exc.code
    response = error_response(refusal)
    if exc.code == 405 and exc.response is None:
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            return response[0], 405, {"Allow": ", ".join(allowed)}
    return response


_HTTP_CODES = {405: "method_not_allowed", 415: "unsupported_media_type", 400: "bad_request"}


def _no_nul_in_api_paths() -> None:
    """An /api/ address with NUL (%00) in it names nothing (PostgreSQL cannot even look it up): 404."""
    if request.path.startswith("/api/") and "\x00" in request.path:
        raise NoSuchAddress(_("Alamat tidak ada."))


def _no_store_for_api(response):
    """Answers of the API are never cached: a queue number or a state read a minute ago is wrong now."""
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


class NamedPartsOnly(FormDataParser):
    """Form data without the parts that have no name: werkzeug keeps them under the key None, on which
    Flask-WTF's CSRF check (`key.endswith(...)`) fails with a server error before any route is reached."""

    def parse(self, *args: Any, **kwargs: Any):
        stream, form, files = super().parse(*args, **kwargs)
        if None in form or None in files:
            form = self.cls((k, v) for k, v in form.items(multi=True) if k is not None)
            for unnamed in files.getlist(None):
                unnamed.close()
            files = self.cls((k, v) for k, v in files.items(multi=True) if k is not None)
        return stream, form, files


class LoketRequest(Request):
    form_data_parser_class = NamedPartsOnly


def init_app(app: Flask) -> None:
    app.request_class = LoketRequest
    # Before any room registers a route: `<int:...>` is bounded everywhere (see MAX_ID).
    app.url_map.converters["int"] = IdConverter
    app.register_error_handler(LoketError, error_response)
    app.register_error_handler(ValidationError, _invalid)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(429, _rate_limited)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.before_request(_no_nul_in_api_paths)
    app.after_request(_no_store_for_api)
