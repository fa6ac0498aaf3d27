"""Survei Kepuasan Masyarakat: the survey screen, its JSON and the IKM report."""

from flask import Flask

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
