"""The SOP catalog: one YAML file per SOP, validated as a whole before use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import CatalogError, field_path
from .messages import _
from .roles import STEP_ROLES, Role

SERVICE_GROUPS = ("ktp-el", "kk", "kia", "akta", "pindah", "lainnya")
#: What happened in a resident's life, the kiosk's way in to the services (issue 15), in the kiosk's order.
LIFE_EVENTS = (
    "bayi-lahir",
    "umur-17",
    "pindah-rumah",
    "dokumen-hilang",
    "data-berubah",
    "menikah",
    "cerai",
    "kematian",
)


class Text(BaseModel):
    """A text shown to people: Bahasa Indonesia first, English beside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


class Requirement(BaseModel):
    """A document the resident brings, with a short explanation."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    text: Text
    note: Text | None = None
    optional: bool = False


class Step(BaseModel):
    """One station of an SOP: who does what, and in how many minutes."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    role: Role
    action: Text
    duties: tuple[Text, ...] = ()
    target_minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    resident_present: bool
    gives_pickup_slip: bool = False

    @field_validator("role", mode="before")
    @classmethod
    def _step_role(cls, role: Any) -> Any:
        if not isinstance(role, str) or role not in {r.value for r in STEP_ROLES}:
            raise ValueError(_("Pilih peran petugas."))
        return role


class Sop(BaseModel):
    """A service the office offers, as its SOP describes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]
    order: int = 100
    name: Text
    seed_title: str | None = None
    summary: Text
    prefix: Annotated[str, Field(pattern=r"^[A-Z]$")]
    group: str
    draft: bool = False
    seed_total_minutes: Annotated[int, Field(ge=1)] | None = None
    #: Prints on a blanko KTP-el card: when the stock is out a Surat Keterangan is issued instead.
    uses_blanko: bool = False
    requirements: tuple[Requirement, ...] = Field(min_length=1)
    conditions: tuple[Text, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)
    #: The life events (LIFE_EVENTS) a resident would look for this service under on the kiosk.
    life_events: tuple[str, ...] = ()

    @field_validator("life_events")
    @classmethod
    def _known_events(cls, events: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [e for e in events if e not in LIFE_EVENTS]
        if unknown:
            raise ValueError(_("Pilih salah satu: %(expected)s.", expected=", ".join(LIFE_EVENTS)))
        return events

    @field_validator("group")
    @classmethod
    def _known_group(cls, group: str) -> str:
        if group not in SERVICE_GROUPS:
            raise ValueError(_("Pilih salah satu: %(expected)s.", expected=", ".join(SERVICE_GROUPS)))
        return group

    @model_validator(mode="after")
    def _shape(self) -> Sop:
        if not self.steps[0].resident_present:
            raise ValueError(_("steps[0]: langkah pertama harus menerima pemohon di loket."))
        keys = [r.key for r in self.requirements]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(_("requirements: kunci ganda %(keys)s", keys=", ".join(dupes)))
        return self

    @property
    def steps_total_minutes(self) -> int | None:
        """Sum of the step targets, or None when no step has a target."""
        targets = [s.target_minutes for s in self.steps if s.target_minutes is not None]
        return sum(targets) if targets else None

    @property
    def target_minutes(self) -> int | None:
        """The time the resident is promised: the seed's total if any, else the steps' sum."""
        return self.seed_total_minutes if self.seed_total_minutes is not None else self.steps_total_minutes

    @property
    def collected_later(self) -> bool:
        """The resident goes home with a pickup slip and collects the document another time."""
        return any(step.gives_pickup_slip for step in self.steps)

    @property
    def total_mismatch(self) -> bool:
        """True when the seed's official total disagrees with the sum of its steps."""
        steps = self.steps_total_minutes
        return self.seed_total_minutes is not None and steps is not None and steps != self.seed_total_minutes

    def step(self, index: int) -> Step:
        return self.steps[index]

    def snapshot(self) -> list[dict[str, Any]]:
        """The steps as plain data, frozen into each ticket when it is issued."""
        return [s.model_dump(mode="json") for s in self.steps]


@dataclass(frozen=True)
class Catalog:
    """A validated, immutable set of SOPs; replace it whole to change it."""

    sops: tuple[Sop, ...]
    sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {s.code: s for s in self.sops})

    def get(self, code: str) -> Sop | None:
        return self._by_code.get(code)  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Sop]:
        return iter(self.sops)

    def __len__(self) -> int:
        return len(self.sops)

    def mismatches(self) -> list[Sop]:
        return [s for s in self.sops if s.total_mismatch]


def parse_sop(text: str, source: str) -> Sop:
    """Parse one SOP file's text; raise CatalogError naming file, SOP and field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError([f"{source}: not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogError([f"{source}: expected a mapping of SOP fields at the top level"])
    code = data.get("code", "?")
    try:
        return Sop.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(
            [f"{source}: SOP '{code}': {field_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        ) from exc


def build_catalog(files: Iterable[tuple[str, str]]) -> Catalog:
    """Validate (source, text) pairs as one catalog; every problem is reported together."""
    problems: list[str] = []
    sops: list[Sop] = []
    sources: dict[str, str] = {}
    for source, text in files:
        try:
            sop = parse_sop(text, source)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        if sop.code in sources:
            problems.append(f"{source}: SOP '{sop.code}': code: already used by {sources[sop.code]}")
            continue
        sources[sop.code] = source
        sops.append(sop)
    if not sops and not problems:
        problems.append("no SOP files found")
    if problems:
        raise CatalogError(problems)
    sops.sort(key=lambda s: (s.order, s.code))
    return Catalog(tuple(sops), sources)


def load_catalog(directory: str | Path) -> Catalog:
    """Load every *.yaml file in a folder; a bad file fails the whole load."""
    folder = Path(directory)
    if not folder.is_dir():
        raise CatalogError([f"{folder}: SOP folder not found"])
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return build_catalog((str(p), p.read_text(encoding="utf-8")) for p in files)
