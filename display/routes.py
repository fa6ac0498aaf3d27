"""The waiting-room display board."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, send_from_directory

from web.pages import office_name

bp = Blueprint("display", __name__, url_prefix="/display", template_folder="templates", static_folder="static")


@bp.get("/")
def board():
    return render_template("display/board.html", office_name=office_name())


@bp.get("/media/<path:name>")
def media(name: str):
    """The office's own images and videos for the display's media area (instance/media)."""
    return send_from_directory(Path(current_app.instance_path) / "media", name, max_age=3600)
