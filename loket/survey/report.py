"""Survei Kepuasan Masyarakat, the report: the IKM page and its JSON, CSV and XLSX, for the admin and
the head of office (the page logs in and reads /api/survey/report like the admin pages).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from loket.auth import staff_required
from loket.core.messages import _, texts
from loket.core.roles import REPORT_ROLES, Actor
from loket.core.spreadsheet import append_row, bold, csv_text, workbook
from loket.core.survey import (
    ELEMENTS,
    MIN_RESPONSES_SHOWN,
    REGULATION_WEIGHT,
    SurveyReport,
    survey_report,
)
from loket.http import BadRequest
from loket.office import office_name, site_arg, sites
from loket.openapi import BINARY, api
from loket.services import loket

#: Its templates and static files are the survey room's (blueprint "survey").
bp = Blueprint("survey_report", __name__)


@bp.get("/survey/report")
def report_page():
    """The IKM report, printable; it logs in and reads /api/survey/report like the admin pages."""
    return render_template(
        "survey/report.html", office_name=office_name(), page_roles=[r.value for r in REPORT_ROLES], sites=sites()
    )


# ---- JSON and exports ---------------------------------------------------------------------


def _period() -> tuple[date, date, str | None]:
    """?from=&to=&service=; by default this month up to today."""
    today = loket().clock.today()
    service = request.args.get("service") or None
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise _bad_period() from None
    if end < start or (service is not None and loket().catalog.get(service) is None):
        raise _bad_period()
    return start, end, service


def _bad_period() -> BadRequest:
    return BadRequest(_("Periode atau layanan tidak sah (tanggal YYYY-MM-DD, sampai ≥ dari)."))


def _report() -> SurveyReport:
    start, end, service = _period()
    return survey_report(loket(), start, end, service, site_arg())


QUERY = {
    "from": {"type": "string", "format": "date", "description": "default the first of this month"},
    "to": {"type": "string", "format": "date", "description": "default today"},
    "service": {"type": "string"},
    "site": {"type": "string", "description": "one site's code (issue 16); none: every site together"},
}


@bp.get("/api/survey/report")
@api(query=QUERY, answers={200: {"type": "object", "required": ["office", "today"]}})
@staff_required(*REPORT_ROLES)
def report(actor: Actor):
    """NRR per element, IKM and grade, distribution of ratings, per period and per service."""
    data = _report().as_dict()
    data["office"] = office_name()
    data["site"] = site_arg()
    data["today"] = loket().clock.today().isoformat()  # the office's day, for the period presets
    data["services_available"] = [{"code": sop.code, "name": sop.name.model_dump()} for sop in loket().catalog]
    return jsonify(data)


@bp.get("/api/survey/report.csv")
@api(query={**QUERY, "lang": {"type": "string", "enum": ["id", "en"]}}, answers={200: ("text/csv", {"type": "string"})})
@staff_required(*REPORT_ROLES)
def report_csv(actor: Actor):
    # A BOM so that spreadsheet programs read the Indonesian text as UTF-8.
    return _download("\ufeff" + csv_text(_table(_report(), _lang())), "text/csv; charset=utf-8", "csv")


@bp.get("/api/survey/report.xlsx")
@api(
    query={**QUERY, "lang": {"type": "string", "enum": ["id", "en"]}},
    answers={200: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", BINARY)},
)
@staff_required(*REPORT_ROLES)
def report_xlsx(actor: Actor):
    report_data = _report()
    book = workbook()
    sheet = book.active
    sheet.title = "IKM"
    for row in _table(report_data, _lang()):
        append_row(sheet, row)
    titles = {WORDS[key][_lang()] for key in ("title", "elements", "per_service", "comments")}
    for row in sheet.iter_rows():
        if row[0].value in titles:
            row[0].font = bold()
    sheet.column_dimensions["A"].width = 44
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "id"


def _download(content: str | bytes, mimetype: str, ext: str) -> Response:
    start, end, _service = _period()
    name = f"ikm-{start.isoformat()}-{end.isoformat()}.{ext}"
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


#: Column and section titles of the exports.
WORDS = {
    "title": texts(_("SURVEI KEPUASAN MASYARAKAT (PermenPANRB 14/2017)")),
    "office": texts(_("Kantor")),
    "period": texts(_("Periode")),
    "service": texts(_("Layanan")),
    "all": texts(_("Semua layanan")),
    "responses": texts(_("Jumlah responden")),
    "elements": texts(_("NILAI PER UNSUR")),
    "no": texts(_("No")),
    "element": texts(_("Unsur")),
    "nrr": texts(_("NRR")),
    "weighted": {"id": f"NRR x {REGULATION_WEIGHT}", "en": f"NRR x {REGULATION_WEIGHT}"},
    "ikm": texts(_("IKM (rata-rata NRR x 25)")),
    "ikm_regulation": {"id": f"IKM dengan bobot {REGULATION_WEIGHT}", "en": f"IKM with weight {REGULATION_WEIGHT}"},
    "grade": texts(_("Mutu pelayanan")),
    "per_service": texts(_("PER LAYANAN")),
    "comments": texts(_("SARAN DAN MASUKAN")),
    "hidden": {
        "id": f"Kurang dari {MIN_RESPONSES_SHOWN} responden: nilai tidak ditampilkan agar responden tidak dikenali.",
        "en": f"Fewer than {MIN_RESPONSES_SHOWN} responses: figures not shown so that no one can be recognised.",
    },
    "hidden_short": {"id": f"disembunyikan (< {MIN_RESPONSES_SHOWN})", "en": f"hidden (< {MIN_RESPONSES_SHOWN})"},
    "day": texts(_("Tanggal")),
    "text": texts(_("Isi")),
    "none": texts(_("Belum ada responden pada periode ini.")),
}
COUNT_TITLES = {
    "id": ["Jumlah 1 (Tidak baik)", "Jumlah 2 (Kurang baik)", "Jumlah 3 (Baik)", "Jumlah 4 (Sangat baik)"],
    "en": ["Count 1 (Bad)", "Count 2 (Poor)", "Count 3 (Good)", "Count 4 (Very good)"],
}


def _table(report_data: SurveyReport, lang: str) -> list[list[Any]]:
    """The report as rows for CSV and XLSX: header, elements, IKM, per service, comments."""

    def w(key: str) -> str:
        return WORDS[key][lang]

    overall = report_data.overall
    result = overall.result
    service = overall.service_name[lang] if overall.service_name else w("all")
    rows: list[list[Any]] = [
        [w("title")],
        [w("office"), office_name()],
        [w("period"), report_data.start.isoformat(), report_data.end.isoformat()],
        [w("service"), service],
        [w("responses"), overall.responses],
        [],
        [w("elements")],
        [w("no"), w("element"), w("nrr"), w("weighted"), *COUNT_TITLES[lang]],
    ]
    if overall.hidden:  # too few responses: the count only (see core.survey.MIN_RESPONSES_SHOWN)
        result = None
    for i, (key, label) in enumerate(ELEMENTS, start=1):
        nrr = round(result.nrr[key], 2) if result else None
        weighted = round(result.nrr[key] * REGULATION_WEIGHT, 3) if result else None
        counts = [None] * 4 if overall.hidden else overall.distribution[key]
        rows.append([i, label[lang], nrr, weighted, *counts])
    rows.append([])
    if overall.hidden:
        rows.append([w("hidden")])
    elif result:
        rows += [
            [w("ikm"), result.ikm],
            [w("ikm_regulation"), result.ikm_regulation],
            [w("grade"), result.grade, result.label[lang]],
        ]
    else:
        rows.append([w("none")])
    rows += [[], [w("per_service")], [w("service"), w("responses"), "IKM", w("ikm_regulation"), w("grade"), ""]]
    for section in report_data.services:
        r = section.result
        if section.hidden:
            rows.append([section.service_name[lang], section.responses, None, None, w("hidden_short"), ""])
        else:
            rows.append(
                [section.service_name[lang], section.responses, r.ikm, r.ikm_regulation, r.grade, r.label[lang]]
            )
    comments = report_data.shown_comments()
    if comments:
        rows += [[], [w("comments")], [w("text")]]
        rows += [[text] for text in comments]  # escaped with every other cell (core.spreadsheet)
    return rows
