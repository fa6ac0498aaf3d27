"""NIK validation: 16 digits, a known region, a real birth date (+40 for women), a serial."""

from __future__ import annotations

from datetime import date

import pytest

from loket.core.nik import InvalidNik, parse_nik

TODAY = date(2026, 11, 23)


def test_a_plausible_nik_is_read():
    info = parse_nik("3273 0112 0590 0001", TODAY)
    assert (info.province, info.regency, info.district) == ("32", "73", "01")
    assert info.birth_date == date(1990, 5, 12) and info.female is False


def test_women_have_forty_added_to_the_day_and_recent_years_are_this_century():
    info = parse_nik("3578015203150002", TODAY)
    assert info.female is True and info.birth_date == date(2015, 3, 12)


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("327301120590001", "16 angka"),
        ("32730112059000A1", "16 angka"),
        ("9973011205900001", "wilayah"),
        ("3200011205900001", "wilayah"),
        ("3273001205900001", "wilayah"),
        ("3273013202900001", "Tanggal lahir"),  # 32 Feb
        ("3273017205900001", "Tanggal lahir"),  # day 72 - 40 = 32
        ("3273011213900001", "Tanggal lahir"),  # month 13
        ("3273011205900000", "urut"),
    ],
)
def test_implausible_niks_are_refused_with_a_reason(nik, reason):
    with pytest.raises(InvalidNik, match=reason):
        parse_nik(nik, TODAY)
