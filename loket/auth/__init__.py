"""Staff authentication: log-in sessions, the chosen role and counter, and the role checks."""

from flask import Flask

from .login import LoginUser, current_actor, staff_required
from .routes import bp

__all__ = ["LoginUser", "current_actor", "init_app", "staff_required"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
