"""The NIK (Nomor Induk Kependudukan): 16 digits with a region, a birth date and a serial."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loket.core.messages import _

from .errors import LoketError

#: Province codes in use (BPS / Kemendagri), including the Papua provinces formed in 2022.
PROVINCES = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    "31", "32", "33", "34", "35", "36",
    "51", "52", "53",
    "61", "62", "63", "64", "65",
    "71", "72", "73", "74", "75", "76",
    "81", "82",
    "91", "92", "93", "94", "95", "96",
}  # fmt: skip


class InvalidNik(LoketError):
    code = "invalid_nik"


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province: str
    regency: str
    district: str
    birth_date: date
    female: bool


def parse_nik(raw: str, today: date | None = None) -> NikInfo:
    """Check a NIK's shape, region and date part; raise InvalidNik with a reason staff understand."""
    nik = "".join(raw.split())
    if len(nik) != 16 or not (nik.isascii() and nik.isdigit()):
        raise InvalidNik(_("NIK harus 16 angka."))
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCES or regency == "00" or district == "00":
        raise InvalidNik(_("Kode wilayah pada NIK tidak dikenal."))
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    today = today or date.today()
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        born = date(century + year, month, day)
    except ValueError:
        raise InvalidNik(_("Tanggal lahir pada NIK tidak sah.")) from None
    if nik[12:] == "0000":
        raise InvalidNik(_("Nomor urut pada NIK tidak sah."))
    return NikInfo(nik, province, regency, district, born, female)
