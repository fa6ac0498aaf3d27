"""Admin pages: office settings, services (SOP), counters, users, kiosks and displays, the audit log.

Thin: each route renders a page; the page logs in, takes the admin role and loads its data from /api/admin/*.
"""

from flask import Blueprint, render_template

from loket.web.pages import office_name

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")

#: The nav bar shared by the admin pages: (page key, address). Reports and the survey are other blueprints.
NAV = (
    ("settings", "/admin/"),
    ("sops", "/admin/sops"),
    ("counters", "/admin/counters"),
    ("users", "/admin/users"),
    ("devices", "/admin/devices"),
    ("audit", "/admin/audit"),
    ("reports", "/reports/"),
    ("survey", "/survey/report"),
)


def page(template: str, key: str, **context):
    return render_template(f"admin/{template}", page=key, nav=NAV, office_name=office_name(), **context)


@bp.get("/")
def settings():
    return page("settings.html", "settings")


@bp.get("/sops")
def sops():
    return page("sops.html", "sops")


@bp.get("/sops/new")
def sop_new():
    return page("sop_edit.html", "sops", code=None)


@bp.get("/sops/<code>")
def sop_edit(code: str):
    return page("sop_edit.html", "sops", code=code)


@bp.get("/counters")
def counters():
    return page("table_page.html", "counters", heading="Loket", script="counters.js")


@bp.get("/users")
def users():
    return page("table_page.html", "users", heading="Pengguna", script="users.js")


@bp.get("/devices")
def devices():
    return page("table_page.html", "devices", heading="Kiosk & Layar", script="devices.js")


@bp.get("/audit")
def audit():
    return page("audit.html", "audit")
