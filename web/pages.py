"""Small helpers shared by the page blueprints."""

from flask import current_app


def office_name() -> str:
    """The name the admin set, else the configured one."""
    return current_app.extensions["loket"].settings().office_name or current_app.config["OFFICE_NAME"]


def display_state() -> dict:
    """The display's full state, with the office name filled from configuration when unset."""
    state = current_app.extensions["loket"].display_state()
    state["office"]["name"] = state["office"]["name"] or current_app.config["OFFICE_NAME"]
    state["voice"] = {
        "engine": current_app.config.get("VOICE_ENGINE", "server"),
        "reading": current_app.config.get("VOICE_READING", "cardinal"),
    }
    return state
