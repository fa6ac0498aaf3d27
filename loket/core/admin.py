"""The office's administration: SOPs, counters, staff, kiosks and displays, and the audit log.

Every change is made by an admin, in one transaction, and written to the audit log
(events of kind ``sop.*``, ``counter.*``, ``user.*``, ``device.*``, ``settings.changed``,
``personal_data.purged``) with who, when, and what before and after.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, and_, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from loket.core.messages import _

from .accounts import acting, end_all_sessions, hash_password
from .admin_inputs import (
    DEVICE_KINDS,
    CounterInput,
    DeviceInput,
    DisplayOptions,
    NewPassword,
    NewStaff,
    StaffChanges,
    check,
    in_field_order,
    squash,
)
from .booking.operations import purge_bookings
from .catalog import SERVICE_GROUPS, Catalog, Sop
from .context import Context
from .errors import Conflict, InvalidInput, LoketError, NotAllowed, NotFound, problem
from .errors import validation_problems as validation_problems  # imported from here by the settings route
from .events import Event
from .outbox.moments import purge_addresses
from .roles import ROLE_LABELS, STEP_ROLES, Actor, CommandLine, Role
from .settings import OfficeSettings, effective
from .sites import rules
from .sites.rules import office_in_force
from .sop_documents import (
    MAX_YAML_BYTES,
    bump_catalog_version,
    overlay,
    parse_input,
    prefix_problems,
    read_documents,
    sop_yaml,
)
from .store import Applicant, Counter, Device, EventRecord, SopDocument, StepVisit, Ticket, User

T = TypeVar("T", Counter, Device)

#: Event kinds the audit log shows.
AUDIT_KINDS = (
    "settings.changed",
    "sop.created",
    "sop.updated",
    "sop.reverted",
    "sop.deleted",
    "counter.created",
    "counter.updated",
    "user.created",
    "user.updated",
    "user.password_reset",
    "device.created",
    "device.updated",
    "device.deleted",
    "device.paired",
    "personal_data.purged",
    "demo.created",
    "booking.config_changed",
    # webhooks for other systems (core/outbox/subscriptions.AUDIT_KINDS)
    "webhook.created",
    "webhook.updated",
    "webhook.secret_rotated",
    "webhook.deleted",
    "disruption.started",
    "disruption.ended",
    # the hub's override policy (sites/rules.py)
    "sites.policy_changed",
)


# ---- SOP documents -----------------------------------------------------------


def _source(loket: Context, code: str, documents: set[str]) -> str:
    if code in documents:
        return "edited" if loket.shipped.get(code) else "office"
    return "shipped"


def list_sops(loket: Context) -> list[dict[str, Any]]:
    """Every SOP in use, with where it comes from (shipped, edited, office) and who changed it last."""
    with loket.store.read() as s:
        docs = {d.code: d for d in s.scalars(select(SopDocument))}
        users = {u.id: u.username for u in s.scalars(select(User))}
    out = []
    for sop in loket.catalog:
        doc = docs.get(sop.code)
        out.append(
            {
                "code": sop.code,
                "name": sop.name.model_dump(),
                "prefix": sop.prefix,
                "group": sop.group,
                "order": sop.order,
                "draft": sop.draft,
                "source": _source(loket, sop.code, set(docs)),
                "updated_at": doc.updated_at.isoformat() if doc else None,
                "updated_by": users.get(doc.updated_by) if doc and doc.updated_by else None,
                "steps": len(sop.steps),
                "target_minutes": sop.target_minutes,
            }
        )
    return out


def get_sop(loket: Context, code: str) -> dict[str, Any]:
    """One SOP in use: its data, its source and its YAML."""
    sop = loket.catalog.get(code)
    if sop is None:
        raise NotFound(_("Layanan tidak ada."))
    with loket.store.read() as s:
        doc = s.get(SopDocument, code)
    return {
        "code": code,
        "source": _source(loket, code, {code} if doc else set()),
        "sop": sop.model_dump(mode="json", exclude_none=True),
        "yaml": doc.yaml if doc else export_yaml(loket, code),
    }


def export_yaml(loket: Context, code: str) -> str:
    """The SOP's YAML as in use: the office's document, the shipped file (with its comments), or a dump."""
    sop = loket.catalog.get(code)
    if sop is None:
        raise NotFound(_("Layanan tidak ada."))
    with loket.store.read() as s:
        doc = s.get(SopDocument, code)
    if doc is not None:
        return doc.yaml
    source = loket.shipped.sources.get(code)
    if source and not source.startswith("office:"):
        try:
            with open(source, encoding="utf-8") as fh:
                return fh.read()
        except OSError:
            pass
    return sop_yaml(sop)


def export_zip(loket: Context) -> bytes:
    """Every SOP in use as YAML files in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for sop in loket.catalog:
            zf.writestr(f"{sop.order:02d}-{sop.code}.yaml", export_yaml(loket, sop.code))
    return buffer.getvalue()


