"""Survei Kepuasan Masyarakat, the resident's side: the survey screen (kiosk or tablet) and its JSON.

Public: no session (CSRF-exempt, rate-limited per address); the handed-over ticket is the credential.
Each route calls one operation of core.survey. The IKM report for the admin and the head of office
is in report.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request
from pydantic import BaseModel, Field

from loket.core.accounts import get_counter, list_counters
from loket.core.survey import COMMENT_MAX, SurveyRefused, check_ticket, questionnaire, submit_response
from loket.extensions import csrf, limiter
from loket.http import MAX_SITE_ID, config_limit, parsed
from loket.office import office_name
from loket.openapi import api
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
        number = int(asked) if asked.isascii() and asked.isdigit() else None  # "²" is a digit, but no number
        counter = get_counter(loket().store, number) if number is not None and number <= MAX_SITE_ID else None
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


# ---- public API: the resident ------------------------------------------------------------


@bp.get("/api/survey/questions")
@api(answers={200: {"type": "object", "required": ["elements", "comment_max"]}})
def questions():
    """The nine elements with the regulation's question and four answers each (a = 1 ... d = 4)."""
    return jsonify(elements=questionnaire(), comment_max=COMMENT_MAX)


@bp.get("/api/survey/ticket/<path:code>")
@api(answers={200: {"type": "object", "required": ["ok", "number"]}}, errors=(400, 409, 429))
@limiter.limit(_survey_limit)
def ticket_check(code: str):
    """May this ticket (number or scanned QR text) be rated now? 200, or 404/409 with the reason."""
    rateable = check_ticket(loket(), code)
    return jsonify(ok=True, number=rateable.number, service=rateable.service_code, service_name=rateable.service_name)


class SurveyAnswer(BaseModel):
    code: str | None = Field(None, description="The ticket's number or its QR text")
    answers: dict[str, Any] | None = Field(None, description="element: 1 to 4")
    comment: str | None = None
    source: str | None = Field(None, description="kiosk or tablet")


@bp.post("/api/survey")
@api(
    body=SurveyAnswer,
    answers={201: {"type": "object", "required": ["ok", "service"]}},
    errors=(404, 409, 429),
)
@csrf.exempt  # the kiosk and the tablet have no session; the handed-over ticket is the credential
@limiter.limit(_survey_limit)
def submit():
    """One anonymous response: {"code": number or QR text, "answers": {element: 1..4}, "comment", "source"}."""
    data = parsed(SurveyAnswer)
    if data.answers is None or data.code is None:
        raise SurveyRefused("invalid")
    rated = submit_response(loket(), data.code, data.answers, data.comment, data.source or "kiosk")
    return jsonify(ok=True, service=rated.service_code, service_name=rated.service_name), 201
