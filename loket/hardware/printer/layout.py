"""What a printed ticket says, as device-independent blocks; rendered to ESC/POS bytes or a PNG."""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

#: Paper width in mm -> characters per line in the printer's font A and dots per line.
PAPER = {58: {"columns": 32, "dots": 384}, 80: {"columns": 48, "dots": 576}}

_ASCII = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "•": "-",
        "×": "x",
        "≤": "<=",
        "≥": ">=",
        " ": " ",
    }
)

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def printable(text: str) -> str:
    """Text every ESC/POS code page prints: accents dropped, typographic marks made plain.

    Indonesian needs no letters beyond ASCII; the risk is punctuation pasted from
    word processors, which cheap printers turn into mojibake.
    """
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(ch for ch in text if ch.isascii() and (ch.isprintable() or ch == "\n"))


def indonesian_datetime(moment: datetime) -> str:
    return f"{indonesian_date(moment)} {moment:%H:%M}"


def indonesian_date(moment: date | datetime) -> str:
    return f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


#: Where to wait, when the office has not said (settings: waiting_area).
WAITING_AREA = "ruang tunggu; perhatikan layar dan panggilan suara"


@dataclass(frozen=True)
class Text:
    text: str
    scale: int = 1  # 1 normal; 2 double; up to 8: the characters' width (and height, unless `height` is set)
    bold: bool = False
    align: str = "center"
    height: int = 0  # 0: the same as `scale`; else the characters' height multiplier (1-8), for the number

    @property
    def tall(self) -> int:
        """The height multiplier actually printed."""
        return self.height or self.scale


@dataclass(frozen=True)
class QR:
    payload: str


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Text | QR | Rule | Feed


@dataclass(frozen=True)
class TicketContent:
    """Everything printed on a ticket or pickup slip."""

    office_name: str
    number: str
    service_name: str
    issued_at: datetime  # in the office's local time
    qr_payload: str
    #: The status address printed under the QR for typing, when it is not the QR's own (a site's QR carries a
    #: 140-character signed code; the typed link is this server's short one, issue 16).
    typed_link: str | None = None
    ahead: int | None = None
    priority_label: str | None = None
    requirements: list[str] = field(default_factory=list)
    footer: str = "Semua layanan Dukcapil GRATIS. Simpan tiket ini."
    note: str | None = None  # e.g. "Blanko habis: akan diterbitkan Surat Keterangan"
    pickup_hours: list[str] = field(default_factory=list)  # on the slip: ["Senin-Jumat 08:00-15:00"]
    missing: list[str] = field(default_factory=list)  # on the return slip: the documents to bring back
    service_hours: list[str] = field(default_factory=list)  # on the return slip: when to come back
    #: On the ticket (issue 15): where to wait, and today's service hours ("08:00-15:00"; None: not set).
    waiting_area: str | None = None
    hours_today: str | None = None
    #: On the pickup slip: when the berkas was received (None: `issued_at`), and when it should be ready
    #: (a whole line, e.g. "Perkiraan selesai: Rabu, 3 Des 2026"; None: the status page will say).
    received_at: datetime | None = None
    ready_line: str | None = None


def wrap(text: str, columns: int, scale: int = 1) -> list[str]:
    return list(_wrapped(text, columns, scale))


