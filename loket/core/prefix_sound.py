"""Ticket prefixes that sound alike when the hall's voice reads them out.

The board says the prefix by its Indonesian letter name (speech.LETTERS: a, be, ce, de, e, …), over a
loudspeaker, in a noisy hall. Two services whose letters are easily misheard ("be" / "de", "e" / "i")
send residents to the wrong counter. This is a warning for the admin, never a refusal: an office with
thirteen services cannot always avoid every pair.

The table (CONFUSABLE) groups letters whose spoken names differ in one sound that a loudspeaker blurs:

| letters | spoken | why |
|---|---|---|
| B D E G P T | be, de, e, ge, pe, te | "-e" names that differ only in a short first consonant (or none) |
| C J | ce, je | the same "-e" with a similar affricate |
| V W | ve, we | "ve" is often said "fe"/"we" |
| E I | e, i | bare front vowels |
| O U | o, u | bare back vowels |
| M N | em, en | nasal endings |
| L R | el, er | liquid endings |
| F S X | ef, es, eks | hissing endings |
| A H | a, ha | the "h" is lost in a noisy hall |
| K Q | ka, ki | the same consonant, a short vowel after it |

A letter may be in two groups (E): both are checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .catalog import Catalog
from .messages import _
from .speech import LETTERS

CONFUSABLE: tuple[frozenset[str], ...] = tuple(
    frozenset(group) for group in ("BDEGPT", "CJ", "VW", "EI", "OU", "MN", "LR", "FSX", "AH", "KQ")
)


def sounds_like(letter: str) -> set[str]:
    """The other letters whose spoken names are easily taken for `letter`'s."""
    letter = letter.strip().upper()
    alike: set[str] = set()
    for group in CONFUSABLE:
        if letter in group:
            alike |= group
    alike.discard(letter)
    return alike


def spoken(letter: str) -> str:
    return LETTERS.get(letter.upper(), letter.lower())


def alike_services(catalog: Iterable[Any], prefix: str, code: str | None = None) -> list[dict[str, Any]]:
    """The services (other than `code`) whose prefix sounds like `prefix`: code, name, prefix, spoken name."""
    alike = sounds_like(prefix)
    return [
        {"code": sop.code, "name": sop.name.model_dump(), "prefix": sop.prefix, "spoken": spoken(sop.prefix)}
        for sop in sorted(catalog, key=lambda s: (s.prefix, s.code))
        if sop.code != code and sop.prefix in alike
    ]


def prefix_warnings(catalog: Catalog, prefix: str, code: str | None = None) -> list[dict[str, Any]]:
    """Warnings (not problems: saving goes on) for a prefix that sounds like another service's:
    [{"field": "prefix", "message", "prefix", "other": {code, name, prefix, spoken}}]."""
    prefix = prefix.strip().upper()
    return [
        {
            "field": "prefix",
            "message": _(
                "Huruf %(prefix)s (dibaca %(spoken)s) terdengar mirip dengan %(other)s (dibaca %(other_spoken)s) "
                "milik layanan '%(service)s': warga bisa salah dengar saat dipanggil.",
                prefix=prefix,
                spoken=spoken(prefix),
                other=other["prefix"],
                other_spoken=other["spoken"],
                service=other["name"],
            ),
            "prefix": prefix,
            "other": other,
        }
        for other in alike_services(catalog, prefix, code)
    ]
