"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): NRR per element, the IKM and its grade.

The arithmetic is pure; submit_response() and survey_report() store and read the anonymous responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from .context import Context
from .errors import LoketError
from .messages import Message, _, texts
from .qr import looks_like_code
from .settings import without_control_characters
from .states import TicketState
from .store import Store, SurveyResponse, Ticket
from .tickets.records import ticket_by_code

#: The nine elements, in the regulation's order.
ELEMENTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("persyaratan", texts(_("Persyaratan"))),
    ("prosedur", texts(_("Sistem, mekanisme dan prosedur"))),
    ("waktu", texts(_("Waktu penyelesaian"))),
    ("biaya", texts(_("Biaya/tarif"))),
    ("produk", texts(_("Produk spesifikasi jenis pelayanan"))),
    ("kompetensi", texts(_("Kompetensi pelaksana"))),
    ("perilaku", texts(_("Perilaku pelaksana"))),
    ("pengaduan", texts(_("Penanganan pengaduan, saran dan masukan"))),
    ("sarana", texts(_("Sarana dan prasarana"))),
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
    return "D", texts(_("Tidak Baik"))


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


# ---- the questionnaire as a resident sees it ----------------------------------------------

#: The question and the four answers of each element, as the regulation's sample questionnaire
#: (Lampiran PermenPANRB 14/2017) words them; a = 1 ... d = 4.
QUESTIONS: dict[str, dict[str, Any]] = {
    "persyaratan": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
            "en": "Did the requirements fit the kind of service?",
        },
        "answers": (
            texts(_("Tidak sesuai")),
            texts(_("Kurang sesuai")),
            texts(_("Sesuai")),
            texts(_("Sangat sesuai")),
        ),
    },
    "prosedur": {
        "question": {
            "id": "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
            "en": "How easy was the procedure here?",
        },
        "answers": (
            texts(_("Tidak mudah")),
            texts(_("Kurang mudah")),
            texts(_("Mudah")),
            texts(_("Sangat mudah")),
        ),
    },
    "waktu": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
            "en": "How fast was the service?",
        },
        "answers": (
            texts(_("Tidak cepat")),
            texts(_("Kurang cepat")),
            texts(_("Cepat")),
            texts(_("Sangat cepat")),
        ),
    },
    "biaya": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
            "en": "How fair was the cost of the service?",
        },
        "answers": (
            texts(_("Sangat mahal")),
            texts(_("Cukup mahal")),
            texts(_("Murah")),
            texts(_("Gratis")),
        ),
    },
    "produk": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum dalam "
            "standar pelayanan dengan hasil yang diberikan?",
            "en": "Did the document you received match what the service standard promises?",
        },
        # The same Indonesian words as the requirements' answers, said otherwise in English: kept here
        # until the catalogs carry a context for the domain's texts.
        "answers": (
            {"id": "Tidak sesuai", "en": "Not as promised"},
            {"id": "Kurang sesuai", "en": "Partly as promised"},
            {"id": "Sesuai", "en": "As promised"},
            {"id": "Sangat sesuai", "en": "Fully as promised"},
        ),
    },
    "kompetensi": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
            "en": "How competent were the officers?",
        },
        "answers": (
            texts(_("Tidak kompeten")),
            texts(_("Kurang kompeten")),
            texts(_("Kompeten")),
            texts(_("Sangat kompeten")),
        ),
    },
    "perilaku": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
            "en": "How polite and friendly were the officers?",
        },
        "answers": (
            texts(_("Tidak sopan dan ramah")),
            texts(_("Kurang sopan dan ramah")),
            texts(_("Sopan dan ramah")),
            texts(_("Sangat sopan dan ramah")),
        ),
    },
    "pengaduan": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
            "en": "How are complaints from service users handled?",
        },
        "answers": (
            texts(_("Tidak ada")),
            texts(_("Ada tetapi tidak berfungsi")),
            texts(_("Berfungsi kurang maksimal")),
            texts(_("Dikelola dengan baik")),
        ),
    },
    "sarana": {
        "question": {
            "id": "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
            "en": "How good are the facilities?",
        },
        "answers": (
            texts(_("Buruk")),
            texts(_("Cukup")),
            texts(_("Baik")),
            texts(_("Sangat baik")),
        ),
    },
}

#: The general scale, for the report's distribution columns.
SCALE = (
    texts(_("Tidak baik")),
    texts(_("Kurang baik")),
    texts(_("Baik")),
    texts(_("Sangat baik")),
)

#: A comment is optional and short; longer text is cut here rather than refused.
COMMENT_MAX = 500
SOURCES = ("kiosk", "tablet")


def questionnaire() -> list[dict[str, object]]:
    """The nine elements with their question and answer labels, in order, for the survey screen."""
    return [
        {"key": key, "label": label, "question": QUESTIONS[key]["question"], "answers": list(QUESTIONS[key]["answers"])}
        for key, label in ELEMENTS
    ]


