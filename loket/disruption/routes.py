"""Disruptions: the staff page (admin, head of office), the public list in force, switching on and off."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import Blueprint, jsonify, render_template, url_for
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from loket.auth import staff_required
from loket.core import disruptions
from loket.core.roles import Actor
from loket.core.tickets import titip
from loket.http import parsed
from loket.office import office_name
from loket.openapi import api
from loket.public_url import public_base
from loket.realtime import publish
from loket.services import loket

bp = Blueprint(
    "disruption",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/disruption/static",
)

ROLES = disruptions.DISRUPTION_ROLES


class Offers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ticket: bool = Field(True, description="The kiosk still gives tickets for it (the berkas waits)")
    book: bool = Field(True, description="The kiosk offers to book another day (the booking page's link and QR)")
    titip: bool = Field(
        False,
        description="The kiosk offers to leave the berkas (titip berkas): received at the front desk, processed "
        "without the resident once the service is back",
    )


class DisruptionInput(BaseModel):
    """Switch the office or one service into disruption."""

    model_config = ConfigDict(extra="forbid")
    scope: Literal["office", "service"]
    service_code: str | None = Field(None, max_length=60)
    reason: Literal["siak", "network", "power", "other"]
    note: str | None = Field(None, max_length=disruptions.NOTE_MAX)
    expected_back: AwareDatetime | None = None
    expected_back_time: str | None = Field(
        None,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Or the time of day HH:MM on the office's clock (the next one: today, else tomorrow)",
    )
    offers: Offers = Offers()


def _booking_url() -> str:
    """The booking page as a phone reaches it (the kiosk shows it and its QR)."""
    return public_base() + url_for("booking.page")


@bp.get("/gangguan")
def page():
    """Current disruptions, switching one on or off, and the history."""
    return render_template(
        "disruption/page.html",
        page="disruption",
        office_name=office_name(),
        page_roles=[r.value for r in ROLES],
        disruption={
            "services": [{"code": s.code, "name": s.name.model_dump()} for s in loket().catalog],
            "reasons": disruptions.REASON_LABELS,
        },
    )


@bp.get("/api/disruptions")
@api(answers={200: {"type": "object", "required": ["disruptions", "booking_url"]}})
def in_force():
    """The disruptions in force, for the kiosk, the board and the status pages (public: no names)."""
    return jsonify(disruptions=disruptions.current(loket()), booking_url=_booking_url())


@bp.get("/api/disruptions/history")
@api(answers={200: {"type": "object", "required": ["disruptions"]}})
@staff_required(*ROLES)
def history(actor: Actor):
    """Every disruption, newest first, with who switched it on and off and its minutes."""
    return jsonify(disruptions=disruptions.history(loket()))


@bp.post("/api/disruptions")
@api("Switch a disruption on", body=DisruptionInput, answers={201: {"type": "object"}}, errors=(409,))
@staff_required(*ROLES, head_may_change=True)
def switch_on(actor: Actor):
    data = parsed(DisruptionInput)
    expected: datetime | None = data.expected_back
    if expected is None and data.expected_back_time:
        expected = disruptions.back_at(loket(), data.expected_back_time)
    shown, events = disruptions.start(
        loket(),
        actor,
        data.scope,
        data.reason,
        service_code=data.service_code,
        note=data.note,
        expected_back=expected,
        offers=data.offers.model_dump(),
    )
    publish(events)
    return jsonify(disruption=shown), 201


@bp.post("/api/disruptions/<site_id:disruption_id>/end")
@api("End a disruption", answers={200: {"type": "object"}}, errors=(404, 409))
@staff_required(*ROLES, head_may_change=True)
def switch_off(actor: Actor, disruption_id: int):
    shown, events = titip.end_disruption(loket(), actor, disruption_id)
    publish(events)
    return jsonify(disruption=shown)
