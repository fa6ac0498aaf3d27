"""The waiting-room display board."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("display", __name__, url_prefix="/display", template_folder="templates", static_folder="static")


@bp.get("/")
def board():
    return render_template("display/board.html", office_name=current_app.config["OFFICE_NAME"])
