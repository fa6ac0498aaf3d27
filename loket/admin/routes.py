"""The office's administration: its pages and their JSON (/api/admin/*), for the admin role only.

Pages: each renders a shell that logs in, takes the admin role and loads its data from /api/admin/*.
JSON: each route calls one operation of core.admin (or the settings) and publishes what it returns;
invalid input comes back as {"error": "invalid", "message", "problems": [{"field", "message"}]}.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import segno
from flask import Blueprint, Response, jsonify, render_template, request
from pydantic import BaseModel, Field

from loket.auth import staff_required
from loket.core import admin as ops
from loket.core import contact
from loket.core.admin_inputs import CounterInput, DeviceInput, NewPassword, NewStaff, StaffChanges
from loket.core.booking import admin as booking_admin
from loket.core.booking.config import BookingConfig
from loket.core.demo import demo_password_accounts
from loket.core.messages import _
from loket.core.roles import Actor, Role
from loket.core.settings import WEEKDAYS, OfficeSettings
from loket.http import BadRequest, body, body_limit, parsed
from loket.office import office_name
from loket.openapi import BINARY, api
from loket.realtime import publish
from loket.services import loket

from .prefix_sound import with_warnings

bp = Blueprint("admin", __name__, template_folder="templates", static_folder="static", static_url_path="/admin/static")

MAX_IMPORT_BYTES = 2 * 1024 * 1024

#: The nav bar shared by the admin pages: (page key, address). Reports and the survey are other rooms.
NAV = (
    ("settings", "/admin/"),
    ("golive", "/admin/siap"),
    ("sops", "/admin/sops"),
    ("counters", "/admin/counters"),
    ("users", "/admin/users"),
    ("devices", "/admin/devices"),
    ("booking", "/admin/booking"),
    ("webhooks", "/admin/webhooks"),
    ("audit", "/admin/audit"),
    ("disruption", "/gangguan"),
    ("reports", "/reports/"),
    ("survey", "/survey/report"),
)


# ---- pages -----------------------------------------------------------------------------


def page(template: str, key: str, **context):
    return render_template(
        f"admin/{template}", page=key, nav=NAV, office_name=office_name(), page_roles=[Role.ADMIN.value], **context
    )


@bp.get("/admin/")
def settings():
    return page("settings.html", "settings", settings_config={"weekdays": WEEKDAYS})


@bp.get("/admin/sops")
def sops():
    return page("sops.html", "sops")


@bp.get("/admin/sops/new")
def sop_new():
    return page("sop_edit.html", "sops", code=None)


@bp.get("/admin/sops/<code>")
def sop_edit(code: str):
    return page("sop_edit.html", "sops", code=code)


@bp.get("/admin/counters")
def counters():
    return page("table_page.html", "counters", heading="Loket", script="counters.js")


@bp.get("/admin/users")
def users():
    return page("table_page.html", "users", heading="Pengguna", script="users.js")


@bp.get("/admin/devices")
def devices():
    return page("table_page.html", "devices", heading="Kiosk & Layar", script="devices.js")


@bp.get("/admin/booking")
def booking_page():
    return page("booking.html", "booking", booking_config={"weekdays": WEEKDAYS})


@bp.get("/admin/audit")
def audit():
    return page("audit.html", "audit")


# ---- office settings ---------------------------------------------------------------------


@bp.get("/api/admin/settings")
@api("The office settings")
@staff_required(Role.ADMIN)
def settings_json(actor: Actor):
    return jsonify(ops.settings_in_force(loket()))


class MessagePreview(BaseModel):
    moment: str = Field(description="booked, reminder, ahead, called, pending, returned or ready")
    id: str = Field("", max_length=1000, description="The Indonesian text")
    en: str = Field("", max_length=1000, description="The English text")


@bp.post("/api/admin/messages/preview")
@api(body=MessagePreview, answers={200: {"type": "object", "required": ["id", "en"]}}, errors=(400,))
@staff_required(Role.ADMIN)
def messages_preview(actor: Actor):
    """A moment's texts filled with example values; 400 with a clear message when a placeholder is unknown."""
    data = parsed(MessagePreview)
    if data.moment not in contact.MOMENTS:
        raise BadRequest(_("Momen pesan tidak dikenal: %(names)s.", names=data.moment))
    texts = contact.MessageSettings().texts(data.moment)
    try:
        return jsonify(contact.preview(data.moment, {"id": data.id or texts["id"], "en": data.en or texts["en"]}))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