def save_sop(
    loket: Context,
    actor: Actor,
    data: dict[str, Any] | None = None,
    text: str | None = None,
    *,
    code: str | None = None,
) -> tuple[dict[str, Any], list[Event]]:
    """Create (code None) or replace (code given) one SOP; validated against the whole catalog first."""
    sop, stored = parse_input(data, text)
    if code is not None and sop.code != code:
        raise InvalidInput([problem("code", _("Kode layanan tidak dapat diubah."))])
    if code is None and loket.catalog.get(sop.code) is not None:
        raise InvalidInput(
            [problem("code", _("Kode '%(code)s' sudah dipakai.", code=sop.code))],
        )
    if code is not None and loket.catalog.get(code) is None:
        raise NotFound(_("Layanan tidak ada."))
    events = _write_sops(loket, actor, [(sop, stored)])
    return get_sop(loket, sop.code), events


def import_files(
    loket: Context, actor: Actor, files: Iterable[tuple[str, bytes]]
) -> tuple[dict[str, list[str]], list[Event]]:
    """Import SOP YAML files (or a zip of them): all of them or none."""
    entries: list[tuple[str, bytes]] = []
    for index, (given, content) in enumerate(files):
        name = file_label(given, f"files[{index}]")
        if given.lower().endswith(".zip"):
            entries.extend(_zip_entries(name, content))
        elif given.lower().endswith((".yaml", ".yml")):
            entries.append((name, content))
        else:
            raise InvalidInput([problem(name, _("Hanya berkas .yaml, .yml atau .zip."))])
        if len(entries) > MAX_IMPORT_FILES:
            raise InvalidInput([problem(name, _("Terlalu banyak berkas (maks. %(count)s).", count=MAX_IMPORT_FILES))])
    if not entries:
        raise InvalidInput([problem("files", _("Tidak ada berkas SOP."))])
    problems: list[dict[str, str]] = []
    parsed: list[tuple[Sop, str]] = []
    seen: dict[str, str] = {}
    for name, content in entries:
        if len(content) > MAX_YAML_BYTES:
            problems.append(problem(name, _("Berkas terlalu besar.")))
            continue
        try:
            text = content.decode("utf-8")
            sop, stored = parse_input(text=text)
        except UnicodeDecodeError:
            problems.append(problem(name, _("Bukan teks UTF-8.")))
            continue
        except InvalidInput as exc:
            problems.extend(problem(f"{name}: {p['field']}", p["message"]) for p in exc.problems)
            continue
        if sop.code in seen:
            problems.append(
                problem(f"{name}: code", _("'%(code)s' juga ada di %(file)s.", code=sop.code, file=seen[sop.code]))
            )
            continue
        seen[sop.code] = name
        parsed.append((sop, stored))
    if problems:
        raise InvalidInput(problems, _("Impor dibatalkan; tidak ada yang disimpan."))
    before = {sop.code for sop in loket.catalog}
    events = _write_sops(loket, actor, parsed, names=seen)
    created = sorted(sop.code for sop, _text in parsed if sop.code not in before)
    updated = sorted(sop.code for sop, _text in parsed if sop.code in before)
    return {"created": created, "updated": updated}, events


#: An import holds at most this many SOP files, and a zip's members inflate to at most MAX_ZIP_BYTES in all
#: (each to at most MAX_YAML_BYTES): a zip bomb is refused after reading that much, whatever its headers say.
MAX_IMPORT_FILES = 100
MAX_ZIP_BYTES = 4 * 1024 * 1024
_SAFE_NAME = re.compile(r"[\w .()+-]{1,100}")


