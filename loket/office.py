"""Office settings the pages need, each the admin's value else the configured default."""

from __future__ import annotations

from flask import current_app, request

from loket.core.messages import _
from loket.core.reports.rollup import site_names
from loket.core.settings import EffectiveSettings
from loket.http import BadRequest
from loket.services import loket


def effective() -> EffectiveSettings:
    """The settings in force for this app, through the domain's one resolver."""
    return loket().effective_settings


def office_name() -> str:
    """The name the admin set, else LOKET_OFFICE_NAME."""
    return effective().office_name


def voice_reading() -> str:
    """How numbers are read out: the admin's setting, else LOKET_VOICE_READING."""
    return effective().voice_reading


def call_repeat() -> int:
    """How many times a call is said (the admin's setting: once or twice)."""
    return effective().call_repeat


def voice_engine() -> str:
    """Who speaks the calls: "server" (chime + espeak-ng made here) or "browser" (LOKET_VOICE_ENGINE)."""
    return current_app.config.get("VOICE_ENGINE", "server")


def sites() -> list[dict[str, str]]:
    """The sites the pages offer to choose from (issue 16) as {code, name}: every site of the register at the hub
    (LOKET_HUB); none elsewhere (a site holds the register too, replicated for the others' keys, but only its own
    rows)."""
    if not current_app.config.get("HUB"):
        return []
    return [{"code": code, "name": name} for code, name in site_names(loket()).items()]


def site_arg() -> str | None:
    """The site a report asks for (?site=CODE): None for every site together (and at a single office). An unknown
    code is refused (BadRequest), rather than answered with an empty report."""
    code = (request.args.get("site") or "").strip()
    if not code:
        return None
    if code not in site_names(loket()):
        raise BadRequest(_("Lokasi tidak dikenal: pilih salah satu lokasi yang terdaftar."))
    return code