# ---- storage: one anonymous response per handed-over ticket ----------------------------


REFUSALS: dict[str, tuple[int, Message]] = {
    "not_found": (404, _("Nomor tiket tidak ditemukan. Periksa nomor pada tiket Anda.")),
    "not_done": (
        409,
        _("Layanan untuk tiket ini belum selesai. Penilaian dapat diberikan setelah dokumen diserahkan."),
    ),
    "already_rated": (409, _("Tiket ini sudah memberi penilaian. Terima kasih!")),
    "invalid": (400, _("Jawaban tidak lengkap: nilai kesembilan unsur 1 sampai 4.")),
}


class SurveyRefused(LoketError):
    """This ticket may not be rated: unknown, not handed over yet, already rated, or the answers are incomplete."""

    def __init__(self, reason: str):
        self.status, message = REFUSALS[reason]
        super().__init__(message, code=reason)


def refuse(reason: str) -> SurveyRefused:
    return SurveyRefused(reason)


@dataclass(frozen=True)
class Rateable:
    """A ticket that may be rated now: what the survey screen shows (no personal data)."""

    number: str
    service_code: str
    service_name: dict[str, str]


def normalise_number(text: str) -> str:
    """ "b1", "B 001", "b-01" -> "B-001", as the counter's number lookup reads a typed number."""
    norm = text.strip().upper().replace(" ", "")
    if len(norm) > 1 and norm[1] != "-":
        norm = f"{norm[0]}-{norm[1:]}"
    if len(norm) > 2 and norm[2:].isascii() and norm[2:].isdigit():  # "²" is a digit, but int() refuses it
        norm = f"{norm[:2]}{int(norm[2:]):03d}"
    return norm


def _ticket(loket: Context, s: Session, code_or_number: str) -> Ticket:
    """The ticket a resident means: by its signed QR text, or a number handed over (or issued) today."""
    text = (code_or_number or "").strip()
    if not text or len(text) > 300 or not text.isascii():  # codes and numbers are ASCII; nothing else is a ticket
        raise refuse("not_found")
    if looks_like_code(text):
        # a status URL or a plain code; InvalidCode says what is wrong with a forged or foreign code
        ticket = ticket_by_code(loket, s, text)
        if ticket is None:
            raise refuse("not_found")
        return ticket
    today = loket.clock.today()
    # A typed number means today's ticket, or one issued earlier whose document was handed over today.
    candidates = s.scalars(
        select(Ticket).where(
            Ticket.number == normalise_number(text),
            or_(Ticket.service_day == today, Ticket.closed_at >= loket.clock.day_start(today)),
        )
    ).all()
    if not candidates:
        raise refuse("not_found")

    def preference(t: Ticket) -> tuple[bool, bool, bool]:
        done = t.state == TicketState.DONE.value
        return (done and not t.surveyed, done, t.service_day == today)

    return max(candidates, key=preference)


def _check_rateable(ticket: Ticket) -> None:
    if ticket.state != TicketState.DONE.value:
        raise refuse("not_done")
    if ticket.surveyed:
        raise refuse("already_rated")


def _service_name(loket: Context, code: str) -> dict[str, str]:
    sop = loket.catalog.get(code)
    return sop.name.model_dump() if sop else {"id": code, "en": code}


def check_ticket(loket: Context, code_or_number: str) -> Rateable:
    """May this ticket be rated now? Raises SurveyRefused (or InvalidCode) with the reason."""
    with loket.store.read() as s:
        ticket = _ticket(loket, s, code_or_number)
        _check_rateable(ticket)
        return Rateable(ticket.number, ticket.service_code, _service_name(loket, ticket.service_code))


def submit_response(
    loket: Context,
    code_or_number: str,
    answers: Mapping[str, int],
    comment: str | None = None,
    source: str = "kiosk",
) -> Rateable:
    """Store one anonymous response for a handed-over ticket and mark the ticket, in one transaction.

    The response row keeps the service day, the service and the answers, never the ticket, its number,
    the time of day or the officer. A ticket is rated at most once, even under concurrent submissions:
    the ticket is marked by a conditional UPDATE ... WHERE surveyed = false, and only the one writer
    that changed the row inserts a response.
    """
    try:
        ratings = check_response(answers)
    except InvalidResponse:
        raise refuse("invalid") from None
    # one line, capped, without control characters (no spreadsheet export takes them)
    text = " ".join(without_control_characters(comment or "").split())[:COMMENT_MAX] or None
    origin = source if source in SOURCES else "kiosk"
    with loket.store.transaction() as s:
        ticket = _ticket(loket, s, code_or_number)
        _check_rateable(ticket)
        result = s.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.state == TicketState.DONE.value, Ticket.surveyed.is_(False))
            .values(surveyed=True)
            .execution_options(synchronize_session=False)
        )
        marked = cast("CursorResult[Any]", result).rowcount  # an UPDATE gives a cursor result
        if marked != 1:
            raise refuse("already_rated")  # another submission for this ticket won the race
        s.add(
            SurveyResponse(
                service_day=ticket.service_day,
                service_code=ticket.service_code,
                answers=ratings,
                comment=text,
                source=origin,
            )
        )
        return Rateable(ticket.number, ticket.service_code, _service_name(loket, ticket.service_code))


