"""Report pages for the admin and the head of office, and the buku harian ready for signature.

Thin: the report and the live hall pages log in, take the kepala or admin role, and load their figures
from /api/reports/*; the register page is rendered here.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from loket.core.register import register_rows
from loket.core.roles import REGISTER_ROLES
from loket.web.auth import current_actor
from loket.web.pages import office_name

bp = Blueprint(
    "reports",
    __name__,
    url_prefix="/reports",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.get("/")
def report_page():
    """Counts, times and SOP compliance of a day or a period, with charts; prints on A4."""
    return render_template("reports/report.html", page="report", office_name=office_name())


@bp.get("/live")
def live_page():
    """The hall right now: who waits, which counters are open or idle, which berkas are overdue."""
    return render_template("reports/live.html", page="live", office_name=office_name())


@bp.get("/register")
def register_page():
    """The day's register as a page to print and sign (?day=YYYY-MM-DD)."""
    if not current_user.is_authenticated:
        return redirect(url_for("counter.desk"))
    actor = current_actor()
    if actor is None or actor.role not in REGISTER_ROLES:
        abort(403)  # names and NIKs: only for the roles that keep the buku harian
    loket = current_app.extensions["loket"]
    try:
        day = date.fromisoformat(request.args.get("day") or loket.clock.today().isoformat())
    except ValueError:
        abort(400)
    rows = register_rows(loket, day)
    return render_template(
        "reports/register.html",
        rows=rows,
        day=day,
        office_name=office_name(),
        officer=current_user.staff.full_name,
        done=sum(1 for r in rows if r.closed),
    )
