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

import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from flask import Flask, current_app, g, jsonify, request
from flask import Request as FlaskRequest
from flask_babel import force_locale, get_locale
from flask_babel import gettext as babel_gettext
from flask_wtf.csrf import CSRFError
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.exceptions import TooManyRequests as HttpTooManyRequests
from werkzeug.formparser import FormDataParser
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as RoutingValidationError

from loket.core.errors import InvalidInput, LoketError, validation_problems
from loket.core.messages import LANGUAGE, Message, _
from loket.core.sites.ids import LAST_ID
from loket.extensions import socketio
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

#: The largest id of a row that crosses sites (a ticket, a counter, a disruption: BIGINT, each site numbering in its
#: own range, `loket.core.sites.ids`); a site's first ticket is already past MAX_ID.
MAX_SITE_ID = LAST_ID

#: A tagged row's id in a request body: 1 to MAX_SITE_ID.
SiteRowId = Annotated[int, Field(ge=1, le=MAX_SITE_ID)]


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


class SiteIdConverter(IdConverter):
    """`<site_id:...>`: the id of a row that crosses sites (tickets, counters, disruptions), at most MAX_SITE_ID."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_SITE_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


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


class Request(FlaskRequest):
    """Flask's request with one addition: a route marked `@body_limit("KEY")` reads up to config[KEY]
    bytes instead of MAX_CONTENT_LENGTH. The route is known before anything reads the body (the CSRF
    check reads the form first), so the larger bound holds for every reader; a body over the bound is
    refused with 413 from its Content-Length, or once the bound is passed, never read whole. Its form
    parser drops unnamed parts (NamedPartsOnly)."""

    form_data_parser_class = NamedPartsOnly

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app and self.url_rule is not None:
            key = getattr(current_app.view_functions.get(self.endpoint or ""), "body_limit", None)
            if key:
                return current_app.config[key]
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def get_json(self, *args: Any, **kwargs: Any) -> Any:
        """The JSON body; one nested too deep for the parser (within the size bound) is a 400, not a 500."""
        try:
            return super().get_json(*args, **kwargs)
        except RecursionError:
            raise BadRequest(_("Kiriman bukan JSON yang sah (terlalu bersarang).")) from None

    def get_data(self, *args: Any, **kwargs: Any) -> Any:
        """The body; one streamed without a length (chunked) that reaches the bound is refused like one
        whose length says so, not cut short at it (Werkzeug stops reading there without a word)."""
        data = super().get_data(*args, **kwargs)
        bound = self.max_content_length
        if self.content_length is None and bound is not None and len(data) >= bound:
            raise RequestEntityTooLarge()
        return data


def body_limit(config_key: str) -> Callable:
    """Give a route a larger request body bound than MAX_CONTENT_LENGTH: config[config_key] bytes."""

    def mark(view: Callable) -> Callable:
        view.body_limit = config_key  # type: ignore[attr-defined]
        return view

    return mark


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


def limit_off(key: str) -> Callable[[], bool]:
    """Flask-Limiter's exempt_when for a `config_limit`: switched off ("" or "0"), it is not even counted."""
    return lambda: str(current_app.config.get(key) or "").strip() in ("", "0")


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


class StorageUnavailable(LoketError):
    """The database cannot be written (disk full, read-only): nothing was saved; staff are alerted."""

    status = 503
    code = "storage_unavailable"


#: (SQLSTATE or words in the driver's message, reason): SQLite's and PostgreSQL's ways of saying it.
STORAGE_FAILURES = (
    ("53100", "disk_full"),  # PostgreSQL disk_full
    ("25006", "read_only"),  # PostgreSQL read_only_sql_transaction (a standby, default_transaction_read_only)
    ("database or disk is full", "disk_full"),
    ("no space left on device", "disk_full"),
    ("could not extend file", "disk_full"),
    ("attempt to write a readonly database", "read_only"),
    ("read-only transaction", "read_only"),
)
STORAGE_MESSAGES = {
    "disk_full": _(
        "Silakan ke meja informasi. Sistem antrean tidak dapat menyimpan data: penyimpanan server penuh. "
        "Petugas sudah diberi tahu."
    ),
    "read_only": _(
        "Silakan ke meja informasi. Sistem antrean tidak dapat menyimpan data: basis data hanya bisa dibaca. "
        "Petugas sudah diberi tahu."
    ),
}
_storage_lock = threading.Lock()


