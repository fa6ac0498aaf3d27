"""Siap digunakan? The go-live checklist page (/admin/siap) and its JSON (/api/admin/golive), admin role only.

The checks themselves are in core/golive; this reads the environment they need from the configuration.
"""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify

from loket.auth import staff_required
from loket.core import golive
from loket.core.roles import Actor, Role
from loket.http import in_every_language
from loket.openapi import api
from loket.services import loket

from .routes import page

bp = Blueprint("admin_golive", __name__)


def setup() -> golive.Setup:
    config = current_app.config
    return golive.Setup(
        kiosk_pin=config.get("KIOSK_PIN") or "",
        secret_key=str(config.get("SECRET_KEY") or ""),
        secret_from_environment=bool(os.environ.get("SECRET_KEY")),
        public_url=config.get("PUBLIC_URL") or "",
        backup_dir=os.environ.get("LOKET_BACKUP_DIR", ""),
    )


@bp.get("/admin/siap")
def golive_page():
    return page("golive.html", "golive")


@bp.get("/api/admin/golive")
@api(
    "Siap digunakan? What the office must do before going live, each item's state",
    answers={200: {"type": "object", "required": ["checks", "summary"]}},
)
@staff_required(Role.ADMIN)
def golive_checks(actor: Actor):
    checks = golive.checklist(loket(), setup())
    return jsonify(
        checks=[
            {
                "key": c.key,
                "state": c.state.value,
                "title": in_every_language(c.title),
                "detail": in_every_language(c.detail),
                "link": c.link,
                "setting": c.setting,
            }
            for c in checks
        ],
        summary=golive.summary(checks),
    )
