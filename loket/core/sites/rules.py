"""The hub sets the rules (issue 16, docs/sites.md "Rules from the hub"): SOPs, services and their quotas, the
booking rules, staff accounts and their roles are defined at the hub and reach every site by replication; a site
keeps its own values for what the hub lets it override (its hours, its running text, ...).

The two sides never write the same row, so replication never meets a conflict:

- The hub writes its rules under settings keys prefixed `hub.` (`hub.office`, `hub.booking`), the override policy
  (`hub.policy`: which fields a site may set itself) and the version of its SOP documents (`hub.catalog`); the tables
  sop_documents, users and sites are the hub's as a whole. `HUB_TABLES` and `hub_settings_filter` name them for the
  publication `loket_rules`.
- A site writes its own values under `site.` (`site.office`, `site.booking`): only the fields it overrides, as a
  partial row. The settings in force at a site are the hub's rules with the site's values for the fields the policy
  allows; a field the site sets back to the hub's value follows the hub again.
- Before a site's first sync (no `hub.` row yet) it works as a single office, on its own `office` and `booking` rows.
- A single office (no LOKET_SITE, no LOKET_HUB) is unchanged: its `office` and `booking` rows, nothing else.

No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.core.errors import InvalidInput, NotAllowed, problem, validation_problems
from loket.core.messages import _, texts
from loket.core.settings import OfficeSettings
from loket.core.sop_documents import HUB_CATALOG_VERSION_KEY
from loket.core.store import Setting

#: Settings keys of the rows the hub owns and publishes.
HUB_PREFIX = "hub."
#: Settings keys of a site's own values over the hub's rules (never published: each site has its own).
SITE_PREFIX = "site."
#: The hub's override policy.
POLICY_KEY = "hub.policy"
#: The version of the hub's SOP documents (sop_documents.catalog_version sums it with the local "catalog").
HUB_CATALOG_KEY = HUB_CATALOG_VERSION_KEY

#: The tables the hub publishes to every site (publication `loket_rules`); settings only in part (the filter below).
HUB_TABLES = ("sop_documents", "users", "sites", "settings")
#: The row filter of the settings table in that publication: the rows the hub owns. The key is the primary key
#: (the replica identity), as PostgreSQL 15 wants of a filter on a table that is updated and deleted.
hub_settings_filter = "key LIKE 'hub.%'"


def rules_tables() -> str:
    """The table list of the hub's publication of its rules (PostgreSQL 15: a row filter on settings)."""
    return ", ".join(f"{t} WHERE ({hub_settings_filter})" if t == "settings" else t for t in HUB_TABLES)


def rules_publication_sql(name: str = "loket_rules") -> str:
    """The hub's publication of its rules (no TRUNCATE: a site's copy is never emptied wholesale)."""
    return f"CREATE PUBLICATION {name} FOR TABLE {rules_tables()} WITH (publish = 'insert, update, delete')"


#: What a site shows next to a field (or a page) the hub rules.
SET_BY_HUB = _("Diatur oleh kantor pusat (hub)")


class Scope(StrEnum):
    """What this server is: a single office, the hub of several sites, or one of the sites."""

    OFFICE = "office"
    HUB = "hub"
    SITE = "site"


def scope_of(site: str, hub: bool) -> Scope:
    """The scope from the configuration: LOKET_HUB=1 is the hub, LOKET_SITE=<code> a site, neither a single office."""
    if hub:
        return Scope.HUB
    return Scope.SITE if site else Scope.OFFICE


@dataclass(frozen=True)
class Ruled:
    """One settings row the hub rules: its local key, its model, the fields a site may override by default and the
    fields always the site's own (whatever the policy says)."""

    key: str
    model: type[BaseModel]
    overridable: tuple[str, ...]
    always_local: tuple[str, ...] = ()

    @property
    def hub_key(self) -> str:
        return HUB_PREFIX + self.key

    @property
    def site_key(self) -> str:
        return SITE_PREFIX + self.key

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


