"""What a ticket or pickup slip says, how it is rendered for a printer, and sending it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from loket.core.accounts import get_counter
from loket.core.clock import Clock
from loket.core.context import Context
from loket.core.disruptions import TITIP
from loket.core.roles import Actor
from loket.core.settings import hours_lines
from loket.core.states import PRIORITY_LABELS, Priority
from loket.core.tickets import issuing, prints
from loket.core.tickets.views import TicketView
from loket.hardware.printer import (
    Printer,
    PrinterError,
    PrintJob,
    TicketContent,
    escpos_bytes,
    pickup_slip_blocks,
    preview_image,
    return_slip_blocks,
    ticket_blocks,
)
from loket.hardware.printer.layout import indonesian_date
from loket.public_url import status_url
from loket.realtime import publish, to_kiosk
from loket.services import loket as current_loket

from .printers import PrintResult, printers
from .queue import print_queues


def ticket_content(loket: Context, view: TicketView, office_name: str, *, lang: str = "id") -> TicketContent:
    settings = loket.settings
    sop = loket.catalog.get(view.service_code)
    requirements = []
    if sop:
        for req in sop.requirements:
            text = req.text.get(lang)
            requirements.append(f"{text} (bila ada)" if req.optional else text)
    notice = issuing.blanko_notice(loket, view.service_code)
    effective = loket.effective_settings
    issued = loket.clock.local(view.issued_at)
    today = effective.hours_on(issued)
    received = _received_at(view)
    received_local = loket.clock.local(received) if received else issued
    ready = effective.ready_on(view.service_code, received_local.date())
    return TicketContent(
        office_name=settings.office_name or office_name,
        number=view.number,
        service_name=view.service_name.get(lang) or view.service_name["id"],
        issued_at=issued,
        qr_payload=status_url(view.status_code),  # a phone's camera opens the status page
        # typed from the paper: this server's short code (at a site the QR's is a 140-character signed one)
        typed_link=status_url(loket.signer.local_short(view.id, view.service_day, view.number)),
        ahead=view.ahead,
        priority_label=PRIORITY_LABELS[Priority(view.priority)]["id"] if view.priority else None,
        requirements=requirements,
        footer=settings.ticket_footer,
        note=" ".join(n for n in (_titip_note(view), notice["id"] if notice else None) if n) or None,
        pickup_hours=hours_lines(effective.pickup_hours_in_force()),
        waiting_area=settings.waiting_area,
        hours_today=f"{today.open:%H:%M}-{today.close:%H:%M}" if today else None,
        received_at=received_local,
        ready_line=_ready_line(ready, received_local.date()) if ready else None,
    )


def _titip_note(view: TicketView) -> str | None:
    """A left berkas's ticket is its receipt (tanda terima titip): what to do now, and how the resident hears back."""
    if view.source != TITIP:
        return None
    return (
        "TANDA TERIMA TITIP BERKAS: serahkan dokumen di bawah ini ke loket pelayanan sekarang. "
        "Setelah diterima, Anda tidak perlu menunggu; pantau lewat QR ini (dan pesan, bila nomor diberikan)."
    )


def return_slip_content(loket: Context, view: TicketView, office_name: str) -> TicketContent:
    """The slip of a returned berkas: the ticket's content with the documents missing (in the SOP's words) and
    the time it was returned; the QR is the status page's, which the front desk scans when the resident is back."""
    sop = loket.catalog.get(view.service_code)
    texts = {r.key: r.text.get("id") for r in sop.requirements} if sop else {}
    returned = next((v.ended_at for v in reversed(view.visits) if v.outcome == "returned" and v.ended_at), None)
    return replace(
        ticket_content(loket, view, office_name),
        issued_at=loket.clock.local(returned or loket.clock.now()),
        missing=[texts.get(key) or key for key in view.missing],
        service_hours=hours_lines(loket.effective_settings.hours),
        requirements=[],
        note=None,
    )


#: The layout of each kind of paper.
LAYOUTS = {"ticket": ticket_blocks, "slip": pickup_slip_blocks, "return": return_slip_blocks}


def _received_at(view: TicketView) -> datetime | None:
    """When the berkas was received: the start of its first stay at the step that gives the pickup slip."""
    for visit in view.visits:
        if view.steps[visit.step_index].get("gives_pickup_slip"):
            return visit.started_at or visit.entered_at
    return None


