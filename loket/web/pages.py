"""Small helpers shared by the page blueprints."""

from pathlib import Path

from flask import current_app

from loket.web.realtime import voice_reading


def office_name() -> str:
    """The name the admin set, else the configured one."""
    return current_app.extensions["loket"].settings().office_name or current_app.config["OFFICE_NAME"]


def display_state() -> dict:
    """The display's full state, with the office name filled from configuration when unset."""
    state = current_app.extensions["loket"].display_state()
    state["office"]["name"] = state["office"]["name"] or current_app.config["OFFICE_NAME"]
    state["voice"] = {
        "engine": current_app.config.get("VOICE_ENGINE", "server"),
        "reading": voice_reading(),
    }
    state["media"] = media_files()
    return state


MEDIA_TYPES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".webm"}


def media_files() -> list[dict]:
    """Images and videos the office put in the media folder (LOKET_MEDIA_DIR), in name order."""
    folder = Path(current_app.config["MEDIA_DIR"])
    if not folder.is_dir():
        return []
    return [
        {"url": f"/display/media/{p.name}", "kind": "video" if p.suffix.lower() in (".mp4", ".webm") else "image"}
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in MEDIA_TYPES and p.is_file()
    ]