#: The settings the hub rules, by local key; the booking rules register themselves (booking/config.py). The outbox
#: caps, webhooks, counters and devices are each site's own (not here).
RULED: dict[str, Ruled] = {
    "office": Ruled(
        "office",
        OfficeSettings,
        overridable=(
            "office_name",
            "running_text",
            "waiting_area",
            "hours",
            "pickup_hours",
            "blanko_stock",
            "call_repeat",
            "voice_reading",
        ),
        # each site counts the blanko cards in its own cupboard
        always_local=("blanko_stock",),
    ),
}


def register(ruled: Ruled) -> None:
    """Add a setting the hub rules (its module calls this once, when imported)."""
    RULED[ruled.key] = ruled


@dataclass(frozen=True)
class OverridePolicy:
    """Which fields of each ruled setting a site may set itself (the hub's admin chooses); a setting the hub said
    nothing of keeps its default fields."""

    chosen: dict[str, frozenset[str]]

    def allowed(self, key: str) -> frozenset[str]:
        """The fields of RULED[key] a site may override."""
        ruled = RULED[key]
        return self.chosen.get(key, frozenset(ruled.overridable)) | frozenset(ruled.always_local)

    def dump(self) -> dict[str, list[str]]:
        return {key: sorted(self.allowed(key)) for key in RULED}


def parse_policy(data: Any, *, strict: bool = True) -> OverridePolicy:
    """A policy from its JSON ({"office": [field, ...], "booking": [...]}). `strict`: unknown settings or fields are
    refused (InvalidInput); else left out (a row from a newer hub)."""
    problems = []
    chosen: dict[str, frozenset[str]] = {}
    for key, names in (data or {}).items() if isinstance(data, dict) else ():
        if key not in RULED or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problems.append(problem(str(key), _("Pengaturan tidak dikenal.")))
            continue
        unknown = sorted(set(names) - set(RULED[key].fields))
        if unknown:
            problems.append(problem(key, _("Isian tidak dikenal: %(names)s.", names=", ".join(unknown))))
        chosen[key] = frozenset(names) & frozenset(RULED[key].fields)
    if strict and (problems or not isinstance(data, dict)):
        raise InvalidInput(problems or [problem("policy", _("Data kosong."))])
    return OverridePolicy(chosen)


# ---- reading ------------------------------------------------------------------------------


def _row(s: Session, key: str) -> dict[str, Any] | None:
    row = s.get(Setting, key)
    return dict(row.value) if row is not None and isinstance(row.value, dict) else None


def hub_rules_present(s: Session) -> bool:
    """Whether a hub's rules have reached this database (a site after its first sync, or the hub itself)."""
    return s.scalar(select(Setting.key).where(Setting.key.like(HUB_PREFIX + "%")).limit(1)) is not None


def read_policy(s: Session) -> OverridePolicy:
    """The hub's override policy (the default one when the hub has not set it, or it no longer validates)."""
    return parse_policy(_row(s, POLICY_KEY) or {}, strict=False)


def _known(model: type[BaseModel], value: dict[str, Any]) -> dict[str, Any]:
    """The fields this version of Loket knows (a newer hub may send more: a site on an older version ignores them)."""
    return {k: v for k, v in value.items() if k in model.model_fields}


def merged(ruled: Ruled, hub: dict[str, Any], own: dict[str, Any], allowed: frozenset[str]) -> BaseModel:
    """The hub's rules with the site's values for the allowed fields. A site value that no longer validates (a hub
    change made it wrong) is dropped, field by field, rather than stopping the site."""
    values = _known(ruled.model, hub)
    try:
        ruled.model.model_validate(values)
    except ValidationError:  # a field this version cannot read: without it (its default), never a site that stops
        values = _valid_fields(ruled, {}, values)
    return ruled.model.model_validate(_valid_fields(ruled, values, {k: own[k] for k in sorted(allowed & set(own))}))