def storage_failure(exc: BaseException) -> str | None:
    """Why the database refused to write ("disk_full", "read_only"), or None for any other database error."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = str(orig or exc).lower()
    for sign, reason in STORAGE_FAILURES:
        if sign == state or (not sign.isdigit() and sign in text):
            return reason
    return None


def _storage(exc: DBAPIError):
    """Disk full or read-only database: a clear 503 the kiosk shows ("Silakan ke meja informasi"), never a 500;
    the staff pages get a `system.alert` over Socket.IO (at most one a minute: the database cannot keep it)."""
    reason = storage_failure(exc)
    if reason is None:
        raise exc
    current_app.logger.error("database cannot be written (%s): %s", reason, exc.orig)
    with _storage_lock:
        last = current_app.extensions.setdefault("loket_storage_alert", {"at": None})
        alert = last["at"] is None or time.monotonic() - last["at"] > 60
        if alert:
            last["at"] = time.monotonic()
    if alert:  # to the staff pages' room (loket.realtime.STAFF_ROOM)
        label = in_every_language(STORAGE_MESSAGES[reason])
        socketio.emit("system.alert", {"reason": reason, "label": label}, to="staff")
    error = StorageUnavailable(STORAGE_MESSAGES[reason])
    error.details = {"reason": reason}
    return error_response(error)


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


# ---- security headers ---------------------------------------------------------------------
#
# A small after_request rather than Flask-Talisman: Loket needs six fixed headers, one nonce and one
# per-page exception (the desk's camera); Talisman would add a dependency whose defaults (forcing
# HTTPS, its own session-cookie settings) do not fit a hall LAN served over plain HTTP, and its
# releases have slowed. Every page's scripts are files ('self'); the one inline script, the import
# map (templates/importmap.html), carries this request's nonce, as does the printable register's
# style block. JSON data blocks (<script type="application/json">) are not run and need nothing.


def csp_nonce() -> str:
    """This request's nonce for the CSP (templates: nonce="{{ csp_nonce() }}")."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def allows_camera(view: Callable) -> Callable:
    """A page whose own scripts may use the camera (Permissions-Policy camera=(self)); no other page may."""
    view.allows_camera = True  # type: ignore[attr-defined]
    return view


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def _security_headers(response):
    nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
    host = request.host if _HOST.fullmatch(request.host) else ""
    sockets = f" ws://{host} wss://{host}" if host else ""  # Socket.IO; 'self' covers them in CSP 3 browsers
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self'{nonce}; "
        f"style-src 'self'{nonce}; "
        "img-src 'self' data: blob:; "
        "media-src 'self' data: blob:; "
        f"connect-src 'self'{sockets}; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    view = current_app.view_functions.get(request.endpoint or "") if request.url_rule is not None else None
    camera = "(self)" if getattr(view, "allows_camera", False) else "()"
    headers.setdefault("Permissions-Policy", f"camera={camera}, microphone=(), geolocation=(), payment=(), usb=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html":  # a page may hold names and NIKs (the printable register): kept nowhere
        headers.setdefault("Cache-Control", "no-store")
    if current_app.config.get("SECURE_COOKIES"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.request_class = Request
    # Before any room registers a route: `<int:...>` is bounded everywhere (see MAX_ID).
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["site_id"] = SiteIdConverter
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_security_headers)
    app.register_error_handler(LoketError, error_response)
    app.register_error_handler(ValidationError, _invalid)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(429, _rate_limited)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(DBAPIError, _storage)
    app.register_error_handler(HTTPException, _http_error)
    app.before_request(_no_nul_in_api_paths)
    app.after_request(_no_store_for_api)