def file_label(name: str, fallback: str) -> str:
    """A file's name as an import's problems name it: its last part when that is a plain name, else `fallback`
    (an answer never carries back what it was sent)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base if _SAFE_NAME.fullmatch(base) and base.isascii() else fallback


def _zip_entries(name: str, content: bytes) -> list[tuple[str, bytes]]:
    """The .yaml/.yml members of a zip, read with every bound checked before and while inflating."""
    corrupt = InvalidInput([problem(name, _("Berkas zip rusak."))])
    too_big = InvalidInput([problem(name, _("Isi zip terlalu besar."))])
    entries: list[tuple[str, bytes]] = []
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            members = zf.infolist()
            if len(members) > MAX_IMPORT_FILES:
                raise InvalidInput(
                    [problem(name, _("Terlalu banyak berkas (maks. %(count)s).", count=MAX_IMPORT_FILES))]
                )
            for index, info in enumerate(members):
                if info.is_dir() or not info.filename.lower().endswith((".yaml", ".yml")):
                    continue
                label = f"{name}/{file_label(info.filename, f'[{index}]')}"
                if info.file_size > MAX_YAML_BYTES:  # the declared size, before inflating anything
                    raise InvalidInput([problem(label, _("Berkas terlalu besar."))])
                with zf.open(info) as member:  # the actual size: never more than the bound is inflated
                    data = member.read(MAX_YAML_BYTES + 1)
                if len(data) > MAX_YAML_BYTES:
                    raise InvalidInput([problem(label, _("Berkas terlalu besar."))])
                total += len(data)
                if total > MAX_ZIP_BYTES:
                    raise too_big
                entries.append((label, data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        raise corrupt from None
    return entries


def _write_sops(
    loket: Context, actor: Actor, items: list[tuple[Sop, str]], names: dict[str, str] | None = None
) -> list[Event]:
    """Save SOPs checked against the whole catalog; `names` (code -> file) prefixes an import's problems."""
    rules.refuse_sops_at_site(loket.scope)
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        current, _docs = overlay(loket.shipped, read_documents(s))
        by_code = {sop.code: sop for sop in current}
        for sop, _text in items:
            by_code[sop.code] = sop
        candidate = Catalog(tuple(by_code.values()))
        problems = [
            problem(f"{names[sop.code]}: {p['field']}", p["message"]) if names else p
            for sop, _text in items
            for p in prefix_problems(candidate, sop)
        ]
        if problems:
            raise InvalidInput(problems)
        audit: list[Event] = []
        for sop, stored in items:
            old = current.get(sop.code)
            doc = s.get(SopDocument, sop.code)
            if doc is None:
                s.add(SopDocument(code=sop.code, yaml=stored, updated_at=loket.clock.now(), updated_by=user.id))
            else:
                doc.yaml, doc.updated_at, doc.updated_by = stored, loket.clock.now(), user.id
            kind = "sop.updated" if old is not None else "sop.created"
            before = old.model_dump(mode="json", exclude_none=True) if old else None
            after = sop.model_dump(mode="json", exclude_none=True)
            audit.append(_audit(s, loket, user, kind, f"{sop.prefix} {sop.name.id}", before, after, code=sop.code))
        bump_catalog_version(s, loket.clock.now(), user.id, hub=loket.scope is rules.Scope.HUB)
        documents = read_documents(s)
    loket.install_catalog(overlay(loket.shipped, documents)[0])
    return [*audit, Event("catalog.changed", {"changed": ["catalog"], "codes": [sop.code for sop, _text in items]})]


def delete_sop(loket: Context, actor: Actor, code: str) -> tuple[dict[str, Any], list[Event]]:
    """Revert an edited SOP to its shipped file, or remove an office-added SOP that was never used.

    The hub removes none: a site cut off may have issued tickets or bookings for it that the hub cannot see yet
    (it marks it as a draft instead: no new tickets, and what the sites issued stays servable)."""
    rules.refuse_sops_at_site(loket.scope)
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        doc = s.get(SopDocument, code)
        if doc is None:
            if loket.shipped.get(code) is not None:
                raise LoketError(_("Layanan ini sudah versi bawaan."))
            raise NotFound(_("Layanan tidak ada."))
        current = loket.catalog.get(code)
        shipped = loket.shipped.get(code)
        if shipped is None and loket.scope is rules.Scope.HUB:
            raise Conflict(
                _(
                    "Kantor pusat (hub) tidak menghapus layanan: lokasi yang terputus mungkin sudah memberi tiket "
                    "atau pemesanan untuknya. Tandai sebagai draf agar tidak tampil di kiosk."
                )
            )
        if shipped is None and s.scalar(select(func.count()).select_from(Ticket).where(Ticket.service_code == code)):
            raise Conflict(_("Layanan ini sudah punya tiket; tandai sebagai draf agar tidak tampil di kiosk."))
        if shipped is not None:
            clash = [o for o in loket.catalog if o.code != code and o.prefix == shipped.prefix]
            if clash:
                raise Conflict(
                    _(
                        "Versi bawaan memakai huruf %(prefix)s, kini dipakai '%(service)s'.",
                        prefix=shipped.prefix,
                        service=clash[0].name.model_dump(),
                    )
                )
        s.delete(doc)
        before = current.model_dump(mode="json", exclude_none=True) if current else None
        after = shipped.model_dump(mode="json", exclude_none=True) if shipped else None
        kind = "sop.reverted" if shipped else "sop.deleted"
        event = _audit(s, loket, user, kind, current.name.id if current else code, before, after, code=code)
        bump_catalog_version(s, loket.clock.now(), user.id, hub=loket.scope is rules.Scope.HUB)
        s.flush()
        documents = read_documents(s)
    loket.install_catalog(overlay(loket.shipped, documents)[0])
    return {"code": code, "source_after": "shipped" if shipped else None}, [
        event,
        Event("catalog.changed", {"changed": ["catalog"], "codes": [code]}),
    ]


