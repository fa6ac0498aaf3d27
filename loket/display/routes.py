"""The waiting-room display board."""

from pathlib import Path

from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory, url_for

from loket.web.pages import office_name

bp = Blueprint("display", __name__, url_prefix="/display", template_folder="templates", static_folder="static")


@bp.get("/")
def board():
    """The board; ?device=NAME applies that display's zone, counters and pickup mode set by the admin."""
    name = request.args.get("device")
    if name and not any(k in request.args for k in ("zone", "counters", "view")):
        from loket.core.admin import get_device

        device = get_device(current_app.extensions["loket"], name, "display")
        if device is not None:
            query = {"device": name, **{k: v for k, v in request.args.items() if k != "device"}}
            if device["zone"]:
                query["zone"] = device["zone"]
            if device["options"].get("counters"):
                query["counters"] = ",".join(device["options"]["counters"])
            if device["options"].get("pickup"):
                query["view"] = "pickup"
            if len(query) > 1:
                return redirect(url_for("display.board", **query))
    return render_template("display/board.html", office_name=office_name())


@bp.get("/media/<path:name>")
def media(name: str):
    """The office's own images and videos for the display's media area (LOKET_MEDIA_DIR)."""
    return send_from_directory(Path(current_app.config["MEDIA_DIR"]), name, max_age=3600)