def _ready_line(ready: date, received: date) -> str:
    if ready <= received:
        return "Perkiraan selesai: hari ini"
    return f"Perkiraan selesai: {indonesian_date(ready)}"


def render(
    content: TicketContent, printer: Printer, kind: str = "ticket", with_preview: bool | None = None
) -> PrintJob:
    blocks = LAYOUTS.get(kind, ticket_blocks)(content, printer.paper)
    data = escpos_bytes(blocks, paper=printer.paper, profile=printer.profile)
    if with_preview is None:
        with_preview = printer.wants_preview
    preview = preview_image(blocks, paper=printer.paper) if with_preview else None
    return PrintJob(f"{kind}-{content.number}", data, preview)


def send(printer: Printer, job: PrintJob) -> PrintResult:
    """Print; a failure is reported, never raised: the ticket exists whether or not paper came out."""
    try:
        printer.send(job)
    except PrinterError as exc:
        return PrintResult(False, printer.describe(), exc.reason, str(exc))
    return PrintResult(True, printer.describe())


def test_job(printer: Printer, office_name: str, clock: Clock) -> PrintJob:
    """A test ticket for checking paper, alignment and QR from the kiosk's settings panel."""
    content = TicketContent(
        office_name=office_name,
        number="TES-000",
        service_name="Tes printer - bukan nomor antrean",
        issued_at=clock.local(clock.now()),
        qr_payload="LKT1-TEST",
        requirements=["Contoh daftar dokumen"],
        footer="Tiket tes: tidak berlaku untuk pelayanan.",
    )
    return render(content, printer)


def print_ticket(
    loket: Context,
    view: TicketView,
    printer: Printer,
    office_name: str,
    *,
    kind: str,
    kiosk: str | None = None,
    user_id: int | None = None,
) -> PrintResult:
    """Render and send one ticket or slip ("ticket", "slip": pickup, "return": the berkas was returned);
    record the result and publish it (a failure alerts staff)."""
    if kind == "return":
        content = return_slip_content(loket, view, office_name)
    else:
        content = ticket_content(loket, view, office_name)
    result = send(printer, render(content, printer, kind=kind if kind in LAYOUTS else "ticket"))
    publish(
        prints.record_print(
            loket, view.id, kind, result.ok, result.printer, result.reason, kiosk, user_id, number=view.number
        )
    )
    return result


def print_for_staff(
    loket: Context, actor: Actor, view: TicketView, office_name: str, kind: str, kiosk: str | None = None
) -> PrintResult:
    """Print for an officer: on the named kiosk's printer, else on their counter's."""
    if kiosk:
        printer = printers().for_kiosk(kiosk)
    else:
        counter = get_counter(loket.store, actor.counter_id) if actor.counter_id else None
        printer = printers().for_counter(counter.name if counter else None)
    return print_ticket(loket, view, printer, office_name, kind=kind, kiosk=kiosk, user_id=actor.user_id)


def queue_ticket(
    loket: Context, view: TicketView, printer: Printer, office_name: str, *, kiosk: str | None, paired: str | None
) -> dict:
    """Print a resident's ticket off the request path (its printer's queue): returns at once with
    {"state": "queued"}; the outcome is recorded as `print_ticket` records it (at `kiosk`) and pushed to
    the page of the `paired` kiosk that asked."""
    job = render(ticket_content(loket, view, office_name), printer, kind="ticket")
    ticket_id, number = view.id, view.number

    def run() -> prints.PrintNote:
        result = send(printer, job)
        if paired:  # first: the resident waits in front of that screen (and recording may fail)
            to_kiosk(paired, "print.outcome", {"number": number, **result.as_dict()})
        # noted by the queue's worker with the prints queued beside it (record_queued)
        return prints.PrintNote(
            ticket_id, number, "ticket", result.ok, result.printer, result.reason, kiosk, loket.clock.now()
        )

    print_queues().submit(printer, run)
    return {"state": "queued", "ok": None, "printer": printer.describe(), "reason": None, "message": None}


def record_queued(notes: list[prints.PrintNote]) -> None:
    """The print queues' `later`: a burst of queued prints recorded in one transaction, then published."""
    publish(prints.record_prints(current_loket(), notes))