@bp.get("/api/admin/messages")
@api("The moments of messages to residents: labels, placeholders, default texts")
@staff_required(Role.ADMIN)
def messages_catalog(actor: Actor):
    return jsonify(
        moments=[
            {
                "moment": m,
                "label": contact.MOMENT_LABELS[m],
                "placeholders": list(contact.PLACEHOLDERS[m]),
                "default": contact.DEFAULT_TEXTS[m],
            }
            for m in contact.MOMENTS
        ]
    )


@bp.put("/api/admin/settings")
@api(body=OfficeSettings, errors=(404,))
@staff_required(Role.ADMIN)
def settings_update(actor: Actor):
    """Change office settings: hours, service closures and quotas, blanko stock, texts."""
    publish(ops.update_settings(loket(), actor, body()))
    return jsonify(ops.settings_in_force(loket()))


@bp.get("/api/admin/booking")
@api("The online booking rules (per service), and a new service's defaults")
@staff_required(Role.ADMIN)
def booking_json(actor: Actor):
    return jsonify(booking_admin.current_config(loket()))


@bp.put("/api/admin/booking")
@api(body=BookingConfig, errors=(404,))
@staff_required(Role.ADMIN)
def booking_update(actor: Actor):
    """Change the online booking rules: services, slots, seats, shares, opening, no-shows, challenge."""
    publish(booking_admin.update_config(loket(), actor, body()))
    return jsonify(booking_admin.current_config(loket()))


@bp.get("/api/admin/meta")
@api("Roles, groups, device kinds, services and audit kinds, for the admin pages")
@staff_required(Role.ADMIN)
def meta(actor: Actor):
    defaults = asdict(loket().defaults)  # what an empty office setting falls back to (the environment)
    defaults.pop("office_name")  # the settings page shows the office's name itself, not a placeholder
    return jsonify({**ops.meta(loket()), "defaults": defaults, "sites": ops.sites_meta(loket())})


@bp.get("/api/admin/sites/policy")
@api("Which fields of the hub's rules each site may set itself (issue 16)")
@staff_required(Role.ADMIN)
def sites_policy(actor: Actor):
    return jsonify(ops.sites_meta(loket()))