# ---- counters ----------------------------------------------------------------


def counter_data(c: Counter) -> dict[str, Any]:
    """A counter as the admin pages show it."""
    return {
        "id": c.id,
        "name": c.name,
        "number": c.number,
        "roles": list(c.roles),
        "services": list(c.services),
        "zone": c.zone,
        "active": c.active,
    }


def _clean_counter(s: Session, loket: Context, data: dict[str, Any], counter: Counter | None) -> dict[str, Any]:
    """The counter's fields after the change, checked (CounterInput) and its name free."""
    merged = {**(counter_data(counter) if counter else {"zone": None, "services": [], "active": True}), **data}
    clean, problems = check(CounterInput, merged, {"services": {sop.code for sop in loket.catalog}})
    name = squash(merged.get("name"))
    if not any(p["field"] == "name" for p in problems) and s.scalar(
        select(Counter.id).where(Counter.name == name, Counter.id != (counter.id if counter else -1))
    ):
        problems.append(problem("name", f"Loket '{name}' sudah ada. (A counter with this name exists.)"))
    if clean is None or problems:
        raise InvalidInput(in_field_order(problems, CounterInput))
    return clean.model_dump()


def list_counter_rows(loket: Context) -> list[dict[str, Any]]:
    """Every counter, by number."""
    with loket.store.read() as s:
        return [counter_data(c) for c in s.scalars(select(Counter).order_by(Counter.number, Counter.id))]


def save_counter(
    loket: Context, actor: Actor | CommandLine, data: dict[str, Any], counter_id: int | None = None
) -> tuple[dict[str, Any], list[Event]]:
    """Create (counter_id None) or change a counter (CounterInput); audited."""
    data = {k: v for k, v in data.items() if k in CounterInput.model_fields}
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        counter = None
        if counter_id is not None:
            counter = s.get(Counter, counter_id)
            if counter is None:
                raise NotFound(_("Loket tidak ada."))
        clean = _clean_counter(s, loket, data, counter)
        before = counter_data(counter) if counter else None
        counter = _save_row(s, Counter, counter, clean)
        after = counter_data(counter)
        kind = "counter.updated" if before else "counter.created"
        event = _audit(s, loket, user, kind, counter.name, before, after, counter_id=counter.id)
        return after, [event, Event("settings.changed", {"changed": ["counters"]})]


# ---- staff users -------------------------------------------------------------


def user_data(u: User) -> dict[str, Any]:
    """A staff account as the admin pages show it (never the password hash)."""
    return {
        "id": u.id,
        "username": u.username,
        "full_name": u.full_name,
        "roles": list(u.roles),
        "active": u.active,
        "created_at": u.created_at.isoformat(),
    }


def list_users(loket: Context) -> list[dict[str, Any]]:
    """Every staff account, by username."""
    with loket.store.read() as s:
        return [user_data(u) for u in s.scalars(select(User).order_by(User.username))]


def create_staff(
    loket: Context, actor: Actor | CommandLine, data: dict[str, Any]
) -> tuple[dict[str, Any], list[Event]]:
    """Create a staff account (NewStaff) with a hashed password; the username must be free. Not at a site: its
    accounts come from the hub (sites/rules.py)."""
    rules.refuse_accounts_at_site(loket.scope)
    clean, problems = check(NewStaff, data)
    username = str(data.get("username") or "").strip().lower()
    with loket.store.transaction() as s:
        admin = _admin(s, actor)
        if username and s.scalar(select(User.id).where(User.username == username)):
            problems.append(problem("username", _("'%(name)s' sudah dipakai.", name=username)))
        if clean is None or problems:
            raise InvalidInput(problems)
        user = User(
            username=clean.username,
            full_name=clean.full_name,
            password_hash=hash_password(clean.password),
            roles=clean.roles,
            active=True,
            created_at=loket.clock.now(),
        )
        s.add(user)
        s.flush()
        after = user_data(user)
        return after, [_audit(s, loket, admin, "user.created", clean.username, None, after, user_id=user.id)]


