"""The kiosk: a resident chooses a service and takes a ticket."""

from flask import Flask

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