@bp.put("/api/admin/sites/policy")
@api(
    "At the hub: which fields each site may set itself, per ruled setting ({office: [...], booking: [...]})",
    body={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    errors=(403,),
)
@staff_required(Role.ADMIN)
def sites_policy_update(actor: Actor):
    publish(ops.update_policy(loket(), actor, body()))
    return jsonify(ops.sites_meta(loket()))


@bp.get("/api/admin/warnings")
@api(
    "Active accounts that still open with the demo password",
    answers={
        200: {
            "type": "object",
            "required": ["demo_password_accounts"],
            "properties": {"demo_password_accounts": {"type": "array", "items": {"type": "string"}}},
        }
    },
)
@staff_required(Role.ADMIN)
def warnings(actor: Actor):
    """What every admin page warns of: active accounts that still open with the demo password."""
    return jsonify(demo_password_accounts=demo_password_accounts(loket()))


# ---- SOPs ------------------------------------------------------------------------------


class SopInput(BaseModel):
    """An SOP as its fields, or as the text of its YAML file."""

    sop: dict[str, Any] | None = Field(None, description="The SOP's fields, as in its YAML file")
    yaml: str | None = Field(None, description="Or the YAML file's text")


def _sop_input() -> tuple[dict | None, str | None]:
    data = parsed(SopInput)
    if data.yaml is not None:
        return None, data.yaml
    return data.sop, None


SOP_ANSWER = {"type": "object", "required": ["code", "source", "sop", "yaml"]}


@bp.get("/api/admin/sops")
@api(answers={200: {"type": "object", "required": ["sops", "problems"]}})
@staff_required(Role.ADMIN)
def sop_list(actor: Actor):
    return jsonify(sops=ops.list_sops(loket()), problems=loket().catalog_problems)


@bp.post("/api/admin/sops")
@api("A new service (SOP)", body=SopInput, answers={201: SOP_ANSWER}, errors=(409,))
@staff_required(Role.ADMIN)
def sop_create(actor: Actor):
    data, text = _sop_input()
    view, events = ops.save_sop(loket(), actor, data, text)
    publish(events)
    return jsonify(with_warnings(view)), 201


@bp.get("/api/admin/sops/export")
@api("Every SOP as a zip of YAML files", answers={200: ("application/zip", BINARY)})
@staff_required(Role.ADMIN)
def sop_export(actor: Actor):
    day = loket().clock.today().isoformat()
    return Response(
        ops.export_zip(loket()),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="loket-sop-{day}.zip"'},
    )


@bp.post("/api/admin/sops/import")
@body_limit("SOP_IMPORT_MAX_BYTES")
@api(
    "Import SOP files (.yaml, .yml or a .zip of them), all or nothing",
    body={
        "type": "object",
        "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
    },
    body_type="multipart/form-data",
    answers={200: {"type": "object", "required": ["created", "updated"]}},
    errors=(409,),
)
@staff_required(Role.ADMIN)
def sop_import(actor: Actor):
    files = []
    for storage in request.files.getlist("files"):
        content = storage.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            raise ops.InvalidInput([ops.problem(storage.filename or "files", _("Berkas terlalu besar."))])
        files.append((storage.filename or "sop.yaml", content))
    result, events = ops.import_files(loket(), actor, files)
    publish(events)
    return jsonify(result)


@bp.get("/api/admin/sops/<code>")
@api("One SOP, its fields and its YAML", answers={200: SOP_ANSWER})
@staff_required(Role.ADMIN)
def sop_read(actor: Actor, code: str):
    return jsonify(with_warnings(ops.get_sop(loket(), code)))


@bp.put("/api/admin/sops/<code>")
@api("Change an SOP (its code stays)", body=SopInput, answers={200: SOP_ANSWER}, errors=(409,))
@staff_required(Role.ADMIN)
def sop_update(actor: Actor, code: str):
    data, text = _sop_input()
    view, events = ops.save_sop(loket(), actor, data, text, code=code)
    publish(events)
    return jsonify(with_warnings(view))


@bp.delete("/api/admin/sops/<code>")
@api(
    "Revert an edited SOP, or delete one the office added",
    answers={200: {"type": "object", "required": ["code", "source_after"]}},
    errors=(409,),
)
@staff_required(Role.ADMIN)
def sop_delete(actor: Actor, code: str):
    result, events = ops.delete_sop(loket(), actor, code)
    publish(events)
    return jsonify(result)


@bp.get("/api/admin/sops/<code>/yaml")
@api("One SOP's YAML file", answers={200: ("application/yaml", {"type": "string"})})
@staff_required(Role.ADMIN)
def sop_yaml(actor: Actor, code: str):
    return Response(
        ops.export_yaml(loket(), code),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{code}.yaml"'},
    )


# ---- counters, users, devices ------------------------------------------------------------


@bp.get("/api/admin/counters")
@api(answers={200: {"type": "object", "required": ["counters"]}})
@staff_required(Role.ADMIN)
def counter_list(actor: Actor):
    return jsonify(counters=ops.list_counter_rows(loket()))


@bp.post("/api/admin/counters")
@api("A new counter", body=CounterInput, answers={201: {"type": "object", "required": ["counter"]}}, errors=(409,))
@staff_required(Role.ADMIN)
def counter_create(actor: Actor):
    counter, events = ops.save_counter(loket(), actor, body())
    publish(events)
    return jsonify(counter=counter), 201


@bp.put("/api/admin/counters/<site_id:counter_id>")
@api("Change a counter", body=CounterInput, answers={200: {"type": "object", "required": ["counter"]}}, errors=(409,))
@staff_required(Role.ADMIN)
def counter_update(actor: Actor, counter_id: int):
    counter, events = ops.save_counter(loket(), actor, body(), counter_id)
    publish(events)
    return jsonify(counter=counter)


@bp.get("/api/admin/users")
@api(answers={200: {"type": "object", "required": ["users"]}})
@staff_required(Role.ADMIN)
def user_list(actor: Actor):
    return jsonify(users=ops.list_users(loket()))


@bp.post("/api/admin/users")
@api("A new staff account", body=NewStaff, answers={201: {"type": "object", "required": ["user"]}}, errors=(409,))
@staff_required(Role.ADMIN)
def user_create(actor: Actor):
    user, events = ops.create_staff(loket(), actor, body())
    publish(events)
    return jsonify(user=user), 201


@bp.put("/api/admin/users/<int:user_id>")
@api("Change a staff account", body=StaffChanges, answers={200: {"type": "object", "required": ["user"]}})
@staff_required(Role.ADMIN)
def user_update(actor: Actor, user_id: int):
    user, events = ops.update_staff(loket(), actor, user_id, body())
    publish(events)
    return jsonify(user=user)


@bp.post("/api/admin/users/<int:user_id>/password")
@api("Set a staff account's password", body=NewPassword, answers={200: {"type": "object", "required": ["ok"]}})
@staff_required(Role.ADMIN)
def user_password(actor: Actor, user_id: int):
    publish(ops.reset_password(loket(), actor, user_id, str(body().get("password") or "")))
    return jsonify(ok=True)


@bp.get("/api/admin/devices")
@api(answers={200: {"type": "object", "required": ["devices"]}})
@staff_required(Role.ADMIN)
def device_list(actor: Actor):
    return jsonify(devices=ops.list_devices(loket()))


@bp.post("/api/admin/devices")
@api(
    "A new kiosk or display", body=DeviceInput, answers={201: {"type": "object", "required": ["device"]}}, errors=(409,)
)
@staff_required(Role.ADMIN)
def device_create(actor: Actor):
    device, events = ops.save_device(loket(), actor, body())
    publish(events)
    return jsonify(device=device), 201


@bp.put("/api/admin/devices/<int:device_id>")
@api(
    "Change a kiosk or display",
    body=DeviceInput,
    answers={200: {"type": "object", "required": ["device"]}},
    errors=(409,),
)
@staff_required(Role.ADMIN)
def device_update(actor: Actor, device_id: int):
    device, events = ops.save_device(loket(), actor, body(), device_id)
    publish(events)
    return jsonify(device=device)


@bp.post("/api/admin/devices/<int:device_id>/pair")
@api(
    "Pair (or re-pair) a kiosk: a new code, shown once; the old one stops working",
    answers={200: {"type": "object", "required": ["device", "code", "url", "qr_svg"]}},
    errors=(404, 409),
)
@staff_required(Role.ADMIN)
def device_pair(actor: Actor, device_id: int):
    """A new pairing code for a kiosk, shown once: typed on the kiosk, or its address (QR) opened there once."""
    code, device, events = ops.pair_device(loket(), actor, device_id)
    publish(events)
    address = request.host_url.rstrip("/") + device["url"] + "#pair=" + code.replace(" ", "")
    qr = segno.make(address, error="m", micro=False).svg_data_uri(scale=5, border=2)
    return jsonify(device=device, code=code, url=address, qr_svg=qr)


@bp.delete("/api/admin/devices/<int:device_id>")
@api("Delete a kiosk or display", answers={200: {"type": "object", "required": ["ok"]}})
@staff_required(Role.ADMIN)
def device_delete(actor: Actor, device_id: int):
    publish(ops.delete_device(loket(), actor, device_id))
    return jsonify(ok=True)


# ---- the audit log and personal data --------------------------------------------------


def _day(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(_("Bukan tanggal yang sah (TTTT-BB-HH).")) from None


@bp.get("/api/admin/audit")
@api(
    "The audit log, newest first",
    query={
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "kind": {"type": "string"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "default 200"},
    },
    answers={200: {"type": "object", "required": ["entries", "kinds"]}},
)
@staff_required(Role.ADMIN)
def audit_log(actor: Actor):
    limit = request.args.get("limit", "200")
    entries = ops.audit_log(
        loket(),
        _day("from"),
        _day("to"),
        request.args.get("kind") or None,
        int(limit) if limit.isdecimal() else 200,  # "²" is a digit, but no number
    )
    return jsonify(entries=entries, kinds=list(ops.AUDIT_KINDS))


@bp.post("/api/admin/purge-personal-data")
@api(
    "Delete names and NIKs past the retention period",
    answers={200: {"type": "object", "required": ["purged", "retention_days"]}},
)
@staff_required(Role.ADMIN)
def purge(actor: Actor):
    purged, days = ops.purge_personal_data(loket(), actor)
    return jsonify(purged=purged, retention_days=days)
