"""Prefixes that sound alike when read out (core/prefix_sound): the SOP editor's live check, and the warnings
added to an SOP's answer (/api/admin/sops*). A warning never stops a save."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from loket.auth import staff_required
from loket.core.prefix_sound import prefix_warnings
from loket.core.roles import Actor, Role
from loket.http import in_every_language, translate
from loket.openapi import api
from loket.services import loket

bp = Blueprint("admin_prefix_sound", __name__)

WARNINGS = {
    "type": "array",
    "items": {"type": "object", "required": ["field", "message", "label", "prefix", "other"]},
}


def warnings_for(prefix: str, code: str | None) -> list[dict[str, Any]]:
    """The warnings as JSON: the message in the request's language and as {id, en}."""
    return [
        {**w, "message": translate(w["message"]), "label": in_every_language(w["message"])}
        for w in prefix_warnings(loket().catalog, prefix, code)
    ]


def with_warnings(view: dict[str, Any]) -> dict[str, Any]:
    """An SOP's answer with `warnings` about its prefix."""
    sop = view.get("sop") or {}
    return {**view, "warnings": warnings_for(str(sop.get("prefix") or ""), view.get("code"))}


@bp.get("/api/admin/sops/prefix-check")
@api(
    "Does this ticket prefix sound like another service's when read out? ?prefix=B&code=<this SOP, if saved>",
    answers={200: {"type": "object", "required": ["prefix", "warnings"], "properties": {"warnings": WARNINGS}}},
)
@staff_required(Role.ADMIN)
def prefix_check(actor: Actor):
    prefix = (request.args.get("prefix") or "").strip().upper()[:1]
    return jsonify(prefix=prefix, warnings=warnings_for(prefix, request.args.get("code") or None))