def update_staff(
    loket: Context, actor: Actor, user_id: int, data: dict[str, Any]
) -> tuple[dict[str, Any], list[Event]]:
    """Change a staff account's name, roles or active flag (StaffChanges); an admin cannot lock out themself.
    Not at a site (the hub's)."""
    rules.refuse_accounts_at_site(loket.scope)
    clean, problems = check(StaffChanges, {k: v for k, v in data.items() if k in StaffChanges.model_fields})
    with loket.store.transaction() as s:
        admin = _admin(s, actor)
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(_("Pengguna tidak ada."))
        before = user_data(user)
        if clean is not None and clean.full_name is not None:
            user.full_name = clean.full_name
        if clean is not None and clean.roles is not None:
            if user.id == admin.id and Role.ADMIN.value not in clean.roles:
                problems.append(
                    problem(
                        "roles",
                        _("Anda tidak dapat mencabut peran admin Anda sendiri."),
                    )
                )
            else:
                user.roles = clean.roles
        if clean is not None and clean.active is not None:
            if user.id == admin.id and not clean.active:
                problems.append(problem("active", _("Anda tidak dapat menonaktifkan akun sendiri.")))
            user.active = clean.active
            if not clean.active:
                end_all_sessions(s, user.id)  # a deactivated account is logged out everywhere at once
        if problems:
            raise InvalidInput(problems)
        after = user_data(user)
        return after, [_audit(s, loket, admin, "user.updated", user.username, before, after, user_id=user.id)]


def reset_password(loket: Context, actor: Actor | CommandLine, user_id: int, password: str) -> list[Event]:
    """Set a new password (NewPassword) for a staff account; the password never reaches the log. Not at a site
    (the hub's)."""
    rules.refuse_accounts_at_site(loket.scope)
    clean, problems = check(NewPassword, {"password": password})
    if clean is None:
        raise InvalidInput(problems)
    with loket.store.transaction() as s:
        admin = _admin(s, actor)
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(_("Pengguna tidak ada."))
        user.password_hash = hash_password(clean.password)
        user.password_changed_at = loket.clock.now()  # and at every site, where its sessions are the site's own
        end_all_sessions(s, user.id)  # every session opened with the old password ends
        # the password itself is never written to the log
        return [_audit(s, loket, admin, "user.password_reset", user.username, None, None, user_id=user.id)]


# ---- kiosks and displays -------------------------------------------------------


def device_url(d: Device) -> str:
    """The address a kiosk or display opens to be this device."""
    if d.kind == "kiosk":
        return f"/kiosk/?kiosk={d.name}"
    return f"/display/?device={d.name}"


def device_data(d: Device) -> dict[str, Any]:
    """A kiosk or display as the admin pages show it."""
    return {
        "id": d.id,
        "kind": d.kind,
        "name": d.name,
        "zone": d.zone,
        "printer": d.printer,
        "options": dict(d.options or {}),
        "active": d.active,
        "url": device_url(d),
        "paired": d.token_hash is not None,
        "paired_at": d.paired_at.isoformat() if d.paired_at else None,
    }


def _clean_device(s: Session, data: dict[str, Any], device: Device | None) -> dict[str, Any]:
    """The device's fields after the change, checked (DeviceInput, DisplayOptions) and its name free."""
    merged = {**(device_data(device) if device else {"zone": None, "printer": None, "options": {}, "active": True})}
    merged.update({k: v for k, v in data.items() if k in DeviceInput.model_fields})
    clean, problems = check(DeviceInput, merged)
    name = str(merged.get("name") or "").strip()
    if not any(p["field"] == "name" for p in problems) and s.scalar(
        select(Device.id).where(Device.name == name, Device.id != (device.id if device else -1))
    ):
        problems.append(problem("name", _("'%(name)s' sudah dipakai.", name=name)))
    options: dict[str, Any] = {}
    raw_options = merged.get("options") or {}
    if merged.get("kind") == "display" and isinstance(raw_options, dict):
        shown, option_problems = check(DisplayOptions, raw_options, {"counters": set(s.scalars(select(Counter.name)))})
        problems.extend({**p, "field": f"options.{p['field']}"} for p in option_problems)
        options = shown.model_dump() if shown else {}
    if clean is None or problems:
        raise InvalidInput(in_field_order(problems, DeviceInput))
    return {**clean.model_dump(), "options": options}


def list_devices(loket: Context) -> list[dict[str, Any]]:
    """Every kiosk and display, by kind and name."""
    with loket.store.read() as s:
        return [device_data(d) for d in s.scalars(select(Device).order_by(Device.kind, Device.name))]


