"""The staff counter: calling, scanning, acting on a berkas, the buku harian."""

from flask import Flask

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
