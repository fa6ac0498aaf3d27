"""Loket's Flask application factory.

`create_app()` reads the configuration, sets up the extensions and calls each room's
`init_app(app)`; every route, handler and command lives in the room that owns it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from loket import (
    admin,
    auth,
    booking,
    cli,
    counter,
    display,
    disruption,
    extensions,
    http,
    i18n,
    kiosk,
    openapi,
    outbox,
    printing,
    realtime,
    reports,
    services,
    status,
    survey,
)
from loket.config import load_config, private_folder
from loket.core.clock import Clock
from loket.extensions import socketio

__all__ = ["create_app", "socketio"]

#: Rooms in the order they are set up: printing before the rooms that print.
ROOMS = (
    http,
    i18n,
    auth,
    realtime,
    printing,
    kiosk,
    booking,
    counter,
    display,
    admin,
    reports,
    survey,
    status,
    openapi,
    outbox,
    disruption,
    cli,
)


def create_app(
    config: dict[str, Any] | None = None, *, clock: Clock | None = None, instance_path: str | None = None
) -> Flask:
    """Build the app: configuration from the environment, then `config` on top.

    The instance folder (the SQLite database, the secret key, media, the voice cache) is `instance_path`, else
    LOKET_INSTANCE_PATH, else `instance/` beside the code: a second office or a test copy on one machine."""
    instance_path = instance_path or os.environ.get("LOKET_INSTANCE_PATH") or None
    if instance_path is not None:
        instance_path = os.path.abspath(instance_path)  # Flask wants it absolute
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    private_folder(Path(app.instance_path))
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    if app.config.get("PROXY_FIX"):  # opt-in: the client's address and scheme from the proxies in front
        proxies = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    services.init_app(app, clock)
    extensions.init_app(app)
    for room in ROOMS:
        room.init_app(app)
    return app
