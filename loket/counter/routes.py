"""The staff counter page: log in, choose loket and role, call, scan and advance."""

from flask import Blueprint, render_template

from loket.web.pages import office_name

bp = Blueprint("counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static")


@bp.get("/")
def desk():
    return render_template("counter/desk.html", office_name=office_name())
