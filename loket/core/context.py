"""What every operation needs: the store, the SOP catalog in use, the code signer, the clock and the rules."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy.exc import SQLAlchemyError

from .catalog import Catalog, load_catalog
from .clock import Clock
from .qr import CodeSigner
from .settings import EffectiveSettings, OfficeDefaults, OfficeSettings, effective
from .sites.keys import KnownSite, known_sites
from .sites.rules import Scope, office_in_force, scope_of
from .sop_documents import catalog_version, overlay, read_documents
from .store import Base, Setting, Site, Store, changes_of

T = TypeVar("T")


@dataclass(frozen=True)
class Policy:
    """Office rules for the queue; set by configuration."""

    #: Fairness: a priority ticket is placed as if it had arrived this many
    #: minutes earlier. Priority residents go first, yet a regular ticket never
    #: waits more than this much longer than it would in plain arrival order.
    priority_head_start_minutes: int = 30
    #: How many calls a resident gets before the counter may mark a no-show, when the context is given no
    #: OfficeDefaults (which then take it); with OfficeDefaults, theirs counts (see settings.effective).
    calls_before_no_show: int = 3


class Context:
    """The dependencies of the domain's operations, and what it keeps between them: the SOP catalog, the
    office settings and the paired kiosks in use (read again at once when this process changes them, and
    every few seconds for another process's changes)."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        signer: CodeSigner,
        clock: Clock | None = None,
        policy: Policy | None = None,
        defaults: OfficeDefaults | None = None,
    ):
        self.store = store
        #: The SOPs shipped as files; the office's edits (table sop_documents) lie over them.
        self.shipped = catalog
        self._catalog = catalog
        self._catalog_version: int | None = None
        self._catalog_checked = float("-inf")
        #: Seconds between checks for SOP edits made by another process (several workers).
        self.catalog_check_seconds = 2.0
        self.catalog_problems: list[str] = []
        self.signer = signer
        if signer.keys is not None:  # the sites' public keys, from the register (replicated from the hub)
            signer.keys.known = self._known_sites
        self.clock = clock or Clock()
        self.policy = policy or Policy()
        #: The environment's values for settings the office leaves unset (see settings.effective).
        self.defaults = defaults or OfficeDefaults(calls_before_no_show=self.policy.calls_before_no_show)
        #: Seconds a row kept here (office settings, paired kiosks) changed by another process may take to
        #: apply here; this process's own changes apply at once (store.changes_of). Every ticket needs them.
        self.kept_seconds = 2.0
        self._kept: dict[Hashable, tuple[float, int, Any]] = {}
        #: The base of status links in messages to residents (no trailing /): the web side sets it
        #: (loket/public_url.py); the domain never asks Flask.
        self.public_base: Callable[[], str] = lambda: ""
        #: This server's site code (LOKET_SITE; '' for a single office or the hub) and whether it is the hub
        #: (LOKET_HUB): a site takes its rules from the hub once they reached it (sites/rules.py).
        self.site = ""
        self.hub = False

    @property
    def scope(self) -> Scope:
        """A single office, the hub, or a site (sites/rules.py)."""
        return scope_of(self.site, self.hub)

    def kept(self, key: Hashable, model: type[Base], load: Callable[[], T], *, keep_none: bool = True) -> T:
        """`load()`'s value, kept for `kept_seconds` unless this process commits a change to `model`'s rows."""
        now, changes = time.monotonic(), changes_of(model)
        hit = self._kept.get(key)
        if hit is not None and hit[1] == changes and now - hit[0] < self.kept_seconds:
            return cast(T, hit[2])
        value = load()
        if value is not None or keep_none:
            if len(self._kept) >= 512:  # bounded, whatever codes a device sends
                self._kept.clear()
            self._kept[key] = (now, changes, value)
        return value

    def _known_sites(self) -> dict[str, KnownSite]:
        """The sites whose codes verify here (read only when a site's code is checked; kept a few seconds)."""
        return self.kept("site-keys", Site, lambda: known_sites(self.store))

    def _settings_now(self) -> tuple[OfficeSettings, EffectiveSettings]:
        def load() -> tuple[OfficeSettings, EffectiveSettings]:
            with self.store.read() as s:
                stored = office_in_force(s, self.scope)
            return stored, effective(stored, self.defaults)

        return self.kept("office-settings", Setting, load)

    @property
    def settings(self) -> OfficeSettings:
        """The settings as the office stored them (None where it set nothing; at a site: the hub's rules with the
        site's own values, sites/rules.py); do not change the object."""
        return self._settings_now()[0]

    @property
    def effective_settings(self) -> EffectiveSettings:
        """The settings in force: the office's value, else the environment's default (see settings.effective)."""
        return self._settings_now()[1]

    @property
    def catalog(self) -> Catalog:
        """The SOPs in use. Edits made in this process apply at once; another process's within seconds."""
        now = time.monotonic()
        if now - self._catalog_checked >= self.catalog_check_seconds:
            self._catalog_checked = now
            self.refresh_catalog()
        return self._catalog

    def refresh_catalog(self, force: bool = False) -> Catalog:
        """Read the office's SOP documents if their version moved (or the table is not there yet)."""
        try:
            with self.store.read() as s:
                version = catalog_version(s)
                if not force and version == self._catalog_version:
                    return self._catalog
                documents = read_documents(s)
        except SQLAlchemyError:  # database not migrated yet (before `flask init-db`)
            return self._catalog
        catalog, problems = overlay(self.shipped, documents)
        self._catalog, self._catalog_version, self.catalog_problems = catalog, version, problems
        return catalog

    def install_catalog(self, catalog: Catalog) -> None:
        """Use a catalog just written by this process (the version is re-read on the next check)."""
        self._catalog = catalog
        self._catalog_version = None
        self._catalog_checked = time.monotonic()

    def reload_catalog(self, directory: str) -> Catalog:
        """Load the SOP folder again; on any error raise and keep the catalog in use."""
        self.shipped = load_catalog(directory)
        return self.refresh_catalog(force=True)