def _valid_fields(ruled: Ruled, values: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`values` with each field of `extra` that keeps the whole valid, one at a time."""
    values = dict(values)
    for name, value in extra.items():
        trial = {**values, name: value}
        try:
            ruled.model.model_validate(trial)
        except ValidationError:
            continue
        values = trial
    return values


def in_force(s: Session, scope: Scope, key: str) -> BaseModel:
    """The ruled setting `key` ("office", "booking") in force here.

    A single office, or a site before its first sync: its own row. The hub: its rules (its own row until it saved
    rules). A site: the hub's rules with its own values where the policy allows."""
    ruled = RULED[key]
    own = _row(s, key)
    if scope is Scope.OFFICE:
        return ruled.model.model_validate(own) if own is not None else ruled.model()
    hub = _row(s, ruled.hub_key)
    if hub is None:
        return ruled.model.model_validate(own) if own is not None else ruled.model()
    if scope is Scope.HUB:
        return merged(ruled, hub, {}, frozenset())
    return merged(ruled, hub, _row(s, ruled.site_key) or {}, read_policy(s).allowed(key))


def office_in_force(s: Session, scope: Scope) -> OfficeSettings:
    value = in_force(s, scope, "office")
    assert isinstance(value, OfficeSettings)
    return value


def rules_version(s: Session) -> tuple[tuple[str, str], ...]:
    """What moves whenever a hub's row of settings changes (its SOPs move `hub.catalog`): each row's key and time."""
    rows = s.execute(
        select(Setting.key, Setting.updated_at).where(Setting.key.like(HUB_PREFIX + "%")).order_by(Setting.key)
    )
    return tuple((key, at.isoformat() if at else "") for key, at in rows)


def ruled_by_hub(s: Session, scope: Scope) -> bool:
    """Whether this server takes its rules from a hub now: a site whose first sync has come."""
    return scope is Scope.SITE and hub_rules_present(s)


def describe(s: Session, scope: Scope, key: str) -> dict[str, Any]:
    """What an admin page needs to know of a ruled setting: who sets which field here.

    `hub_owned`: fields shown read-only ("Diatur oleh kantor pusat (hub)"); `overridable`: fields the site sets;
    `overridden`: those it has set (the rest follow the hub); `hub`: the hub's values."""
    ruled = RULED[key]
    ruled_here = ruled_by_hub(s, scope) and _row(s, ruled.hub_key) is not None
    allowed = read_policy(s).allowed(key) if ruled_here else frozenset(ruled.fields)
    own = (_row(s, ruled.site_key) or {}) if ruled_here else {}
    hub = merged(ruled, _row(s, ruled.hub_key) or {}, {}, frozenset()) if ruled_here else None
    return {
        "scope": scope.value,
        "ruled_by_hub": ruled_here,
        "set_by_hub": texts(SET_BY_HUB),
        "hub_owned": sorted(set(ruled.fields) - allowed) if ruled_here else [],
        "overridable": sorted(allowed),
        "overridden": sorted(set(own) & allowed),
        "hub": hub.model_dump(mode="json") if hub is not None else None,
    }


# ---- writing ------------------------------------------------------------------------------


def _put(s: Session, key: str, value: dict[str, Any], at: datetime, user_id: int | None) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value, updated_at=at, updated_by=user_id))
    else:
        row.value, row.updated_at, row.updated_by = value, at, user_id


def hub_owned_refusal(fields: list[str]) -> InvalidInput:
    return InvalidInput(
        [problem(name, _("Diatur oleh kantor pusat (hub); tidak dapat diubah di sini.")) for name in fields],
        _("Aturan ini diatur oleh kantor pusat (hub)."),
    )


