"""The domain object every room works through: built once per app, reached with `loket()`.

Like flaskr's `get_db()`: one accessor for the shared resource instead of a helper copied into
every blueprint.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context

from loket.core.catalog import load_catalog
from loket.core.clock import Clock
from loket.core.context import Policy
from loket.core.qr import CodeSigner
from loket.core.service import Loket
from loket.core.settings import OfficeDefaults
from loket.core.sites import keys
from loket.core.store import Store
from loket.public_url import public_base


def init_app(app: Flask, clock: Clock | None = None) -> None:
    """Build the domain's context (`Loket`) from the configuration; a bad SOP file stops start-up here."""
    app.extensions["loket"] = Loket(
        Store(app.config["DATABASE_URL"]),
        load_catalog(app.config["SOP_DIR"]),
        CodeSigner(app.config["SECRET_KEY"], app.config["OFFICE_ID"], site_keys(app)),
        clock or Clock(app.config["TIMEZONE"]),
        Policy(
            priority_head_start_minutes=app.config["PRIORITY_HEAD_START_MINUTES"],
            calls_before_no_show=app.config["CALLS_BEFORE_NO_SHOW"],
        ),
        OfficeDefaults.from_config(app.config),
    )
    app.extensions["loket"].public_base = lambda: _public_base(app)
    app.extensions["loket"].site = app.config.get("SITE", "")
    app.extensions["loket"].hub = bool(app.config.get("HUB"))


def site_keys(app: Flask) -> keys.SiteKeys | None:
    """The codes' keys (issue 16): a site (LOKET_SITE) signs with its own Ed25519 key, generated once in the
    instance folder; a site and the hub verify the sites' codes by the public keys in the sites' register. A single
    office (neither) has none: its HMAC codes only, another's code is "from another office"."""
    site = app.config.get("SITE") or ""
    if not site and not app.config.get("HUB"):
        return None
    return keys.SiteKeys(site, keys.private_key(app.instance_path) if site else None)


def _public_base(app: Flask) -> str:
    """The status links' base for messages to residents, also from a worker with no request."""
    if has_app_context():
        return public_base()
    with app.app_context():
        return public_base()


def loket() -> Loket:
    """The current app's context, passed to every operation: `issuing.issue(loket(), code)`."""
    return current_app.extensions["loket"]
