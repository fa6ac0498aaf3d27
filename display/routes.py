"""The waiting-room display board."""

from flask import Blueprint, render_template

from web.pages import office_name

bp = Blueprint("display", __name__, url_prefix="/display", template_folder="templates", static_folder="static")


@bp.get("/")
def board():
    return render_template("display/board.html", office_name=office_name())