def write(
    s: Session, scope: Scope, key: str, changes: dict[str, Any], at: datetime, user_id: int | None
) -> tuple[dict[str, Any], dict[str, Any], BaseModel]:
    """Apply an admin's changes to the ruled setting `key` where this server keeps it; return (before, after, the
    new value in force), both as the whole setting in force.

    A single office (and a site before its first sync) changes its own row; the hub its rules (`hub.<key>`); a site
    its own values (`site.<key>`), only for the fields the policy allows: a change to a field the hub rules is
    refused (the same value sent back is no change). A site value equal to the hub's is dropped (it follows the
    hub again)."""
    ruled = RULED[key]
    current = in_force(s, scope, key)
    before = current.model_dump(mode="json")
    try:
        new = ruled.model.model_validate({**before, **changes})
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc)) from None
    after = new.model_dump(mode="json")
    if scope is Scope.OFFICE or (scope is Scope.SITE and _row(s, ruled.hub_key) is None):
        _put(s, key, after, at, user_id)
        return before, after, new
    if scope is Scope.HUB:
        _put(s, ruled.hub_key, after, at, user_id)
        return before, after, new
    allowed = read_policy(s).allowed(key)
    refused = sorted(name for name in after if after[name] != before.get(name) and name not in allowed)
    if refused:
        raise hub_owned_refusal(refused)
    hub = merged(ruled, _row(s, ruled.hub_key) or {}, {}, frozenset()).model_dump(mode="json")
    own = _row(s, ruled.site_key) or {}  # a field the hub no longer allows stays, unused, until it allows it again
    for name in allowed:
        if after[name] != before.get(name):
            own[name] = after[name]
        if name in own and own[name] == hub.get(name):
            del own[name]  # the hub's value again: follow the hub
    _put(s, ruled.site_key, own, at, user_id)
    return before, after, in_force(s, scope, key)


def write_policy(s: Session, scope: Scope, data: dict[str, Any], at: datetime, user_id: int | None) -> dict[str, Any]:
    """The hub's admin sets which fields sites may override; returns the policy before (for the audit trail)."""
    if scope is not Scope.HUB:
        raise NotAllowed(_("Hanya kantor pusat (hub) yang mengatur apa yang boleh diubah tiap lokasi."))
    before = read_policy(s).dump()
    policy = parse_policy({**before, **(data if isinstance(data, dict) else {})})
    _put(s, POLICY_KEY, policy.dump(), at, user_id)
    return before


def publish_rules(s: Session, at: datetime, user_id: int | None = None) -> list[str]:
    """At the hub: make its rules from its own settings where it has none yet (an office that becomes the hub keeps
    the hours, quotas and booking rules it had); returns the keys written. Safe to run again."""
    written = []
    for ruled in RULED.values():
        if _row(s, ruled.hub_key) is None:
            own = _row(s, ruled.key)
            value = ruled.model.model_validate(own) if own is not None else ruled.model()
            _put(s, ruled.hub_key, value.model_dump(mode="json"), at, user_id)
            written.append(ruled.hub_key)
    if _row(s, POLICY_KEY) is None:
        _put(s, POLICY_KEY, OverridePolicy({}).dump(), at, user_id)
        written.append(POLICY_KEY)
    return written


# ---- what a site never writes -----------------------------------------------------------------


def refuse_accounts_at_site(scope: Scope) -> None:
    """Staff accounts come from the hub: a site neither creates nor changes one (its rows are the hub's, replicated;
    a site's write would break or be overwritten by replication)."""
    if scope is Scope.SITE:
        raise NotAllowed(
            _("Akun petugas diatur oleh kantor pusat (hub): buat atau ubah akun di hub; akun sampai ke lokasi ini.")
        )


def refuse_sops_at_site(scope: Scope) -> None:
    """SOPs come from the hub: a site does not write sop_documents."""
    if scope is Scope.SITE:
        raise NotAllowed(
            _("SOP layanan diatur oleh kantor pusat (hub): ubah SOP di hub; perubahan sampai ke lokasi ini.")
        )