def get_device(loket: Context, name: str, kind: str | None = None) -> dict[str, Any] | None:
    """An active device by name (the kiosk's or display's URL gives it), or None."""
    with loket.store.read() as s:
        query = select(Device).where(Device.name == name, Device.active.is_(True))
        if kind:
            query = query.where(Device.kind == kind)
        device = s.scalar(query)
        return device_data(device) if device else None


def device_printer(loket: Context, name: str, kind: str) -> str | None:
    """The printer the admin set for an active device, or None (asked for every ticket: one column)."""
    with loket.store.read() as s:
        return s.scalar(select(Device.printer).where(Device.name == name, Device.kind == kind, Device.active.is_(True)))


def save_device(
    loket: Context, actor: Actor | CommandLine, data: dict[str, Any], device_id: int | None = None
) -> tuple[dict[str, Any], list[Event]]:
    """Create (device_id None) or change a kiosk or display (DeviceInput); audited."""
    with loket.store.transaction() as s:
        admin = _admin(s, actor)
        device = None
        if device_id is not None:
            device = s.get(Device, device_id)
            if device is None:
                raise NotFound(_("Perangkat tidak ada."))
        clean = _clean_device(s, data, device)
        before = device_data(device) if device else None
        device = _save_row(s, Device, device, clean)
        after = device_data(device)
        kind = "device.updated" if before else "device.created"
        return after, [
            _audit(s, loket, admin, kind, device.name, before, after),
            Event("settings.changed", {"changed": ["devices"]}),
        ]


def delete_device(loket: Context, actor: Actor, device_id: int) -> list[Event]:
    """Remove a kiosk or display; audited."""
    with loket.store.transaction() as s:
        admin = _admin(s, actor)
        device = s.get(Device, device_id)
        if device is None:
            raise NotFound(_("Perangkat tidak ada."))
        before = device_data(device)
        s.delete(device)
        return [_audit(s, loket, admin, "device.deleted", before["name"], before, None)]


#: Digits in a kiosk's pairing code: typed once on the kiosk's keypad (about 66 bits).
PAIRING_DIGITS = 20


def pairing_hash(code: str) -> str:
    """What is stored of a pairing code: the SHA-256 of its digits (spaces and dashes as typed do not count)."""
    return hashlib.sha256("".join(ch for ch in code if ch.isascii() and ch.isdigit()).encode()).hexdigest()


def pair_device(loket: Context, actor: Actor | CommandLine, device_id: int) -> tuple[str, dict[str, Any], list[Event]]:
    """Give a kiosk a new pairing code (the old one stops working); the code is returned once and only its
    hash is kept. Paired kiosks issue tickets at kiosk speed; audited."""
    code = "".join(secrets.choice("0123456789") for _ in range(PAIRING_DIGITS))
    with loket.store.transaction() as s:
        admin = _admin(s, actor)
        device = s.get(Device, device_id)
        if device is None:
            raise NotFound(_("Perangkat tidak ada."))
        if device.kind != "kiosk":
            raise Conflict(_("Hanya kiosk yang dipasangkan."), code="not_a_kiosk")
        repaired = device.token_hash is not None
        device.token_hash = pairing_hash(code)
        device.paired_at = loket.clock.now()
        s.flush()
        event = _audit(s, loket, admin, "device.paired", device.name, None, None, repaired=repaired)
        return " ".join(code[i : i + 4] for i in range(0, len(code), 4)), device_data(device), [event]


@dataclass(frozen=True)
class PairedKiosk:
    """The active kiosk a pairing code belongs to, and the printer the admin set for it (None: the default)."""

    name: str
    printer: str | None


#: Asked on every ticket: built once (a statement made per call costs more than running it).
_PAIRED = select(Device.name, Device.printer).where(
    Device.token_hash == bindparam("token_hash"), Device.kind == "kiosk", Device.active.is_(True)
)


def paired_device(loket: Context, code: str | None) -> PairedKiosk | None:
    """The active kiosk paired with this code, with its printer, or None.

    Asked on every request of a kiosk: a paired kiosk is kept (Context.kept), so unpairing, deactivating or
    re-pairing it applies at once in this process and within `kept_seconds` in another. A code that
    pairs nothing is asked again each time (a kiosk paired in another process is known at once).
    """
    if not code or len(code) > 200:
        return None
    token_hash = pairing_hash(code)

    def load() -> PairedKiosk | None:
        with loket.store.read() as s:
            row = s.execute(_PAIRED, {"token_hash": token_hash}).first()
        return PairedKiosk(row.name, row.printer) if row else None

    return loket.kept(("paired", token_hash), Device, load, keep_none=False)


def paired_kiosk(loket: Context, code: str | None) -> str | None:
    """The name of the active kiosk paired with this code, or None."""
    device = paired_device(loket, code)
    return device.name if device else None


