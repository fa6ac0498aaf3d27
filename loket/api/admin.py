"""The admin's JSON API (/api/admin/*): SOPs, counters, staff, kiosks and displays, audit log.

Thin: each route calls one operation of core.admin and publishes what it returns.
Problems come back as {"error": "invalid", "message", "problems": [{"field", "message"}]}.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from loket.core import admin as ops
from loket.core.errors import LoketError
from loket.core.roles import Role
from loket.core.service import Actor, Loket
from loket.web.auth import staff_required
from loket.web.realtime import publish

bp = Blueprint("admin_api", __name__, url_prefix="/api/admin")

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def loket() -> Loket:
    return current_app.extensions["loket"]


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@bp.errorhandler(ops.InvalidInput)
def _invalid(exc: ops.InvalidInput):
    return jsonify(error=exc.code, message=exc.message, problems=exc.problems), exc.status


def _sop_input() -> tuple[dict[str, Any] | None, str | None]:
    data = body()
    if isinstance(data.get("yaml"), str):
        return None, data["yaml"]
    return data.get("sop"), None


@bp.get("/meta")
@staff_required(Role.ADMIN)
def meta(actor: Actor):
    config = current_app.config
    defaults = {  # what an empty office setting falls back to (the environment)
        "calls_before_no_show": config["CALLS_BEFORE_NO_SHOW"],
        "personal_data_retention_days": config["PERSONAL_DATA_RETENTION_DAYS"],
        "voice_reading": config["VOICE_READING"],
    }
    return jsonify({**ops.meta(loket()), "defaults": defaults})


# ---- SOPs ------------------------------------------------------------------------


@bp.get("/sops")
@staff_required(Role.ADMIN)
def sops(actor: Actor):
    return jsonify(sops=ops.list_sops(loket()), problems=loket().catalog_problems)


@bp.post("/sops")
@staff_required(Role.ADMIN)
def create_sop(actor: Actor):
    data, text = _sop_input()
    view, events = ops.save_sop(loket(), actor, data, text)
    publish(events)
    return jsonify(view), 201


@bp.get("/sops/export")
@staff_required(Role.ADMIN)
def export_all(actor: Actor):
    day = loket().clock.today().isoformat()
    return Response(
        ops.export_zip(loket()),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="loket-sop-{day}.zip"'},
    )


@bp.post("/sops/import")
@staff_required(Role.ADMIN)
def import_sops(actor: Actor):
    files = []
    for storage in request.files.getlist("files"):
        content = storage.read(MAX_IMPORT_BYTES + 1)
        if len(content) > MAX_IMPORT_BYTES:
            raise ops.InvalidInput(
                [ops.problem(storage.filename or "files", "Berkas terlalu besar. (File too large.)")]
            )
        files.append((storage.filename or "sop.yaml", content))
    result, events = ops.import_files(loket(), actor, files)
    publish(events)
    return jsonify(result)


@bp.get("/sops/<code>")
@staff_required(Role.ADMIN)
def sop(actor: Actor, code: str):
    return jsonify(ops.get_sop(loket(), code))


@bp.put("/sops/<code>")
@staff_required(Role.ADMIN)
def update_sop(actor: Actor, code: str):
    data, text = _sop_input()
    view, events = ops.save_sop(loket(), actor, data, text, code=code)
    publish(events)
    return jsonify(view)


@bp.delete("/sops/<code>")
@staff_required(Role.ADMIN)
def delete_sop(actor: Actor, code: str):
    result, events = ops.delete_sop(loket(), actor, code)
    publish(events)
    return jsonify(result)


@bp.get("/sops/<code>/yaml")
@staff_required(Role.ADMIN)
def sop_yaml(actor: Actor, code: str):
    return Response(
        ops.export_yaml(loket(), code),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{code}.yaml"'},
    )


# ---- counters, users, devices ---------------------------------------------------------


@bp.get("/counters")
@staff_required(Role.ADMIN)
def counters(actor: Actor):
    return jsonify(counters=ops.list_counter_rows(loket()))


@bp.post("/counters")
@staff_required(Role.ADMIN)
def create_counter(actor: Actor):
    counter, events = ops.save_counter(loket(), actor, body())
    publish(events)
    return jsonify(counter=counter), 201


@bp.put("/counters/<int:counter_id>")
@staff_required(Role.ADMIN)
def update_counter(actor: Actor, counter_id: int):
    counter, events = ops.save_counter(loket(), actor, body(), counter_id)
    publish(events)
    return jsonify(counter=counter)


@bp.get("/users")
@staff_required(Role.ADMIN)
def users(actor: Actor):
    return jsonify(users=ops.list_users(loket()))


@bp.post("/users")
@staff_required(Role.ADMIN)
def create_user(actor: Actor):
    user, events = ops.create_staff(loket(), actor, body())
    publish(events)
    return jsonify(user=user), 201


@bp.put("/users/<int:user_id>")
@staff_required(Role.ADMIN)
def update_user(actor: Actor, user_id: int):
    user, events = ops.update_staff(loket(), actor, user_id, body())
    publish(events)
    return jsonify(user=user)


@bp.post("/users/<int:user_id>/password")
@staff_required(Role.ADMIN)
def reset_password(actor: Actor, user_id: int):
    publish(ops.reset_password(loket(), actor, user_id, str(body().get("password") or "")))
    return jsonify(ok=True)


@bp.get("/devices")
@staff_required(Role.ADMIN)
def devices(actor: Actor):
    return jsonify(devices=ops.list_devices(loket()))


@bp.post("/devices")
@staff_required(Role.ADMIN)
def create_device(actor: Actor):
    device, events = ops.save_device(loket(), actor, body())
    publish(events)
    return jsonify(device=device), 201


@bp.put("/devices/<int:device_id>")
@staff_required(Role.ADMIN)
def update_device(actor: Actor, device_id: int):
    device, events = ops.save_device(loket(), actor, body(), device_id)
    publish(events)
    return jsonify(device=device)


@bp.delete("/devices/<int:device_id>")
@staff_required(Role.ADMIN)
def delete_device(actor: Actor, device_id: int):
    publish(ops.delete_device(loket(), actor, device_id))
    return jsonify(ok=True)


# ---- audit log and personal data ---------------------------------------------------


def _day(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise LoketError(f"Tanggal tidak sah: {value}. (Invalid date; use YYYY-MM-DD.)") from None


@bp.get("/audit")
@staff_required(Role.ADMIN)
def audit(actor: Actor):
    limit = request.args.get("limit", "200")
    entries = ops.audit_log(
        loket(),
        _day("from"),
        _day("to"),
        request.args.get("kind") or None,
        int(limit) if limit.isdigit() else 200,
    )
    return jsonify(entries=entries, kinds=list(ops.AUDIT_KINDS))


@bp.post("/purge-personal-data")
@staff_required(Role.ADMIN)
def purge(actor: Actor):
    purged, days = ops.purge_personal_data(loket(), actor, current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
    return jsonify(purged=purged, retention_days=days)
