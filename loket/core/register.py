"""The buku harian (daily register): every berkas received that day, written automatically."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .context import Context
from .roles import ROLE_LABELS, Role
from .spreadsheet import append_row, bold, csv_text, workbook
from .states import STATE_LABELS, TicketState
from .store import EventRecord, StepVisit, Ticket, User
from .tickets.queue import CALL_REASONS, CALLED_BY_NUMBER


@dataclass(frozen=True)
class RegisterStep:
    role: str
    officer: str | None
    counter: str | None
    started: datetime | None
    ended: datetime | None
    outcome: str | None
    target_minutes: int | None

    @property
    def minutes(self) -> float | None:
        if self.started and self.ended:
            return round((self.ended - self.started).total_seconds() / 60, 1)
        return None


@dataclass(frozen=True)
class RegisterRow:
    day: date
    number: str
    service: str
    applicant_name: str | None
    nik: str | None
    officer: str | None  # who received the berkas
    counter: str | None
    issued: datetime
    closed: datetime | None
    outcome: str
    steps: list[RegisterStep] = field(default_factory=list)
    #: Calls out of turn (a specific number called with a reason): "HH:MM officer: reason (note)".
    calls_out_of_turn: list[str] = field(default_factory=list)


def register_rows(loket: Context, day: date, site: str | None = None) -> list[RegisterRow]:
    """The register of one service day, in ticket order, times in the office's zone; of the tickets of `site`, or
    of every site (None). At the hub the applicants' names and NIKs are not there (they stay at their site)."""
    local = loket.clock.local
    with loket.store.read() as s:
        tickets = s.scalars(
            select(Ticket)
            .where(Ticket.service_day == day, *([] if site is None else [Ticket.site == site]))
            .options(
                selectinload(Ticket.visits).selectinload(StepVisit.officer),
                selectinload(Ticket.visits).selectinload(StepVisit.counter),
                selectinload(Ticket.applicant),
            )
            .order_by(Ticket.issued_at, Ticket.id)
        ).all()
        out_of_turn: dict[int, list[str]] = {}
        if tickets:
            logged = s.execute(
                select(EventRecord.ticket_id, EventRecord.at, EventRecord.payload, User.full_name)
                .outerjoin(User, EventRecord.officer_id == User.id)
                .where(EventRecord.kind == CALLED_BY_NUMBER, EventRecord.ticket_id.in_([t.id for t in tickets]))
                .order_by(EventRecord.id)
            ).all()
            for ticket_id, at, payload, officer in logged:
                reason = CALL_REASONS.get(payload.get("reason"), {}).get("id", payload.get("reason"))
                note = f" ({payload['note']})" if payload.get("note") else ""
                out_of_turn.setdefault(ticket_id, []).append(f"{local(at):%H:%M} {officer or '-'}: {reason}{note}")
        rows = []
        for t in tickets:
            sop = loket.catalog.get(t.service_code)
            steps = [
                RegisterStep(
                    role=ROLE_LABELS[Role(v.role)]["id"],
                    officer=v.officer.full_name if v.officer else None,
                    counter=v.counter.name if v.counter else None,
                    started=local(v.started_at) if v.started_at else None,
                    ended=local(v.ended_at) if v.ended_at else None,
                    outcome=v.outcome,
                    target_minutes=v.target_minutes,
                )
                for v in t.visits
                if v.started_at or v.outcome
            ]
            reception = next((v for v in t.visits if v.step_index == 0 and v.started_at), None)
            rows.append(
                RegisterRow(
                    day=t.service_day,
                    number=t.number,
                    service=sop.name.id if sop else t.service_code,
                    applicant_name=t.applicant.name if t.applicant else None,
                    nik=t.applicant.nik if t.applicant else None,
                    officer=reception.officer.full_name if reception and reception.officer else None,
                    counter=reception.counter.name if reception and reception.counter else None,
                    issued=local(t.issued_at),
                    closed=local(t.closed_at) if t.closed_at else None,
                    outcome=STATE_LABELS[TicketState(t.state)]["id"],
                    steps=steps,
                    calls_out_of_turn=out_of_turn.get(t.id, []),
                )
            )
        return rows


HEADER = [
    "Tanggal",
    "Nomor",
    "Layanan",
    "Nama pemohon",
    "NIK",
    "Petugas penerima",
    "Loket",
    "Diterbitkan",
    "Selesai",
    "Hasil",
]


def _flat(row: RegisterRow, max_steps: int) -> list[Any]:
    base: list[Any] = [
        row.day.isoformat(),
        row.number,
        row.service,
        row.applicant_name or "",
        row.nik or "",
        row.officer or "",
        row.counter or "",
        f"{row.issued:%H:%M}",
        f"{row.closed:%H:%M}" if row.closed else "",
        row.outcome,
    ]
    for i in range(max_steps):
        if i < len(row.steps):
            st = row.steps[i]
            base += [
                st.role,
                st.officer or "",
                f"{st.started:%H:%M}" if st.started else "",
                f"{st.ended:%H:%M}" if st.ended else "",
                st.minutes if st.minutes is not None else "",
                st.target_minutes if st.target_minutes is not None else "",
            ]
        else:
            base += [""] * 6
    return base


def _header(max_steps: int) -> list[str]:
    out = list(HEADER)
    for i in range(1, max_steps + 1):
        out += [f"Tahap {i}", f"Petugas {i}", f"Mulai {i}", f"Selesai {i}", f"Menit {i}", f"Target {i}"]
    return out


def register_title(loket: Context, day: date) -> str:
    """The workbook's title line: the office's name in force (its own, else the configured one) and the day."""
    return f"Buku Harian {loket.effective_settings.office_name} - {day.isoformat()}"


def register_workbook(loket: Context, day: date) -> bytes:
    """The buku harian of one day as an Excel workbook, titled with the office's name."""
    return register_xlsx(register_rows(loket, day), register_title(loket, day))


def register_csv(rows: list[RegisterRow]) -> str:
    """The register as CSV, one column group per step."""
    width = max((len(r.steps) for r in rows), default=0)
    return csv_text([_header(width), *(_flat(row, width) for row in rows)])


def register_xlsx(rows: list[RegisterRow], title: str) -> bytes:
    """The register as an Excel workbook (openpyxl), header bold and frozen, columns sized."""
    width = max((len(r.steps) for r in rows), default=0)
    book = workbook()
    sheet = book.active
    sheet.title = "Buku Harian"
    append_row(sheet, [title])
    sheet["A1"].font = bold(14)
    header = _header(width)
    append_row(sheet, header)
    for cell in sheet[2]:
        cell.font = bold()
    for row in rows:
        append_row(sheet, _flat(row, width))
    sheet.freeze_panes = "C3"
    for i, name in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(2, i).column_letter].width = max(10, min(40, len(name) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
