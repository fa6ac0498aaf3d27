"""Reports for the admin and the head of office: the pages, their JSON and exports (/api/reports/*).

The report and live hall pages log in, take the kepala or admin role, and load their figures from
/api/reports/* (docs/reports.md says what each figure means). The buku harian to sign
(/reports/register) is the counter room's: it is the register the counter roles keep.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from loket.auth import staff_required
from loket.core.messages import _
from loket.core.reports import (
    build_report,
    disruption_rows,
    disruption_tables,
    live_dashboard,
    parse_period,
    report_csv,
    report_xlsx,
)
from loket.core.reports.booking import booking_report, booking_tables
from loket.core.roles import REPORT_ROLES, Actor, Role
from loket.http import BadRequest
from loket.office import office_name
from loket.openapi import BINARY, api
from loket.services import loket

bp = Blueprint(
    "reports", __name__, template_folder="templates", static_folder="static", static_url_path="/reports/static"
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- pages -----------------------------------------------------------------------------


@bp.get("/reports/")
def report_page():
    """Counts, times and SOP compliance of a day or a period, with charts; prints on A4."""
    return render_template(
        "reports/report.html",
        page="report",
        office_name=office_name(),
        page_roles=[r.value for r in REPORT_ROLES],
        report={"head_role": Role.KEPALA.value},  # the head of office signs alone, as "Mengetahui"
    )


@bp.get("/reports/live")
def live_page():
    """The hall right now: who waits, which counters are open or idle, which berkas are overdue."""
    return render_template(
        "reports/live.html", page="live", office_name=office_name(), page_roles=[r.value for r in REPORT_ROLES]
    )


# ---- JSON and exports --------------------------------------------------------------------


@bp.get("/api/reports/summary")
@api(
    query={
        "day": {"type": "string", "format": "date"},
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "format": {"type": "string", "enum": ["json", "csv", "xlsx"]},
    },
    answers={
        200: [
            ("application/json", {"type": "object", "required": ["office"]}),
            ("text/csv", {"type": "string"}),
            (XLSX, BINARY),
        ]
    },
)
@staff_required(*REPORT_ROLES)
def summary(actor: Actor):
    """The report of a day (?day=) or a period (?from=&to=), as JSON, CSV or XLSX (?format=), with the online
    booking's figures of the same days ("booking") and the disruptions with their minutes ("disruptions")."""
    args = request.args
    try:
        start, end = parse_period(args.get("day"), args.get("from"), args.get("to"), loket().clock.today())
    except ValueError:
        raise BadRequest(_("Periode tidak sah: tanggal YYYY-MM-DD, paling lama 366 hari.")) from None
    fmt = args.get("format", "json")
    if fmt not in ("json", "csv", "xlsx"):
        raise BadRequest(_("Format: json, csv atau xlsx."))
    report = build_report(loket(), start, end)
    booking = booking_report(loket(), start, end)
    disruptions = disruption_rows(loket(), start, end)  # reported apart, left out of compliance (docs/reports.md)
    extra = (*booking_tables(booking), *disruption_tables(loket(), disruptions))
    name = f"laporan-{start.isoformat()}" + ("" if start == end else f"-sd-{end.isoformat()}")
    if fmt == "csv":
        return Response(
            report_csv(report, extra),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            report_xlsx(report, office_name(), extra),
            mimetype=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return jsonify(
        report.as_dict() | {"booking": booking.as_dict(), "disruptions": disruptions, "office": office_name()}
    )


@bp.get("/api/reports/live")
@api(answers={200: {"type": "object", "required": ["office"]}})
@staff_required(*REPORT_ROLES)
def live(actor: Actor):
    """The hall right now: waiting per service, counters open and idle, overdue berkas."""
    return jsonify(live_dashboard(loket()) | {"office": office_name()})
