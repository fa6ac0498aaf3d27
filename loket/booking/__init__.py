"""Online booking ("antrean online"): the resident's page and its public JSON, and the front desk's look-up."""

from flask import Flask

from . import cli
from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    cli.init_app(app)
