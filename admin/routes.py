"""Admin pages: office settings (hours, quotas, closures, blanko stock, texts). Data via /api/admin/*."""

from flask import Blueprint, render_template

from web.pages import office_name

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")


@bp.get("/")
def settings():
    return render_template("admin/settings.html", office_name=office_name())
