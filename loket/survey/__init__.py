"""Survei Kepuasan Masyarakat: the survey screen and its JSON (routes.py), the IKM report (report.py)."""

from flask import Flask

from . import report, routes

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(report.bp)
