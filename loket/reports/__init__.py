"""Reports: counts, times and SOP compliance, the live hall, the buku harian to sign."""

from flask import Flask

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
