"""IKM arithmetic (PermenPANRB 14/2017) against a hand-worked example."""

from __future__ import annotations

import pytest

from core.survey import ELEMENT_KEYS, InvalidResponse, grade_of, ikm


def response(*ratings: int) -> dict[str, int]:
    return dict(zip(ELEMENT_KEYS, ratings, strict=True))


def test_hand_worked_example():
    # Four respondents. Column sums per element, worked by hand:
    #   persyaratan 4+3+3+4 = 14 -> NRR 3.50     prosedur 3+3+3+3 = 12 -> 3.00
    #   waktu       2+3+2+3 = 10 -> 2.50         biaya    4+4+4+4 = 16 -> 4.00
    #   produk      3+4+3+4 = 14 -> 3.50         kompetensi 3+3+4+4 = 14 -> 3.50
    #   perilaku    4+4+4+3 = 15 -> 3.75         pengaduan  2+2+3+3 = 10 -> 2.50
    #   sarana      3+2+3+3 = 11 -> 2.75
    # Sum of NRR = 29.00; mean 29/9 = 3.2222; IKM = 80.56 -> B (Baik).
    # The regulation's tables: 29.00 x 0.111 x 25 = 80.475 -> 80.48 (half up).
    rows = [
        response(4, 3, 2, 4, 3, 3, 4, 2, 3),
        response(3, 3, 3, 4, 4, 3, 4, 2, 2),
        response(3, 3, 2, 4, 3, 4, 4, 3, 3),
        response(4, 3, 3, 4, 4, 4, 3, 3, 3),
    ]
    result = ikm(rows)
    assert result.responses == 4
    assert result.nrr == {
        "persyaratan": 3.5,
        "prosedur": 3.0,
        "waktu": 2.5,
        "biaya": 4.0,
        "produk": 3.5,
        "kompetensi": 3.5,
        "perilaku": 3.75,
        "pengaduan": 2.5,
        "sarana": 2.75,
    }
    assert result.ikm == 80.56
    assert result.ikm_regulation == 80.48
    assert (result.grade, result.label["id"]) == ("B", "Baik")


@pytest.mark.parametrize(
    ("value", "grade"),
    [(100, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D"), (25, "D")],
)
def test_grade_boundaries(value, grade):
    assert grade_of(value)[0] == grade


def test_all_fours_is_100_and_all_ones_is_25():
    assert ikm([response(*[4] * 9)]).ikm == 100
    assert ikm([response(*[1] * 9)]).ikm == 25
    assert ikm([]) is None


@pytest.mark.parametrize(
    "bad",
    [
        {k: 4 for k in ELEMENT_KEYS[:8]},
        {**{k: 4 for k in ELEMENT_KEYS}, "extra": 4},
        {**{k: 4 for k in ELEMENT_KEYS}, "waktu": 5},
        {**{k: 4 for k in ELEMENT_KEYS}, "waktu": 0},
        {**{k: 4 for k in ELEMENT_KEYS}, "waktu": True},
    ],
)
def test_incomplete_or_out_of_range_responses_are_refused(bad):
    with pytest.raises(InvalidResponse):
        ikm([bad])
