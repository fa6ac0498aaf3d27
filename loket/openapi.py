"""The JSON API as an OpenAPI 3.1 document, generated from the code and served at GET /api/openapi.json.

Nothing here is written twice: the document is built, when asked, by walking the app's URL map.

- Every `/api/` rule is an operation: its methods, its path parameters with the converter's type and
  bounds (`<int:...>` is bounded by `loket.http.MAX_ID`), its blueprint as the tag.
- A route says the rest next to itself with `@api(...)`: the pydantic model its body is checked with
  (`loket.http.parsed(Model)` in the route, or the domain operation's own input model), its query
  parameters, its answers and the refusals beyond the usual ones.
- Who may call it comes from the route itself: `auth.staff_required` marks a staff route (session
  cookie, CSRF header on writes, 401/403 and the roles); `auth=` names another scheme (the scanner's
  bearer token; the kiosks' device token goes into SECURITY_SCHEMES the same way).
- Every refusal has the one error shape that `loket.http.error_response` writes.

`tests/test_openapi.py` checks that every route is described, and runs schemathesis against the
document as every role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from pydantic import BaseModel
from werkzeug.routing import IntegerConverter, PathConverter, Rule, UnicodeConverter

import loket

#: A schema: a pydantic model (its JSON schema) or a JSON schema written out.
Schema = type[BaseModel] | dict[str, Any]
#: An answer: its JSON schema, (content type, schema) for a file, or a list of those when `?format=` chooses.
Answer = Schema | tuple[str, Schema] | list[Schema | tuple[str, Schema]]

#: How a caller proves who it is. The session cookie comes from POST /api/login; the CSRF token from
#: GET /api/csrf (or the page's meta tag), sent back on every staff write.
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The staff session from POST /api/login, with the role chosen by POST /api/session.",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRFToken",
        "description": "The CSRF token (GET /api/csrf), on every POST, PUT and DELETE of a staff session.",
    },
    "scanner": {
        "type": "http",
        "scheme": "bearer",
        "description": "The scanner agent's token (LOKET_SCANNER_TOKEN).",
    },
    # A paired kiosk's device token goes here (e.g. "kiosk": an apiKey header X-Loket-Kiosk), and
    # `@api(auth="kiosk")` on the routes that take it.
}

STATUS_TEXT = {
    200: "OK",
    201: "Created",
    400: "Bad input: `invalid` (with `problems`, one per field), `bad_request`, `invalid_code`, `csrf`",
    401: "Not logged in, or a wrong token",
    403: "The role, counter or PIN does not allow this",
    404: "Not found",
    405: "The address does not take this method",
    409: "The state of things does not allow it; nothing was changed",
    413: "The body is too large",
    429: "Too many requests (`rate_limited`)",
    502: "A printer failed (`print_failed`, with `print` beside the error)",
}

#: Content types of answers that are files, not JSON.
BINARY = {"type": "string", "format": "binary"}

#: Small schemas the answers are written with.
LABEL = {"$ref": "#/components/schemas/Label"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
MAYBE_INT = {"type": ["integer", "null"]}
MAYBE_LABEL = {"anyOf": [LABEL, {"type": "null"}]}


def obj(required: list[str] | tuple[str, ...] = (), **properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema: these properties (more may come), the `required` ones always there."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def label_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "en"],
        "properties": {"id": {"type": "string"}, "en": {"type": "string"}},
    }


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error of the API (loket/http.py); an error may carry more beside it (`print`).",
    "required": ["error", "message", "label"],
    "properties": {
        "error": {"type": "string", "description": "A code for programs: invalid, not_found, forbidden, …"},
        "message": {"type": "string", "description": "For people, in the request's language"},
        "label": {"$ref": "#/components/schemas/Label"},
        "problems": {
            "type": "array",
            "description": "Only with `invalid`: one entry per refused field",
            "items": {
                "type": "object",
                "required": ["field", "message", "label"],
                "properties": {
                    "field": {"type": "string", "description": "e.g. `hours.mon.close`, `steps[1].target_minutes`"},
                    "message": {"type": "string"},
                    "label": {"$ref": "#/components/schemas/Label"},
                },
            },
        },
    },
}


@dataclass
class Described:
    """What `@api(...)` says about a route (stored on the view function as `openapi`)."""

    summary: str | None = None
    body: Schema | None = None
    body_type: str = "application/json"
    query: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    answers: Mapping[int, Answer] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    auth: str | None = None
    path: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    variants: tuple[str, Mapping[str, Schema | None]] | None = None


def api(
    summary: str | None = None,
    *,
    body: Schema | None = None,
    body_type: str = "application/json",
    query: Mapping[str, dict[str, Any]] | None = None,
    answers: Mapping[int, Answer] | None = None,
    errors: tuple[int, ...] = (),
    auth: str | None = None,
    path: Mapping[str, dict[str, Any]] | None = None,
    variants: tuple[str, Mapping[str, Schema | None]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a JSON route for the OpenAPI document; the route itself is left as it is.

    body: the pydantic model the body is checked with (or a JSON schema; `body_type` for a non-JSON body).
    query: query parameters, name -> JSON schema (a "description" and "required" may be in it).
    answers: status -> the answer's schema, or (content type, schema) for a file; default 200 any object.
    errors: refusals beyond those every route of its kind has (see `_Document.responses`).
    auth: a scheme of SECURITY_SCHEMES for a route that is not a staff route ("session": logged in only).
    path: a path parameter's schema beyond its converter's (e.g. an enum).
    variants: (parameter, {value: body}): one operation per value of that path parameter, each with its body.
    """
    described = Described(
        summary=summary,
        body=body,
        body_type=body_type,
        query=query or {},
        answers=answers or {},
        errors=errors,
        auth=auth,
        path=path or {},
        variants=variants,
    )

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.openapi = described  # type: ignore[attr-defined]  # functools.wraps carries it to the wrappers
        return view

    return mark


