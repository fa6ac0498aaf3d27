"""The reports' JSON API and exports (/api/reports/*), for the admin and the head of office.

Thin: the figures come from core.reports; see docs/reports.md for what each one means.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from loket.core.reports import build_report, live_dashboard, parse_period, report_csv, report_xlsx
from loket.core.roles import REPORT_ROLES
from loket.core.service import Actor, Loket
from loket.web.auth import staff_required
from loket.web.pages import office_name

bp = Blueprint("reports_api", __name__, url_prefix="/api/reports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def loket() -> Loket:
    return current_app.extensions["loket"]


@bp.get("/summary")
@staff_required(*REPORT_ROLES)
def summary(actor: Actor):
    """The report of a day (?day=) or a period (?from=&to=), as JSON, CSV or XLSX (?format=)."""
    args = request.args
    try:
        start, end = parse_period(args.get("day"), args.get("from"), args.get("to"), loket().clock.today())
    except ValueError:
        return jsonify(
            error="bad_request",
            message="Periode tidak sah: tanggal YYYY-MM-DD, paling lama 366 hari. "
            "(Invalid period: dates as YYYY-MM-DD, at most 366 days.)",
        ), 400
    report = build_report(loket(), start, end)
    fmt = args.get("format", "json")
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
    if fmt != "json":
        return jsonify(error="bad_request", message="Format: json, csv atau xlsx. (Format: json, csv or xlsx.)"), 400
    return jsonify(report.as_dict() | {"office": office_name()})


@bp.get("/live")
@staff_required(*REPORT_ROLES)
def live(actor: Actor):
    """The hall right now: waiting per service, counters open and idle, overdue berkas."""
    return jsonify(live_dashboard(loket()) | {"office": office_name()})