# ---- the IKM report ----------------------------------------------------------------------


#: A group with fewer responses than this shows its count only, never its figures or comments:
#: one or two residents rated on a quiet day could otherwise be recognised by the staff reading it.
MIN_RESPONSES_SHOWN = 3


@dataclass(frozen=True)
class IkmSection:
    """The IKM of one set of responses (the whole period, or one service)."""

    service_code: str | None
    service_name: dict[str, str] | None
    result: IkmResult | None
    #: per element: how many answered 1, 2, 3 and 4
    distribution: dict[str, list[int]]

    @property
    def responses(self) -> int:
        return self.result.responses if self.result else 0

    @property
    def hidden(self) -> bool:
        """Too few responses to show without risk of recognising who gave them."""
        return 0 < self.responses < MIN_RESPONSES_SHOWN

    def as_dict(self) -> dict[str, object]:
        r = None if self.hidden else self.result
        return {
            "service": self.service_code,
            "service_name": self.service_name,
            "responses": self.responses,
            "hidden": self.hidden,
            "nrr": r.nrr if r else None,
            "nrr_weighted": {k: v * REGULATION_WEIGHT for k, v in r.nrr.items()} if r else None,
            "ikm": r.ikm if r else None,
            "ikm_regulation": r.ikm_regulation if r else None,
            "grade": r.grade if r else None,
            "label": r.label if r else None,
            "distribution": None if self.hidden else self.distribution,
        }


@dataclass(frozen=True)
class SurveyReport:
    start: date
    end: date
    service: str | None
    overall: IkmSection
    services: list[IkmSection]
    #: (service day, service code, text): the residents' comments, without anything more
    comments: list[tuple[date, str, str]]

    def shown_comments(self) -> list[str]:
        """The comments a report may show: none while the whole selection is too small."""
        return [] if self.overall.hidden else sorted(t for _, _, t in self.comments)

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "service": self.service,
            "elements": [{"key": k, "label": label} for k, label in ELEMENTS],
            "scale": list(SCALE),
            "grades": [{"from": lo, "grade": g, "label": {"id": i, "en": e}} for lo, g, i, e in GRADES],
            "regulation_weight": REGULATION_WEIGHT,
            "overall": self.overall.as_dict(),
            "services": [s.as_dict() for s in self.services],
            # Only the words, in alphabetical order: no day, service or order to tie one to a resident.
            "comments": [{"text": t} for t in self.shown_comments()],
            "min_responses_shown": MIN_RESPONSES_SHOWN,
        }


def _section(code: str | None, name: dict[str, str] | None, rows: list[dict[str, int]]) -> IkmSection:
    distribution = {key: [0, 0, 0, 0] for key in ELEMENT_KEYS}
    for row in rows:
        for key in ELEMENT_KEYS:
            distribution[key][row[key] - 1] += 1
    return IkmSection(code, name, ikm(rows), distribution)


def survey_report(
    source: Context | Store, start_day: date, end_day: date, service: str | None = None, site: str | None = None
) -> SurveyReport:
    """NRR per element, the IKM and its grade over [start_day, end_day], overall and per service; of the answers
    given at `site`, or at every site (None; issue 16: at the hub, every site's answers)."""
    store = source.store if isinstance(source, Context) else source
    catalog = source.catalog if isinstance(source, Context) else None

    def name(code: str) -> dict[str, str]:
        sop = catalog.get(code) if catalog is not None else None
        return sop.name.model_dump() if sop else {"id": code, "en": code}

    r = SurveyResponse
    query = select(r.service_day, r.service_code, r.answers, r.comment).where(
        r.service_day >= start_day, r.service_day <= end_day
    )
    if service:
        query = query.where(SurveyResponse.service_code == service)
    if site is not None:
        query = query.where(SurveyResponse.site == site)
    with store.read() as s:
        rows = s.execute(query).all()
    # A row that does not hold nine ratings 1-4 was not written by submit_response: leave it out rather
    # than let one bad row stop the office's report.
    valid: list[tuple[date, str, dict[str, int], str | None]] = []
    for day, code, answers, comment in rows:
        try:
            valid.append((day, code, check_response(answers or {}), comment))
        except InvalidResponse:
            continue
    by_service: dict[str, list[dict[str, int]]] = {}
    for _day, code, answers, _comment in valid:
        by_service.setdefault(code, []).append(answers)
    return SurveyReport(
        start=start_day,
        end=end_day,
        service=service,
        overall=_section(service, name(service) if service else None, [a for _, _, a, _ in valid]),
        services=[_section(code, name(code), by_service[code]) for code in sorted(by_service)],
        comments=sorted((day, code, comment) for day, code, _, comment in valid if comment),
    )
