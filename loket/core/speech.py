"""What the hall hears: a call written out in Indonesian words for a speech engine, and its audio's signed address."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from enum import StrEnum

from itsdangerous import BadSignature, TimestampSigner

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


def call_sentence(
    number: str, counter_number: int, reading: Reading = Reading.CARDINAL, recall: bool = False, times: int = 1
) -> str:
    """The sentence read after the chime, e.g. 'Nomor antrean a nol dua belas, silakan menuju loket tiga.';
    `times=2` says the call twice (the office's choice, issue 15: a resident who missed the first hears it again)."""
    again = "Panggilan ulang. " if recall else ""
    call = f"Nomor antrean {ticket_words(number, reading)}, silakan menuju loket {number_words(counter_number)}."
    return again + " ".join([call] * max(1, times))


def service_sentence(name: str, summary: str, bring: Sequence[str] = ()) -> str:
    """What the kiosk reads aloud for a chosen service: its name, what it is for, and what to bring."""
    parts = [name.strip().rstrip(".") + ".", summary.strip()]
    if bring:
        parts.append("Yang perlu dibawa: " + "; ".join(b.strip().rstrip(".") for b in bring) + ".")
    return " ".join(p for p in parts if p)


# ---- the signed address of a call's audio ----------------------------------------------
#
# Every ticket.called event carries the address of its audio with a timestamped signature over the
# number, counter and recall; the audio route makes audio only for such an address, younger than
# its maximum age. So nobody can make the server speak (and cache) a number that was never called,
# and an address copied off a display stops working soon after. Stateless: no lookup per request,
# and every server process sharing the secret accepts it.


def _audio_signer(secret: str) -> TimestampSigner:
    return TimestampSigner(secret, salt="loket.voice", digest_method=hashlib.sha256)


def audio_query(secret: str, number: str, counter_number: int, recall: bool) -> dict[str, str]:
    """The query of a call's audio address: number, counter, recall and its signature."""
    query = {"number": number, "counter": str(counter_number), "recall": str(int(recall))}
    subject = "|".join(query.values())
    query["sig"] = _audio_signer(secret).sign(subject).decode()[len(subject) + 1 :]  # "<timestamp>.<signature>"
    return query


def audio_query_signed(secret: str, max_age: int, args: Mapping[str, str]) -> bool:
    """Whether a query's number, counter and recall are exactly those of one `audio_query` signed, in time."""
    values = [args.get(name, "") for name in ("number", "counter", "recall", "sig")]
    if not all(value.isascii() for value in values):
        return False
    subject = "|".join(values[:3])
    signer = _audio_signer(secret)
    # Strictly the signature the office makes: base64 decoding would also take a last character that
    # differs only in its unused bits (or skip inserted ones), a second spelling of the same address.
    stamp, _dot, signature = values[3].partition(".")
    expected = signer.get_signature(f"{subject}.{stamp}")
    if not hmac.compare_digest(signature.encode(), expected):
        return False
    try:
        signer.unsign(f"{subject}.{values[3]}", max_age=max_age)
    except BadSignature:
        return False
    return True
