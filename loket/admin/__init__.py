"""The office's administration: settings, SOPs, counters, staff, kiosks and displays, the audit log."""

from flask import Flask

from . import cli, golive, prefix_sound, webhooks
from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(golive.bp)
    app.register_blueprint(prefix_sound.bp)
    cli.init_app(app)
