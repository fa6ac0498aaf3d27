"""Disruption mode (gangguan): the page where the admin or the head of office switches it, and its JSON.

The kiosk, the board and the status pages read the disruptions in force from GET /api/disruptions and hear
"disruption.changed" over Socket.IO (loket/realtime/publish.py); static/js/disruption.js shows them.
"""

from flask import Flask

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
