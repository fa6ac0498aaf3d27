"""The kiosk page a resident uses to choose a service and take a ticket."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", template_folder="templates", static_folder="static")


@bp.get("/")
def home():
    return render_template("kiosk/index.html", office_name=current_app.config["OFFICE_NAME"])
