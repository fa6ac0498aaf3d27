"""What a display shows: the calls, the counters, the queue lengths, the voice and the media."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from loket.core.tickets import views
from loket.office import office_name, voice_engine, voice_reading
from loket.services import loket

MEDIA_TYPES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".webm"}
VIDEO_TYPES = {".mp4", ".webm"}


def display_state() -> dict:
    """The display's full state, with the office name filled from configuration when unset."""
    state = views.display_state(loket())
    state["office"]["name"] = state["office"]["name"] or office_name()
    state["voice"] = {"engine": voice_engine(), "reading": voice_reading()}
    state["media"] = media_files()
    return state


def media_files() -> list[dict]:
    """Images and videos the office put in the media folder (LOKET_MEDIA_DIR), in name order."""
    folder = Path(current_app.config["MEDIA_DIR"])
    if not folder.is_dir():
        return []
    return [
        {"url": f"/display/media/{p.name}", "kind": "video" if p.suffix.lower() in VIDEO_TYPES else "image"}
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in MEDIA_TYPES and p.is_file()
    ]
