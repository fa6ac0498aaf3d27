"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): NRR per element, the IKM and its grade.

Storage and the survey screen are still to come (issue 6); this is the arithmetic, kept pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: The nine elements, in the regulation's order.
ELEMENTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("persyaratan", {"id": "Persyaratan", "en": "Requirements"}),
    ("prosedur", {"id": "Sistem, mekanisme dan prosedur", "en": "System, mechanism and procedure"}),
    ("waktu", {"id": "Waktu penyelesaian", "en": "Completion time"}),
    ("biaya", {"id": "Biaya/tarif", "en": "Cost/fee"}),
    ("produk", {"id": "Produk spesifikasi jenis pelayanan", "en": "Service product specification"}),
    ("kompetensi", {"id": "Kompetensi pelaksana", "en": "Staff competence"}),
    ("perilaku", {"id": "Perilaku pelaksana", "en": "Staff conduct"}),
    ("pengaduan", {"id": "Penanganan pengaduan, saran dan masukan", "en": "Handling of complaints and suggestions"}),
    ("sarana", {"id": "Sarana dan prasarana", "en": "Facilities and infrastructure"}),
)
ELEMENT_KEYS = tuple(key for key, _ in ELEMENTS)

#: The regulation's weight of each element: 1/9, written there as 0.111.
REGULATION_WEIGHT = 0.111

#: (lowest IKM, grade, label id, label en), highest first.
GRADES = (
    (88.31, "A", "Sangat Baik", "Very good"),
    (76.61, "B", "Baik", "Good"),
    (65.00, "C", "Kurang Baik", "Poor"),
    (25.00, "D", "Tidak Baik", "Bad"),
)


class InvalidResponse(ValueError):
    pass


def check_response(answers: Mapping[str, int]) -> dict[str, int]:
    """A complete response: each of the nine elements rated 1 to 4."""
    missing = [k for k in ELEMENT_KEYS if k not in answers]
    unknown = [k for k in answers if k not in ELEMENT_KEYS]
    if missing or unknown:
        raise InvalidResponse(f"missing {missing}, unknown {unknown}")
    out = {}
    for key in ELEMENT_KEYS:
        value = answers[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            raise InvalidResponse(f"{key}: a rating is a whole number from 1 to 4")
        out[key] = value
    return out


@dataclass(frozen=True)
class IkmResult:
    responses: int
    nrr: dict[str, float]  # per element: mean rating, 1..4
    ikm: float  # mean NRR x 25, 25..100
    ikm_regulation: float  # sum of NRR x 0.111 x 25, as the regulation's worked tables compute it
    grade: str
    label: dict[str, str]


def grade_of(ikm: float) -> tuple[str, dict[str, str]]:
    for lowest, grade, label_id, label_en in GRADES:
        if ikm >= lowest:
            return grade, {"id": label_id, "en": label_en}
    return "D", {"id": "Tidak Baik", "en": "Bad"}


def ikm(responses: Iterable[Mapping[str, int]]) -> IkmResult | None:
    """NRR per element, the IKM and its grade for a set of responses (None when there are none)."""
    rows = [check_response(r) for r in responses]
    if not rows:
        return None
    nrr = {key: sum(r[key] for r in rows) / len(rows) for key in ELEMENT_KEYS}
    exact = sum(nrr.values()) / len(ELEMENT_KEYS) * 25
    regulation = sum(value * REGULATION_WEIGHT for value in nrr.values()) * 25
    grade, label = grade_of(_round2(exact))
    return IkmResult(len(rows), nrr, _round2(exact), _round2(regulation), grade, label)


def _round2(value: float) -> float:
    """Two decimals, half up, as the regulation's tables and office spreadsheets round."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