# ---- personal data -------------------------------------------------------------


def inactive_since(cutoff: datetime) -> ColumnElement[bool]:
    """The condition for berkas with no activity at or after `cutoff`, whatever their state.

    The last activity is the latest of: issued, queued, closed, any event of the berkas (called,
    started, pended, returned, no-show, applicant recorded, ...) and any time of a step visit.
    A pending, returned or no-show berkas that nobody touches again is as idle as a closed one.
    """
    recent_event = select(EventRecord.id).where(EventRecord.ticket_id == Ticket.id, EventRecord.at >= cutoff).exists()
    recent_visit = (
        select(StepVisit.id)
        .where(
            StepVisit.ticket_id == Ticket.id,
            or_(
                StepVisit.entered_at >= cutoff,
                StepVisit.called_at >= cutoff,
                StepVisit.started_at >= cutoff,
                StepVisit.ended_at >= cutoff,
            ),
        )
        .exists()
    )
    return and_(
        Ticket.issued_at < cutoff,
        Ticket.queued_at < cutoff,
        or_(Ticket.closed_at.is_(None), Ticket.closed_at < cutoff),
        ~recent_event,
        ~recent_visit,
    )


def purge_applicants(loket: Context, older_than_days: int) -> int:
    """Delete applicants' names and NIKs of every berkas idle for more than N days; return how many.

    Idle on its last activity (`inactive_since`), in any state: closed, pending, returned, no-show or
    still waiting from an earlier day.
    """
    cutoff = loket.clock.now() - timedelta(days=older_than_days)
    with loket.store.transaction() as s:
        idle = select(Ticket.id).where(inactive_since(cutoff))
        result = s.execute(delete(Applicant).where(Applicant.ticket_id.in_(idle), Applicant.recorded_at < cutoff))
        # The resident's number for messages, on the ticket and on its messages, goes under the same rule.
        purge_addresses(s, cutoff, idle)
        return cast("CursorResult[Any]", result).rowcount or 0  # a DELETE gives a cursor result


def purge_personal_data(
    loket: Context, actor: Actor | CommandLine | None, default_days: int | None = None
) -> tuple[int, int]:
    """Run the purge with the office's retention period (else the environment's default); log it.

    `default_days` overrides the environment's default given to the context (kept for the callers that pass it).
    """
    defaults = (
        loket.defaults if default_days is None else replace(loket.defaults, personal_data_retention_days=default_days)
    )
    with loket.store.read() as s:
        days = effective(office_in_force(s, loket.scope), defaults).personal_data_retention_days
    purged = purge_applicants(loket, days)
    purged += purge_bookings(loket, days)  # online bookings' NIK and phone, under the same rule
    with loket.store.transaction() as s:
        who = _admin(s, actor) if actor else None
        payload: dict[str, Any] = {
            "summary": f"{purged} berkas",
            "before": None,
            "after": {"purged": purged, "days": days},
        }
        if isinstance(who, CommandLine):
            payload["via"] = who.via
        s.add(
            EventRecord(
                at=loket.clock.now(),
                kind="personal_data.purged",
                officer_id=who.id if who else None,
                payload=payload,
            )
        )
    return purged, days


# ---- office settings -------------------------------------------------------------


def update_settings(loket: Context, actor: Actor, changes: dict[str, Any]) -> list[Event]:
    """Change office settings (admin only); every kiosk and display hears of it at once."""
    with loket.store.transaction() as s:
        user, _counter = acting(s, actor)
        if actor.role is not Role.ADMIN:
            raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan."))
        before, after, merged = rules.write(s, loket.scope, "office", changes, loket.clock.now(), user.id)
        assert isinstance(merged, OfficeSettings)
        unknown = set(merged.services) - {sop.code for sop in loket.catalog}
        if unknown:
            raise NotFound(_("Layanan tidak dikenal."))
        changed = sorted(k for k in after if after[k] != before.get(k))
        s.add(
            EventRecord(
                at=loket.clock.now(),
                kind="settings.changed",
                officer_id=user.id,
                payload={"changed": changed, "before": before, "after": after},
            )
        )
    return [Event("settings.changed", {"changed": changed}, officer_id=user.id)]


def settings_in_force(loket: Context) -> dict[str, Any]:
    """The office settings in force here, read now (at a site: the hub's rules with its own values)."""
    with loket.store.read() as s:
        return office_in_force(s, loket.scope).model_dump(mode="json")


