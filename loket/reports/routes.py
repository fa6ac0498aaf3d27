"""Reports for the admin and the head of office: the pages, their JSON and exports (/api/reports/*),
and the buku harian ready for signature.

The report and live hall pages log in, take the kepala or admin role, and load their figures from
/api/reports/* (docs/reports.md says what each figure means); the register page is rendered here.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from loket.auth import current_actor, staff_required
from loket.core.register import register_rows
from loket.core.reports import build_report, live_dashboard, parse_period, report_csv, report_xlsx
from loket.core.roles import REGISTER_ROLES, REPORT_ROLES
from loket.core.service import Actor
from loket.http import BadRequest
from loket.office import office_name
from loket.services import loket

bp = Blueprint(
    "reports", __name__, template_folder="templates", static_folder="static", static_url_path="/reports/static"
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- pages -----------------------------------------------------------------------------


@bp.get("/reports/")
def report_page():
    """Counts, times and SOP compliance of a day or a period, with charts; prints on A4."""
    return render_template("reports/report.html", page="report", office_name=office_name())


@bp.get("/reports/live")
def live_page():
    """The hall right now: who waits, which counters are open or idle, which berkas are overdue."""
    return render_template("reports/live.html", page="live", office_name=office_name())


@bp.get("/reports/register")
def register_page():
    """The day's register as a page to print and sign (?day=YYYY-MM-DD)."""
    if not current_user.is_authenticated:
        return redirect(url_for("counter.desk"))
    actor = current_actor()
    if actor is None or actor.role not in REGISTER_ROLES:
        abort(403)  # names and NIKs: only for the roles that keep the buku harian
    try:
        day = date.fromisoformat(request.args.get("day") or loket().clock.today().isoformat())
    except ValueError:
        abort(400)
    rows = register_rows(loket(), day)
    return render_template(
        "reports/register.html",
        rows=rows,
        day=day,
        office_name=office_name(),
        officer=current_user.staff.full_name,
        done=sum(1 for r in rows if r.closed),
    )


# ---- JSON and exports --------------------------------------------------------------------


@bp.get("/api/reports/summary")
@staff_required(*REPORT_ROLES)
def summary(actor: Actor):
    """The report of a day (?day=) or a period (?from=&to=), as JSON, CSV or XLSX (?format=)."""
    args = request.args
    try:
        start, end = parse_period(args.get("day"), args.get("from"), args.get("to"), loket().clock.today())
    except ValueError:
        raise BadRequest(
            "Periode tidak sah: tanggal YYYY-MM-DD, paling lama 366 hari. "
            "(Invalid period: dates as YYYY-MM-DD, at most 366 days.)"
        ) from None
    fmt = args.get("format", "json")
    if fmt not in ("json", "csv", "xlsx"):
        raise BadRequest("Format: json, csv atau xlsx. (Format: json, csv or xlsx.)")
    report = build_report(loket(), start, end)
    name = f"laporan-{start.isoformat()}" + ("" if start == end else f"-sd-{end.isoformat()}")
    if fmt == "csv":
        return Response(
            report_csv(report),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            report_xlsx(report, office_name()),
            mimetype=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return jsonify(report.as_dict() | {"office": office_name()})


@bp.get("/api/reports/live")
@staff_required(*REPORT_ROLES)
def live(actor: Actor):
    """The hall right now: waiting per service, counters open and idle, overdue berkas."""
    return jsonify(live_dashboard(loket()) | {"office": office_name()})
