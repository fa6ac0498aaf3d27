"""The kiosk page a resident uses to choose a service and take a ticket."""

from flask import Blueprint, render_template

from loket.web.pages import office_name

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", template_folder="templates", static_folder="static")


@bp.get("/")
def home():
    return render_template("kiosk/index.html", office_name=office_name())