def sites_meta(loket: Context) -> dict[str, Any]:
    """What the admin pages show of the hub's rules: this server's scope, who sets which field of each ruled
    setting, and the hub's override policy (sites/rules.py)."""
    with loket.store.read() as s:
        ruled = {key: rules.describe(s, loket.scope, key) for key in rules.RULED}
        policy = rules.read_policy(s).dump()
        ruled_by_hub = rules.ruled_by_hub(s, loket.scope)
    return {
        "scope": loket.scope.value,
        "site": loket.site,
        "ruled_by_hub": ruled_by_hub,
        "rules": ruled,
        "policy": policy,
        "fields": {key: list(r.fields) for key, r in rules.RULED.items()},
        "always_local": {key: list(r.always_local) for key, r in rules.RULED.items()},
    }


def update_policy(loket: Context, actor: Actor, data: dict[str, Any]) -> list[Event]:
    """At the hub: which fields the sites may set themselves; audited (``sites.policy_changed``)."""
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        before = rules.write_policy(s, loket.scope, data, loket.clock.now(), user.id)
        after = rules.read_policy(s).dump()
        return [_audit(s, loket, user, "sites.policy_changed", "policy", before, after)]


# ---- the audit log -------------------------------------------------------------


def audit_log(
    loket: Context, start: date | None = None, end: date | None = None, kind: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Admin changes, newest first, with who and what before and after (local dates, inclusive)."""
    kinds = [kind] if kind in AUDIT_KINDS else list(AUDIT_KINDS)
    query = select(EventRecord).where(EventRecord.kind.in_(kinds))
    if start is not None:
        query = query.where(EventRecord.at >= loket.clock.day_start(start))
    if end is not None:
        query = query.where(EventRecord.at < loket.clock.day_start(end + timedelta(days=1)))
    query = query.order_by(EventRecord.id.desc()).limit(max(1, min(limit, 1000)))
    with loket.store.read() as s:
        rows = s.scalars(query).all()
        users = {u.id: u for u in s.scalars(select(User))}
        out = []
        for r in rows:
            officer = users.get(r.officer_id) if r.officer_id else None
            payload = r.payload or {}
            summary = payload.get("summary")
            if r.kind == "settings.changed":
                summary = ", ".join(payload.get("changed", [])) or "-"
            out.append(
                {
                    "id": r.id,
                    "at": r.at.isoformat(),
                    "kind": r.kind,
                    "officer": (
                        {"id": officer.id, "username": officer.username, "full_name": officer.full_name}
                        if officer
                        else None
                    ),
                    "summary": summary,
                    "via": payload.get("via"),
                    "before": payload.get("before"),
                    "after": payload.get("after"),
                }
            )
        return out


def meta(loket: Context) -> dict[str, Any]:
    """What the admin pages choose from: roles, service groups, device kinds, services, audit kinds."""
    return {
        "roles": [{"code": r.value, "label": ROLE_LABELS[r], "step": r in STEP_ROLES} for r in Role],
        "groups": list(SERVICE_GROUPS),
        "device_kinds": list(DEVICE_KINDS),
        "services": [{"code": s.code, "name": s.name.model_dump(), "prefix": s.prefix} for s in loket.catalog],
        "audit_kinds": list(AUDIT_KINDS),
    }


# ---- helpers ---------------------------------------------------------------------


def _save_row(s: Session, model: type[T], row: T | None, clean: dict[str, Any]) -> T:
    """A new row from the checked values, or the existing one changed to them; flushed, so it has its id."""
    if row is None:
        row = model(**clean)
        s.add(row)
    else:
        for key, value in clean.items():
            setattr(row, key, value)
    s.flush()
    return row


def _admin(s: Session, actor: Actor | CommandLine) -> User | CommandLine:
    """Who makes an admin change: an active admin in the admin role, or the command line."""
    if isinstance(actor, CommandLine):
        return actor
    user = s.get(User, actor.user_id)
    if user is None or not user.active:
        raise NotAllowed(_("Akun tidak aktif."))
    if actor.role is not Role.ADMIN or Role.ADMIN.value not in user.roles:
        raise NotAllowed(_("Hanya admin yang dapat mengubah ini."))
    return user


def _audit(
    s: Session,
    loket: Context,
    who: User | CommandLine,
    kind: str,
    summary: str,
    before: Any,
    after: Any,
    *,
    counter_id: int | None = None,
    **extra: Any,
) -> Event:
    payload = {"summary": summary, "before": before, "after": after, **extra}
    if isinstance(who, CommandLine):
        payload["via"] = who.via  # no account to name: the command that made the change
    s.add(EventRecord(at=loket.clock.now(), kind=kind, counter_id=counter_id, officer_id=who.id, payload=payload))
    return Event(kind, {"summary": summary}, None, counter_id, who.id)
