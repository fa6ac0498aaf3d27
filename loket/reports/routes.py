"""Reports for the admin and the head of office: the pages, their JSON and exports (/api/reports/*).

The report and live hall pages log in, take the kepala or admin role, and load their figures from
/api/reports/* (docs/reports.md says what each figure means). The buku harian to sign
(/reports/register) is the counter room's: it is the register the counter roles keep.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

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
from loket.core.reports.rollup import LinkReader, reader_for, site_halls, site_links
from loket.core.roles import REPORT_ROLES, Actor, Role
from loket.http import BadRequest
from loket.office import office_name, site_arg, sites
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
        sites=sites(),
    )


@bp.get("/reports/live")
def live_page():
    """The hall right now: who waits, which counters are open or idle, which berkas are overdue."""
    return render_template(
        "reports/live.html",
        page="live",
        office_name=office_name(),
        page_roles=[r.value for r in REPORT_ROLES],
        sites=sites(),
    )


@bp.get("/hub/sites")
def sites_page():
    """The hub's list of sites (issue 16): each one's link state and lag, and the last row received; no map."""
    return render_template(
        "reports/sites.html",
        page="sites",
        office_name=office_name(),
        page_roles=[r.value for r in REPORT_ROLES],
        sites=sites(),
    )


# ---- JSON and exports --------------------------------------------------------------------


@bp.get("/api/reports/summary")
@api(
    query={
        "day": {"type": "string", "format": "date"},
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "format": {"type": "string", "enum": ["json", "csv", "xlsx"]},
        "site": {"type": "string", "description": "one site's code (issue 16); none: every site together"},
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
    site = site_arg()
    report = build_report(loket(), start, end, site)
    booking = booking_report(loket(), start, end, site)
    disruptions = disruption_rows(loket(), start, end, site)  # reported apart, left out of compliance
    extra = (*booking_tables(booking), *disruption_tables(loket(), disruptions))
    name = f"laporan-{start.isoformat()}" + ("" if start == end else f"-sd-{end.isoformat()}")
    if site is not None:
        name += f"-{site}"
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
        report.as_dict()
        | {"booking": booking.as_dict(), "disruptions": disruptions, "office": office_name(), "site": site}
    )


@bp.get("/api/reports/live")
@api(
    query={"site": {"type": "string", "description": "one site's code (issue 16); none: every site together"}},
    answers={200: {"type": "object", "required": ["office"]}},
)
@staff_required(*REPORT_ROLES)
def live(actor: Actor):
    """The hall right now: waiting per service, counters open and idle, overdue berkas (of one site, or all)."""
    return jsonify(live_dashboard(loket(), site_arg()) | {"office": office_name()})


# ---- the hub (issue 16) ------------------------------------------------------------------


def link_reader() -> LinkReader | None:
    """Where the sites' links are read: the app's SITE_LINK_READER when set (the tests' fake, or the replication
    module's), else PostgreSQL's pg_stat_subscription; None on SQLite (no replication)."""
    reader = current_app.config.get("SITE_LINK_READER")
    return reader if reader is not None else reader_for(loket())


@bp.get("/api/hub/sites")
@api(answers={200: {"type": "object", "required": ["sites", "replication"]}})
@staff_required(*REPORT_ROLES)
def hub_sites(actor: Actor):
    """Every site with its link state (connected, cut since, never synced, error), its lag and the last row received."""
    listed = site_links(loket(), link_reader())
    local = loket().clock.local
    return jsonify(
        office=office_name(),
        as_of=loket().clock.now().isoformat(),
        today=loket().clock.today().isoformat(),
        hub=bool(current_app.config.get("HUB")),
        replication=listed.replication,
        sites=[site.as_dict(local) for site in listed.sites],
    )


@bp.get("/api/hub/halls")
@api(answers={200: {"type": "object", "required": ["sites", "all"]}})
@staff_required(*REPORT_ROLES)
def hub_halls(actor: Actor):
    """Per site and for all sites: waiting now per service, today's SOP compliance, the IKM of the month so far,
    today's booking use."""
    return jsonify(site_halls(loket()) | {"office": office_name()})
