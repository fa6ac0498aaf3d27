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


#: Bounds of one SOP's YAML text. The largest shipped SOP is 7 KB with about 400 nodes; the bounds keep
#: a big or nested text (or an alias "billion laughs") from holding a worker for minutes.
MAX_YAML_BYTES = 128 * 1024
MAX_YAML_NODES = 20_000  # counted with every alias expanded, as the validation would walk them
MAX_YAML_DEPTH = 30
MAX_YAML_ALIASES = 100


class _TooComplex(yaml.YAMLError):
    pass


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader (plain data only: no Python objects) that refuses, while composing, a
    document nested deeper than MAX_YAML_DEPTH, with more than MAX_YAML_ALIASES aliases, or whose nodes,
    counting each alias as the whole node it stands for, pass MAX_YAML_NODES."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}  # id(node) -> its node count with aliases expanded

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _TooComplex("too many aliases")
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _TooComplex("nested too deep")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if self._size(node) > MAX_YAML_NODES:
            raise _TooComplex("too many nodes")
        return node

    def _size(self, node: Any) -> int:
        """The node's count with aliases expanded; children were measured when they were composed."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes.get(id(item), 1) for item in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size
        return size


def load_yaml(text: str) -> Any:
    """YAML text as plain data, within the bounds above; InvalidInput (field "yaml") otherwise.

    The message names where the text went wrong (line and column), never the text itself."""
    if len(text) > MAX_YAML_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise InvalidInput(
            [problem("yaml", _("Teks YAML terlalu besar (maks. %(kb)s KB).", kb=MAX_YAML_BYTES // 1024))]
        )
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    except _TooComplex:
        raise InvalidInput(
            [problem("yaml", _("YAML terlalu rumit (terlalu dalam, terlalu banyak alias atau isian)."))]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            raise InvalidInput([problem("yaml", _("Bukan YAML yang sah."))]) from None
        where = _("Bukan YAML yang sah (baris %(line)s, kolom %(column)s).", line=mark.line + 1, column=mark.column + 1)
        raise InvalidInput([problem("yaml", where)]) from None
    except (yaml.YAMLError, RecursionError, ValueError):
        raise InvalidInput([problem("yaml", _("Bukan YAML yang sah."))]) from None
    finally:
        loader.dispose()


def parse_input(data: dict[str, Any] | None = None, text: str | None = None) -> tuple[Sop, str]:
    """Validate an SOP given as JSON data or as YAML text; return it and the YAML to store."""
    if text is not None:
        loaded = load_yaml(text)
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


#: The hub's version of its SOP documents (issue 16): replicated to the sites with the documents, in the same
#: transaction, so a site's processes see the hub's change as they see another process's (sites/rules.py).
HUB_CATALOG_VERSION_KEY = "hub.catalog"


def _version(s: Session, key: str) -> int:
    row = s.get(Setting, key)
    return int(row.value.get("version", 0)) if row else 0


def catalog_version(s: Session) -> int:
    """The version of the office's SOP documents; it moves on every change (here, or at the hub: the sum of both)."""
    return _version(s, CATALOG_VERSION_KEY) + _version(s, HUB_CATALOG_VERSION_KEY)


def bump_catalog_version(s: Session, at: datetime, user_id: int | None, *, hub: bool = False) -> int:
    """Move the version on, so every process re-reads the documents (`hub`: the hub's, which reaches its sites)."""
    key = HUB_CATALOG_VERSION_KEY if hub else CATALOG_VERSION_KEY
    row = s.get(Setting, key)
    version = _version(s, key) + 1
    if row is None:
        s.add(Setting(key=key, value={"version": version}, updated_at=at, updated_by=user_id))
    else:
        row.value = {"version": version}
        row.updated_at = at
        row.updated_by = user_id
    return version


def read_documents(s: Session) -> list[tuple[str, str]]:
    """The office's stored SOP documents as (code, YAML) pairs, in code order."""
    return [(d.code, d.yaml) for d in s.scalars(select(SopDocument).order_by(SopDocument.code))]