@lru_cache(maxsize=1024)  # the same office name, service and documents on every ticket
def _wrapped(text: str, columns: int, scale: int) -> tuple[str, ...]:
    width = max(4, columns // max(1, scale))
    return tuple(textwrap.wrap(printable(text), width=width, break_long_words=True) or [""])


#: Under a QR that is the status page's address: what it is for (a resident would not guess it opens a page).
QR_CAPTION = "Pindai QR ini dengan kamera HP untuk melihat status antrean dan berkas Anda."


def _qr_caption(payload: str, cols: int) -> list[Block]:
    if not payload.startswith(("http://", "https://")):
        return []  # the test slip's code, or an older code: nothing to open
    return [Text(line) for line in wrap(QR_CAPTION, cols)]


#: The number's characters are this many times the font's 24-dot height: 8 x 24 dots = 24 mm of line at
#: 203 dpi, the digits' ink about 17 mm (issue 15: at least 15 mm, on 58 mm paper too).
NUMBER_HEIGHT = 8
NUMBER_MAX_WIDTH = 6


def number_block(number: str, paper: int, height: int = NUMBER_HEIGHT) -> Text:
    """The ticket number as tall as the printer prints, and as wide as the paper allows."""
    cols = PAPER[paper]["columns"]
    width = max(1, min(NUMBER_MAX_WIDTH, cols // max(1, len(number))))
    return Text(number, scale=width, height=height, bold=True)


def _status_link(t: TicketContent, cols: int) -> list[Block]:
    """The status page's address under its QR, for a phone without a camera (typed into a browser)."""
    payload = t.typed_link or t.qr_payload
    if not payload.startswith(("http://", "https://")):
        return []
    return [Text(line) for line in wrap(payload.split("://", 1)[1], cols)]


def ticket_blocks(t: TicketContent, paper: int = 80) -> list[Block]:
    """The queue ticket a resident takes from the kiosk."""
    cols = PAPER[paper]["columns"]
    out: list[Block] = [Text(line, bold=True) for line in wrap(t.office_name, cols)]
    out += [Rule(), Text("NOMOR ANTREAN")]
    out.append(number_block(t.number, paper))
    out += [Text(line, scale=1, bold=True) for line in wrap(t.service_name, cols)]
    if t.priority_label:
        out += [Text(line) for line in wrap(f"Layanan prioritas: {t.priority_label}", cols)]
    out.append(Text(indonesian_datetime(t.issued_at)))
    if t.ahead is not None:
        out.append(Text(f"Di depan Anda: {t.ahead} orang"))
    if t.note:
        out += [Text(line, bold=True) for line in wrap(t.note, cols)]
    out += [Text(line) for line in wrap(f"Tunggu di: {t.waiting_area or WAITING_AREA}", cols)]
    validity = f"Berlaku hanya hari ini, {indonesian_date(t.issued_at)}"
    if t.hours_today:
        validity += f", jam layanan {t.hours_today}"
    out += [Text(line, bold=True) for line in wrap(validity + ".", cols)]
    out += [Feed(), QR(t.qr_payload), *_qr_caption(t.qr_payload, cols), *_status_link(t, cols), Feed()]
    if t.requirements:
        out.append(Text("Bawa dokumen berikut:", bold=True, align="left"))
        for item in t.requirements:
            lines = wrap(item, cols - 2)
            out.append(Text("- " + lines[0], align="left"))
            out += [Text("  " + rest, align="left") for rest in lines[1:]]
    out.append(Rule())
    out += [Text(line) for line in wrap(t.footer, cols)]
    return out


def pickup_slip_blocks(t: TicketContent, paper: int = 80) -> list[Block]:
    """The slip pengambilan: proof of a berkas handed in, to collect the document later."""
    cols = PAPER[paper]["columns"]
    out: list[Block] = [Text(line, bold=True) for line in wrap(t.office_name, cols)]
    out += [Rule(), Text("SLIP PENGAMBILAN DOKUMEN", bold=True), number_block(t.number, paper, height=4)]
    out += [Text(line, bold=True) for line in wrap(f"Layanan: {t.service_name}", cols)]
    received = indonesian_datetime(t.received_at or t.issued_at)
    out += [Text(line) for line in wrap(f"Berkas diterima: {received}", cols)]  # 34 > 32 on 58 mm
    ready = t.ready_line or "Perkiraan selesai: lihat halaman status (pindai QR di bawah)."
    out += [Text(line, bold=True) for line in wrap(ready, cols)]
    if t.note:
        out += [Text(line) for line in wrap(t.note, cols)]
    out.append(Text("Jam pengambilan dokumen:", bold=True))
    if t.pickup_hours:
        out += [Text(line) for item in t.pickup_hours for line in wrap(item, cols)]
    else:
        out += [Text(line) for line in wrap("pada jam layanan kantor", cols)]
    out += [Feed(), QR(t.qr_payload), *_qr_caption(t.qr_payload, cols), *_status_link(t, cols), Feed()]
    out += [Text(line) for line in wrap("Tunjukkan slip ini saat mengambil dokumen.", cols)]
    out.append(Rule())
    out += [Text(line) for line in wrap(t.footer, cols)]
    return out


#: On the return slip: what the resident does next, and the head start they get (docs/fairness.md).
RETURN_NEXT = (
    "Lengkapi dokumen di atas, lalu kembali (hari ini atau hari lain) dengan slip ini. "
    "Tunjukkan QR ini di loket pelayanan: Anda dilayani lebih dahulu, tidak antre dari belakang."
)


def return_slip_blocks(t: TicketContent, paper: int = 80) -> list[Block]:
    """The slip "berkas dikembalikan": the documents missing, and how the resident comes back to the front."""
    cols = PAPER[paper]["columns"]
    out: list[Block] = [Text(line, bold=True) for line in wrap(t.office_name, cols)]
    out += [Rule(), Text("BERKAS DIKEMBALIKAN", bold=True), Text("Dokumen belum lengkap")]
    out.append(Text(t.number, scale=3, bold=True))
    out += [Text(line, bold=True) for line in wrap(t.service_name, cols)]
    out += [Text(line) for line in wrap(f"Dikembalikan: {indonesian_datetime(t.issued_at)}", cols)]
    out += [Rule(), Text("Dokumen yang perlu dilengkapi:", bold=True, align="left")]
    for item in t.missing:
        lines = wrap(item, cols - 2)
        out.append(Text("- " + lines[0], align="left"))
        out += [Text("  " + rest, align="left") for rest in lines[1:]]
    out += [Rule(), *[Text(line) for line in wrap(RETURN_NEXT, cols)]]
    out += [Feed(), QR(t.qr_payload), *_qr_caption(t.qr_payload, cols), Feed()]
    if t.service_hours:
        out.append(Text("Jam layanan:", bold=True))
        out += [Text(line) for item in t.service_hours for line in wrap(item, cols)]
    out.append(Rule())
    out += [Text(line) for line in wrap(t.footer, cols)]
    return out
