"""Survei Kepuasan Masyarakat: the survey screen (kiosk or tablet), its JSON API and the IKM report.

Thin: each route calls one operation of core.survey. The public endpoints carry no session (CSRF-exempt,
rate-limited per address); the report is for the admin and the head of office only.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from openpyxl import Workbook
from openpyxl.styles import Font

from loket.auth import staff_required
from loket.core.accounts import get_counter, list_counters
from loket.core.roles import REPORT_ROLES
from loket.core.service import Actor
from loket.core.survey import (
    COMMENT_MAX,
    ELEMENTS,
    MIN_RESPONSES_SHOWN,
    REGULATION_WEIGHT,
    SurveyRefused,
    SurveyReport,
    check_ticket,
    questionnaire,
    submit_response,
    survey_report,
)
from loket.extensions import csrf, limiter
from loket.http import BadRequest, body, config_limit
from loket.office import office_name
from loket.services import loket

bp = Blueprint(
    "survey", __name__, template_folder="templates", static_folder="static", static_url_path="/survey/static"
)

#: Submissions (and ticket checks) one address may make; a kiosk serves many residents, but one takes
#: half a minute to answer nine questions. LOKET_SURVEY_RATE_LIMIT (config.py).
_survey_limit = config_limit("SURVEY_RATE_LIMIT")


# ---- pages ------------------------------------------------------------------------------


@bp.get("/survey")
def survey_page():
    """The survey screen: ?from=kiosk (opened from the kiosk's home) or ?counter=<id or name> (a tablet)."""
    counter_name = None
    asked = (request.args.get("counter") or "").strip()
    if asked:
        counter = get_counter(loket().store, int(asked)) if asked.isdigit() else None
        if counter is None:
            counter = next((c for c in list_counters(loket().store) if c.name.lower() == asked.lower()), None)
        counter_name = counter.name if counter else asked
    from_kiosk = request.args.get("from") == "kiosk"
    return render_template(
        "survey/survey.html",
        office_name=office_name(),
        counter_name=counter_name,
        source="tablet" if counter_name else "kiosk",
        return_url="/kiosk/" if from_kiosk else "",
        comment_max=COMMENT_MAX,
    )


@bp.get("/survey/report")
def report_page():
    """The IKM report, printable; it logs in and reads /api/survey/report like the admin pages."""
    return render_template("survey/report.html", office_name=office_name())


# ---- public API: the resident ------------------------------------------------------------


@bp.get("/api/survey/questions")
def questions():
    """The nine elements with the regulation's question and four answers each (a = 1 ... d = 4)."""
    return jsonify(elements=questionnaire(), comment_max=COMMENT_MAX)


@bp.get("/api/survey/ticket/<path:code>")
@limiter.limit(_survey_limit)
def ticket_check(code: str):
    """May this ticket (number or scanned QR text) be rated now? 200, or 404/409 with the reason."""
    rateable = check_ticket(loket(), code)
    return jsonify(ok=True, number=rateable.number, service=rateable.service_code, service_name=rateable.service_name)


@bp.post("/api/survey")
@csrf.exempt  # the kiosk and the tablet have no session; the handed-over ticket is the credential
@limiter.limit(_survey_limit)
def submit():
    """One anonymous response: {"code": number or QR text, "answers": {element: 1..4}, "comment", "source"}."""
    data = body()
    answers = data.get("answers")
    comment = data.get("comment")
    if not isinstance(answers, dict) or not isinstance(data.get("code"), str):
        raise SurveyRefused("invalid")
    rated = submit_response(
        loket(),
        data["code"],
        answers,
        comment if isinstance(comment, str) else None,
        str(data.get("source") or "kiosk"),
    )
    return jsonify(ok=True, service=rated.service_code, service_name=rated.service_name), 201


# ---- the report: admin and head of office ------------------------------------------------


def _period() -> tuple[date, date, str | None]:
    """?from=&to=&service=; by default this month up to today."""
    today = loket().clock.today()
    service = request.args.get("service") or None
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        start = end = None
    if start is None or end is None or end < start or (service is not None and loket().catalog.get(service) is None):
        raise BadRequest(
            "Periode atau layanan tidak sah (tanggal YYYY-MM-DD, sampai ≥ dari). "
            "(Invalid period or service: dates YYYY-MM-DD, to ≥ from.)"
        )
    return start, end, service


def _report() -> SurveyReport:
    start, end, service = _period()
    return survey_report(loket(), start, end, service)


@bp.get("/api/survey/report")
@staff_required(*REPORT_ROLES)
def report(actor: Actor):
    """NRR per element, IKM and grade, distribution of ratings, per period and per service."""
    data = _report().as_dict()
    data["office"] = office_name()
    data["today"] = loket().clock.today().isoformat()  # the office's day, for the period presets
    data["services_available"] = [{"code": sop.code, "name": sop.name.model_dump()} for sop in loket().catalog]
    return jsonify(data)


@bp.get("/api/survey/report.csv")
@staff_required(*REPORT_ROLES)
def report_csv(actor: Actor):
    rows = _table(_report(), _lang())
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    # A BOM so that spreadsheet programs read the Indonesian text as UTF-8.
    return _download("\ufeff" + out.getvalue(), "text/csv; charset=utf-8", "csv")


@bp.get("/api/survey/report.xlsx")
@staff_required(*REPORT_ROLES)
def report_xlsx(actor: Actor):
    report_data = _report()
    book = Workbook()
    sheet = book.active
    sheet.title = "IKM"
    for row in _table(report_data, _lang()):
        sheet.append(row)
    titles = {WORDS[key][_lang()] for key in ("title", "elements", "per_service", "comments")}
    for row in sheet.iter_rows():
        if row[0].value in titles:
            row[0].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 44
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "id"


def _download(content: str | bytes, mimetype: str, ext: str) -> Response:
    start, end, _ = _period()
    name = f"ikm-{start.isoformat()}-{end.isoformat()}.{ext}"
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


#: Column and section titles of the exports.
WORDS = {
    "title": {"id": "SURVEI KEPUASAN MASYARAKAT (PermenPANRB 14/2017)", "en": "PUBLIC SATISFACTION SURVEY"},
    "office": {"id": "Kantor", "en": "Office"},
    "period": {"id": "Periode", "en": "Period"},
    "service": {"id": "Layanan", "en": "Service"},
    "all": {"id": "Semua layanan", "en": "All services"},
    "responses": {"id": "Jumlah responden", "en": "Responses"},
    "elements": {"id": "NILAI PER UNSUR", "en": "SCORE PER ELEMENT"},
    "no": {"id": "No", "en": "No"},
    "element": {"id": "Unsur", "en": "Element"},
    "nrr": {"id": "NRR", "en": "NRR"},
    "weighted": {"id": f"NRR x {REGULATION_WEIGHT}", "en": f"NRR x {REGULATION_WEIGHT}"},
    "ikm": {"id": "IKM (rata-rata NRR x 25)", "en": "IKM (mean NRR x 25)"},
    "ikm_regulation": {"id": f"IKM dengan bobot {REGULATION_WEIGHT}", "en": f"IKM with weight {REGULATION_WEIGHT}"},
    "grade": {"id": "Mutu pelayanan", "en": "Grade"},
    "per_service": {"id": "PER LAYANAN", "en": "PER SERVICE"},
    "comments": {"id": "SARAN DAN MASUKAN", "en": "COMMENTS"},
    "hidden": {
        "id": f"Kurang dari {MIN_RESPONSES_SHOWN} responden: nilai tidak ditampilkan agar responden tidak dikenali.",
        "en": f"Fewer than {MIN_RESPONSES_SHOWN} responses: figures not shown so that no one can be recognised.",
    },
    "hidden_short": {"id": f"disembunyikan (< {MIN_RESPONSES_SHOWN})", "en": f"hidden (< {MIN_RESPONSES_SHOWN})"},
    "day": {"id": "Tanggal", "en": "Day"},
    "text": {"id": "Isi", "en": "Text"},
    "none": {"id": "Belum ada responden pada periode ini.", "en": "No responses in this period."},
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
        rows += [[_cell_text(text)] for text in comments]
    return rows


def _cell_text(text: str) -> str:
    """A resident's text as a spreadsheet shows it, never as a formula (CSV/formula injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
