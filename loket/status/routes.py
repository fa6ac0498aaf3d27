"""The status page and its JSON: only a signed code opens them, and every refusal is the same plain one."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from loket.core import (
    booking_status,  # noqa: F401  registers the booking codes (B1., LKB1:)
    status,
)
from loket.core.errors import InvalidCode, LoketError
from loket.core.messages import _
from loket.core.qr import OtherSiteCode
from loket.extensions import limiter
from loket.http import config_limit, limit_off
from loket.office import office_name
from loket.openapi import api
from loket.services import loket

bp = Blueprint(
    "status", __name__, template_folder="templates", static_folder="static", static_url_path="/status/static"
)

_limit = config_limit("STATUS_RATE_LIMIT")
_off = limit_off("STATUS_RATE_LIMIT")


class NoStatus(LoketError):
    """A code that opens no status page (forged, altered, foreign, unknown): one answer for all, no detail."""

    status = 404
    code = "not_found"


@bp.get("/s/<code>")
@limiter.shared_limit(_limit, scope="status", exempt_when=_off)
def page(code: str):
    """The page a phone opens from the QR: the ticket's status, live. Another site's genuine code whose berkas is
    not here (issue 16): a page saying whose it is and what the code says."""
    try:
        found = status.resolve(loket(), code)
    except OtherSiteCode as other:
        return render_template("status/other_site.html", office_name=office_name(), other=_other(other))
    except InvalidCode:
        return render_template("status/refused.html", office_name=office_name()), 404
    return render_template("status/page.html", office_name=office_name(), code=code, data=found.data)


@bp.get("/api/status/<code>")
@api(answers={200: {"type": "object", "required": ["kind", "number", "state", "steps"]}}, errors=(404, 429))
@limiter.shared_limit(_limit, scope="status", exempt_when=_off)
def data(code: str):
    """What the status page shows for a signed code: never a name or NIK; 404 for any code that opens nothing.
    Another site's genuine code whose berkas is not here: kind "other_site", with the site and what the code says."""
    try:
        found = status.resolve(loket(), code)
    except OtherSiteCode as other:
        data = _other(other)
        return jsonify({**data, "kind": "other_site", "of": other.kind, "state": "other_site", "steps": []})
    except InvalidCode:
        raise NoStatus(_("Alamat tidak ada.")) from None
    return jsonify(found.data)


def _other(other: OtherSiteCode) -> dict:
    """What another site's code says, for its page and JSON."""
    return {
        "kind": other.kind,
        "site": other.site,
        "site_name": other.site_name,
        "number": other.number,
        "day": other.day.isoformat(),
        "day_text": f"{other.day:%d-%m-%Y}",
    }