# ---- building the document -----------------------------------------------------------------


def _parameter_schema(converter: Any) -> dict[str, Any]:
    """A path parameter's schema from its URL converter."""
    if isinstance(converter, IntegerConverter):
        schema: dict[str, Any] = {"type": "integer", "minimum": converter.min if converter.min is not None else 0}
        if converter.max is not None:
            schema["maximum"] = converter.max
        schema["examples"] = [1]
        return schema
    if isinstance(converter, PathConverter):
        return {"type": "string", "minLength": 1}
    if isinstance(converter, UnicodeConverter):
        return {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
    return {"type": "string"}


_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


class _Document:
    def __init__(self, app: Flask):
        self.app = app
        self.schemas: dict[str, Any] = {"Label": label_schema(), "Error": ERROR_SCHEMA}
        self.used_schemes: set[str] = set()

    def schema(self, schema: Schema) -> dict[str, Any]:
        """A JSON schema; a pydantic model's definitions go into components."""
        if isinstance(schema, dict):
            return schema
        out = schema.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in [*out.pop("$defs", {}).items(), (schema.__name__, out)]:
            if self.schemas.setdefault(name, definition) != definition:
                raise ValueError(f"two different schemas are named {name}: rename one of the models")
        return {"$ref": f"#/components/schemas/{schema.__name__}"}

    def build(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        for rule in sorted(self.app.url_map.iter_rules(), key=lambda r: r.rule):
            if not rule.rule.startswith("/api/"):
                continue
            view = self.app.view_functions[rule.endpoint]
            described: Described = getattr(view, "openapi", None) or Described()
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                for path, operation in self.operations(rule, view, described, method):
                    paths.setdefault(path, {})[method.lower()] = operation
        return {
            "openapi": "3.1.0",
            "info": {
                "title": "Loket",
                "version": loket.__version__,
                "description": "The JSON API of Loket (kiosk, display, counters, administration). "
                "Prose and what this document cannot say: docs/api.md.",
            },
            "paths": paths,
            "components": {
                "schemas": self.schemas,
                "securitySchemes": {k: v for k, v in SECURITY_SCHEMES.items() if k in self.used_schemes},
            },
        }

    def operations(self, rule: Rule, view: Any, described: Described, method: str):
        converters = getattr(rule, "_converters", {})
        path = _ARGUMENT.sub(lambda m: "{" + m.group(1) + "}", rule.rule)
        parameters = []
        for name in rule.arguments:
            schema = {**_parameter_schema(converters.get(name)), **described.path.get(name, {})}
            parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        if described.variants is None:
            yield path, self.operation(rule, view, described, method, parameters, described.body, rule.endpoint)
            return
        name, bodies = described.variants
        fixed = [p for p in parameters if p["name"] != name]
        for value, variant_body in bodies.items():
            yield (
                path.replace("{" + name + "}", value),
                self.operation(rule, view, described, method, fixed, variant_body, f"{rule.endpoint}.{value}"),
            )

    def operation(
        self,
        rule: Rule,
        view: Any,
        described: Described,
        method: str,
        parameters: list[dict[str, Any]],
        body: Schema | None,
        operation_id: str,
    ) -> dict[str, Any]:
        roles = getattr(view, "staff_roles", None)
        staff = roles is not None
        doc = (view.__doc__ or "").strip()
        operation: dict[str, Any] = {
            "operationId": operation_id,
            "tags": [rule.endpoint.split(".")[0]],
            "summary": described.summary or (doc.splitlines()[0] if doc else rule.endpoint),
        }
        if staff:
            who = ", ".join(r.value for r in roles) if roles else "any role"
            operation["description"] = f"Staff: {who}."
            operation["x-roles"] = [r.value for r in roles]
        query = [
            {
                "name": name,
                "in": "query",
                "required": bool(schema.get("required")),
                "description": schema.get("description", ""),
                "schema": {k: v for k, v in schema.items() if k not in ("required", "description")},
            }
            for name, schema in described.query.items()
        ]
        if parameters or query:
            operation["parameters"] = parameters + query
        writes = method in ("POST", "PUT", "DELETE", "PATCH")
        if body is not None and writes:
            operation["requestBody"] = {
                "required": described.body_type != "application/json",
                "content": {described.body_type: {"schema": self.schema(body)}},
            }
        scheme = "staff" if staff else described.auth
        if scheme == "staff" or scheme == "session":
            self.used_schemes.update(("session", "csrf") if writes else ("session",))
            operation["security"] = [{"session": [], "csrf": []} if writes else {"session": []}]
        elif scheme is not None:
            if scheme not in SECURITY_SCHEMES:
                raise ValueError(f"{rule.rule}: no security scheme {scheme!r} in SECURITY_SCHEMES")
            self.used_schemes.add(scheme)
            operation["security"] = [{scheme: []}]
        operation["responses"] = self.responses(described, method, body, parameters, query, scheme)
        return operation

    def responses(self, described, method, body, parameters, query, scheme) -> dict[str, Any]:
        out: dict[str, Any] = {}
        answers = described.answers or {200: {"type": "object"}}
        for status, answer in answers.items():
            kinds = answer if isinstance(answer, list) else [answer]
            content = {}
            for kind in kinds:
                media, schema = kind if isinstance(kind, tuple) else ("application/json", kind)
                content[media] = {"schema": self.schema(schema)}
            out[str(status)] = {"description": STATUS_TEXT.get(status, "OK"), "content": content}
        writes = method in ("POST", "PUT", "DELETE", "PATCH")
        refusals = set(described.errors)
        if body is not None or query or (writes and scheme in ("staff", "session", "csrf")):
            refusals.add(400)  # invalid input; a staff write without its CSRF token
        if body is not None and writes:
            refusals.add(413)
        if scheme in ("staff", "session", "scanner"):
            refusals.add(401)
        if scheme == "staff":
            refusals.add(403)
        if parameters:
            refusals.add(404)
        for status in sorted(refusals):
            out[str(status)] = {
                "description": STATUS_TEXT.get(status, "Refused"),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        return out


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of `app`'s JSON API."""
    return _Document(app).build()


bp = Blueprint("openapi", __name__)


@bp.get("/api/openapi.json")
@api("This document: the JSON API as OpenAPI 3.1, generated from the code")
def openapi_json():
    built = current_app.extensions.get("openapi")
    if built is None:
        built = current_app.extensions["openapi"] = document(current_app)
    return jsonify(built)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
