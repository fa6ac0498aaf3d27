"""What the hall hears: a call written out in Indonesian words, ready for a speech engine."""

from __future__ import annotations

import re
from enum import StrEnum

UNITS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]

#: Letters by their Indonesian names, as the hall expects to hear them.
LETTERS = {
    "A": "a",
    "B": "be",
    "C": "ce",
    "D": "de",
    "E": "e",
    "F": "ef",
    "G": "ge",
    "H": "ha",
    "I": "i",
    "J": "je",
    "K": "ka",
    "L": "el",
    "M": "em",
    "N": "en",
    "O": "o",
    "P": "pe",
    "Q": "ki",
    "R": "er",
    "S": "es",
    "T": "te",
    "U": "u",
    "V": "ve",
    "W": "we",
    "X": "eks",
    "Y": "ye",
    "Z": "zet",
}


class Reading(StrEnum):
    """How the office wants numbers read."""

    CARDINAL = "cardinal"  # "a nol dua belas"
    DIGITS = "digits"  # "a nol satu dua"


def number_words(n: int) -> str:
    """An integer in Indonesian words: 11 sebelas, 21 dua puluh satu, 100 seratus, 1000 seribu."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 10:
        return UNITS[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{UNITS[tens]} puluh" + (f" {UNITS[rest]}" if rest else "")
    for size, name, single in (
        (10**9, "miliar", None),
        (10**6, "juta", None),
        (1000, "ribu", "seribu"),
        (100, "ratus", "seratus"),
    ):
        if n >= size:
            head, rest = divmod(n, size)
            words = single if head == 1 and single else f"{number_words(head)} {name}"
            return words + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def digits_words(digits: str) -> str:
    return " ".join(UNITS[int(d)] for d in digits)


def ticket_words(number: str, reading: Reading = Reading.CARDINAL) -> str:
    """A ticket number as spoken: 'A-012' -> 'a nol dua belas' (cardinal) or 'a nol satu dua' (digits).

    In cardinal reading each leading zero is read as 'nol', then the rest as a number,
    the way Indonesian halls call them.
    """
    match = re.fullmatch(r"\s*([A-Za-z]*)\s*-?\s*(\d+)\s*", number)
    if not match:
        raise ValueError(f"not a ticket number: {number!r}")
    letters, digits = match.groups()
    spoken = [LETTERS[ch] for ch in letters.upper()]
    if Reading(reading) is Reading.DIGITS:
        spoken.append(digits_words(digits))
    else:
        stripped = digits.lstrip("0")
        zeros = len(digits) - len(stripped)
        if stripped:
            spoken += ["nol"] * zeros + [number_words(int(stripped))]
        else:
            spoken += ["nol"] * max(1, zeros)
    return " ".join(spoken)


def call_sentence(number: str, counter_number: int, reading: Reading = Reading.CARDINAL, recall: bool = False) -> str:
    """The sentence read after the chime, e.g. 'Nomor antrean a nol dua belas, silakan menuju loket tiga.'"""
    again = "Panggilan ulang. " if recall else ""
    return f"{again}Nomor antrean {ticket_words(number, reading)}, silakan menuju loket {number_words(counter_number)}."
