"""The office's SOP documents: validated YAML stored over the shipped files, with a version that moves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.core.messages import _

from .catalog import Catalog, Sop
from .errors import InvalidInput, problem, validation_problems
from .store import Setting, SopDocument

CATALOG_VERSION_KEY = "catalog"


def sop_yaml(sop: Sop) -> str:
    """An SOP as a YAML file (the same shape as the shipped files)."""
    data = sop.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def parse_input(data: dict[str, Any] | None = None, text: str | None = None) -> tuple[Sop, str]:
    """Validate an SOP given as JSON data or as YAML text; return it and the YAML to store."""
    if text is not None:
        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidInput([problem("yaml", _("Bukan YAML yang sah: %(error)s", error=str(exc)))]) from None
        if not isinstance(loaded, dict):
            raise InvalidInput([problem("yaml", _("YAML harus berisi isian SOP."))])
        data = loaded
    if not isinstance(data, dict):
        raise InvalidInput([problem("sop", _("Data SOP kosong."))])
    try:
        sop = Sop.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc)) from None
    return sop, (text if text is not None else sop_yaml(sop))


def overlay(shipped: Catalog, documents: Iterable[tuple[str, str]]) -> tuple[Catalog, list[str]]:
    """The catalog in use: the shipped SOPs with the office's documents over them.

    A stored document that no longer validates (e.g. after an upgrade tightened a rule)
    is skipped and reported, so one bad row never stops the office from issuing tickets.
    """
    by_code = {sop.code: sop for sop in shipped}
    sources = dict(shipped.sources)
    problems: list[str] = []
    for code, text in documents:
        try:
            sop, _data = parse_input(text=text)
        except InvalidInput as exc:
            problems.extend(f"office SOP '{code}': {p['field']}: {p['message']}" for p in exc.problems)
            continue
        by_code[sop.code] = sop
        sources[sop.code] = f"office:{sop.code}"
    sops = sorted(by_code.values(), key=lambda s: (s.order, s.code))
    return Catalog(tuple(sops), sources), problems


def prefix_problems(catalog: Catalog, sop: Sop) -> list[dict[str, str]]:
    """A problem if another SOP of the catalog already uses this SOP's ticket prefix."""
    for other in catalog:
        if other.code != sop.code and other.prefix == sop.prefix:
            return [
                problem(
                    "prefix",
                    _(
                        "Huruf %(prefix)s sudah dipakai layanan '%(service)s'.",
                        prefix=sop.prefix,
                        service=other.name.model_dump(),
                    ),
                )
            ]
    return []


def catalog_version(s: Session) -> int:
    """The version of the office's SOP documents; it moves on every change."""
    row = s.get(Setting, CATALOG_VERSION_KEY)
    return int(row.value.get("version", 0)) if row else 0


def bump_catalog_version(s: Session, at: datetime, user_id: int | None) -> int:
    """Move the version on, so every process re-reads the documents."""
    row = s.get(Setting, CATALOG_VERSION_KEY)
    version = catalog_version(s) + 1
    if row is None:
        s.add(Setting(key=CATALOG_VERSION_KEY, value={"version": version}, updated_at=at, updated_by=user_id))
    else:
        row.value = {"version": version}
        row.updated_at = at
        row.updated_by = user_id
    return version


def read_documents(s: Session) -> list[tuple[str, str]]:
    """The office's stored SOP documents as (code, YAML) pairs, in code order."""
    return [(d.code, d.yaml) for d in s.scalars(select(SopDocument).order_by(SopDocument.code))]
