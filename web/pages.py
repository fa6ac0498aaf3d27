"""Small helpers shared by the page blueprints."""

from flask import current_app


def office_name() -> str:
    """The name the admin set, else the configured one."""
    return current_app.extensions["loket"].settings().office_name or current_app.config["OFFICE_NAME"]
