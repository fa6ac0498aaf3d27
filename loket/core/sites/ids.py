"""Identifiers that cross sites (issue 16): each site numbers the rows it makes in a range of its own.

Site number k (1..MAX_SITE) gives its tagged tables' ids from k * SITE_ID_RANGE + 1 up to (k + 1) * SITE_ID_RANGE;
the hub is number 0 (its own rows: staff accounts, SOPs, settings, the sites' register). A single office on the
embedded default numbers from 1, the range of number 0, and keeps its ids when it becomes a site (its rows are
tagged with its code; no other site ever uses range 0 for tickets). Ticket numbers (A-012) stay short and per site.
"""

from __future__ import annotations

#: Rows one site can number: a million a day for 2,700 years.
SITE_ID_RANGE = 10**12
#: The largest site number (ids stay under 2**53, exact in a browser's JavaScript numbers).
MAX_SITE = 999

#: The tables whose rows a site makes and the hub gathers, each with a `site` column and a 64-bit id (migration 0016).
TAGGED_TABLES = (
    "tickets",
    "step_visits",
    "events",
    "survey_responses",
    "booking_slots",
    "bookings",
    "counters",
    "disruptions",
)


def id_range(number: int) -> tuple[int, int]:
    """(first, last) id site `number` gives its rows."""
    if not 0 <= number <= MAX_SITE:
        raise ValueError(f"site number must be 0..{MAX_SITE}, not {number}")
    return number * SITE_ID_RANGE + 1, (number + 1) * SITE_ID_RANGE


#: The largest id any site gives (its last range's end, 10**15: under 2**53, exact in a browser's numbers). Routes and
#: bodies naming a tagged row accept ids up to it (loket/http.py `SiteRowId`); the other tables' ids stay 32-bit.
LAST_ID = (MAX_SITE + 1) * SITE_ID_RANGE


def site_number_of(row_id: int) -> int:
    """The number of the site that made the row with this id."""
    return row_id // SITE_ID_RANGE
