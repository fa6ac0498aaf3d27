"""The SOP flow of a berkas: start, advance, hand over, pend, return, resume, no-show, cancel, transfer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from loket.core.accounts import acting
from loket.core.booking.operations import normal_phone
from loket.core.context import Context
from loket.core.disruptions import TITIP, disrupted
from loket.core.errors import IllegalTransition, LoketError, NotAllowed, NotFound
from loket.core.messages import _
from loket.core.nik import parse_nik
from loket.core.roles import CANCEL_ANY_STEP_ROLES, Actor
from loket.core.settings import has_control_character
from loket.core.states import STATE_LABELS, PendingReason, TicketState, check_transition
from loket.core.store import Applicant, Counter, Ticket, User

from .contacts import require_front_desk
from .records import (
    calls_needed,
    close_visit,
    enter_step,
    no_show_from,
    open_visit,
    pended_at_counter,
    put_at_front,
    queue_state_for_step,
    record_event,
    require_step_role,
    service,
    set_state,
    ticket_by_id,
)
from .views import CHECKED, Outcome, ticket_view

S = TicketState


def _take(s: Session, actor: Actor, ticket_id: int) -> tuple[User, Counter | None, Ticket]:
    """The actor (checked), their counter, and the ticket whose current step is theirs."""
    user, counter = acting(s, actor)
    ticket = ticket_by_id(s, ticket_id)
    require_step_role(ticket, actor)
    return user, counter, ticket


def start(loket: Context, actor: Actor, ticket_id: int) -> Outcome:
    """Begin work on the current step (the resident arrived, or the berkas was picked up)."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        check_transition(S(ticket.state), S.SERVING, _("mulai layani"))
        set_state(loket, ticket, S.SERVING, now, keep_queue=True)
        if counter is not None:
            ticket.counter = counter
        visit = open_visit(ticket, now)
        visit.started_at = now
        visit.officer = user
        if counter is not None:
            visit.counter = counter
        return Outcome(ticket_view(loket, s, ticket), [record_event(loket, s, "ticket.started", ticket, counter, user)])


def advance(loket: Context, actor: Actor, ticket_id: int, note: str | None = None) -> Outcome:
    """Finish the current step and hand the berkas to the next one (or close it)."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        if S(ticket.state) is not S.SERVING:
            check_transition(S(ticket.state), S.DONE, _("teruskan"))  # raises with a clear message
        close_visit(ticket, now, "advanced", note)
        if ticket.step_index + 1 >= len(ticket.steps):
            check_transition(S.SERVING, S.DONE, _("serahkan"))
            set_state(loket, ticket, S.DONE, now)
            ticket.closed_at = now
            return Outcome(
                ticket_view(loket, s, ticket), [record_event(loket, s, "ticket.done", ticket, counter, user)]
            )
        ticket.step_index += 1
        ticket.current_role = ticket.step["role"]
        target = queue_state_for_step(ticket)
        check_transition(S.SERVING, target, _("teruskan"))
        if ticket.source == TITIP and target is S.IN_PROCESS and disrupted(s, ticket.service_code):
            return _titip_waits(loket, s, ticket, counter, user, now)
        set_state(loket, ticket, target, now)
        ticket.counter = None
        ticket.call_count = 0
        enter_step(ticket, now)
        kind = "ticket.ready" if target is S.READY else "ticket.advanced"
        return Outcome(ticket_view(loket, s, ticket), [record_event(loket, s, kind, ticket, counter, user)])


def _titip_waits(
    loket: Context, s: Session, ticket: Ticket, counter: Counter | None, user: User, now: datetime
) -> Outcome:
    """A left berkas (titip) received at the front desk while its service is still down: it reaches its first
    back-office step and waits there, pended with reason "disruption" (as a berkas pended at that step would be),
    until the disruption ends (disruptions._release puts it into the step's work list). The resident hears it
    through the pending moment: received, processed once the service is back, nothing to bring."""
    check_transition(S.SERVING, S.PENDING, _("teruskan"))
    ticket.counter = None
    ticket.call_count = 0
    enter_step(ticket, now)
    close_visit(ticket, now, "pended", None)
    set_state(loket, ticket, S.PENDING, now)
    ticket.pending_reason = PendingReason.DISRUPTION.value
    ticket.state_note = None
    reason = PendingReason.DISRUPTION.value
    event = record_event(loket, s, "ticket.pended", ticket, counter, user, reason=reason, titip=True)
    return Outcome(ticket_view(loket, s, ticket), [event])


def hand_over(loket: Context, actor: Actor, ticket_id: int) -> Outcome:
    """The final step: the finished document goes to the resident; the berkas closes."""
    with loket.store.read() as s:
        ticket = ticket_by_id(s, ticket_id)
        require_step_role(ticket, actor)
        if ticket.step_index != len(ticket.steps) - 1:
            raise NotAllowed(_("Berkas belum sampai tahap penyerahan."))
    return advance(loket, actor, ticket_id)


def pend(loket: Context, actor: Actor, ticket_id: int, reason: str, note: str | None = None) -> Outcome:
    """Put the berkas on hold (tertunda) with one of the SOP's reasons."""
    why = PendingReason(reason)
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        check_transition(S(ticket.state), S.PENDING, _("tunda"))
        close_visit(ticket, now, "pended", note)
        set_state(loket, ticket, S.PENDING, now)
        ticket.pending_reason = why.value
        ticket.state_note = note
        event = record_event(loket, s, "ticket.pended", ticket, counter, user, reason=why.value)
        return Outcome(ticket_view(loket, s, ticket), [event])


def return_for_documents(
    loket: Context, actor: Actor, ticket_id: int, missing: list[str], note: str | None = None
) -> Outcome:
    """Send the berkas back to the resident: documents are missing. It restarts at reception."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        sop = loket.catalog.get(ticket.service_code)
        known = {r.key for r in sop.requirements} if sop else set()
        unknown = [m for m in missing if m not in known]
        if not missing or unknown:
            raise NotAllowed(_("Sebutkan dokumen yang kurang dari daftar persyaratan."))
        check_transition(S(ticket.state), S.RETURNED, _("kembalikan"))
        close_visit(ticket, now, "returned", note)
        set_state(loket, ticket, S.RETURNED, now)
        ticket.missing = list(missing)
        ticket.state_note = note
        ticket.step_index = 0
        ticket.current_role = ticket.step["role"]
        ticket.counter = None
        event = record_event(loket, s, "ticket.returned", ticket, counter, user, missing=list(missing))
        return Outcome(ticket_view(loket, s, ticket), [event])


def check_documents(loket: Context, actor: Actor, ticket_id: int, have: list[str]) -> Outcome:
    """Record which required documents the officer found in the berkas (the checklist), kept for later steps."""
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        sop = loket.catalog.get(ticket.service_code)
        known = [r.key for r in sop.requirements] if sop else []
        if any(key not in known for key in have):
            raise NotAllowed(_("Sebutkan dokumen yang kurang dari daftar persyaratan."))
        if S(ticket.state) is not S.SERVING:
            raise NotAllowed(_("Centang dokumen saat berkas sedang dilayani."))
        # kept as an event (who, when, which keys): never published, the boards need none of it
        record_event(loket, s, CHECKED, ticket, counter, user, have=[k for k in known if k in have])
        return Outcome(ticket_view(loket, s, ticket), [])


def resume(loket: Context, actor: Actor, ticket_id: int) -> Outcome:
    """Bring a pending, returned or no-show berkas back into its step's queue.

    Fairness (issue 15): a pended berkas was no fault of the resident's (SIAK, the data, the network) and a
    returned resident who comes back with the missing documents (the slip's QR scanned at the desk) already
    queued once: both go to the FRONT of their step's queue (records.put_at_front), not the back. A pended
    berkas may instead go to the counter where it was pended, when the office sets resume_to "same_counter".
    A no-show who turns up late joins the back of the queue, as a new arrival.
    """
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        target = queue_state_for_step(ticket)
        was = S(ticket.state)
        if was not in (S.PENDING, S.RETURNED, S.NO_SHOW):
            raise IllegalTransition(_("Tidak bisa 'lanjutkan': status berkas '%(state)s'.", state=STATE_LABELS[was]))
        check_transition(was, target, _("lanjutkan"))
        set_state(loket, ticket, target, now)
        ticket.target_counter_id = None
        if was in (S.PENDING, S.RETURNED):
            put_at_front(ticket, now)
            if was is S.PENDING and loket.effective_settings.resume_to == "same_counter":
                ticket.target_counter_id = pended_at_counter(ticket)
        ticket.pending_reason = None
        ticket.state_note = None
        ticket.missing = None
        ticket.counter = None
        ticket.call_count = 0
        enter_step(ticket, now)
        return Outcome(ticket_view(loket, s, ticket), [record_event(loket, s, "ticket.resumed", ticket, counter, user)])


def no_show(loket: Context, actor: Actor, ticket_id: int) -> Outcome:
    """The resident did not come after being called."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        check_transition(S(ticket.state), S.NO_SHOW, _("tidak hadir"))
        needed = calls_needed(loket)
        if ticket.call_count < needed:
            raise NotAllowed(
                _(
                    "Panggil %(needed)s kali sebelum menandai tidak hadir (baru %(called)s kali).",
                    needed=needed,
                    called=ticket.call_count,
                )
            )
        allowed_from = no_show_from(loket, ticket)
        if allowed_from is not None and now < allowed_from:
            # The calls are spread over the office's minimum minutes since the first call (issue 15: a resident
            # was struck off 20 s after the first call). Say when it becomes possible, in the office's time.
            raise NotAllowed(
                _(
                    "Tunggu dahulu: tidak hadir baru bisa ditandai mulai pukul %(time)s "
                    "(%(minutes)s menit setelah panggilan pertama). Panggil ulang bila perlu.",
                    time=loket.clock.local(allowed_from).strftime("%H:%M"),
                    minutes=loket.effective_settings.no_show_min_minutes,
                ),
                code="no_show_too_early",
            )
        close_visit(ticket, now, "no_show", None)
        set_state(loket, ticket, S.NO_SHOW, now)
        return Outcome(ticket_view(loket, s, ticket), [record_event(loket, s, "ticket.no_show", ticket, counter, user)])


def cancel(loket: Context, actor: Actor, ticket_id: int, note: str | None = None) -> Outcome:
    """Cancel the ticket (resident withdrew, duplicate, mistake); an admin may cancel at any step."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter = acting(s, actor)
        ticket = ticket_by_id(s, ticket_id)
        if actor.role not in CANCEL_ANY_STEP_ROLES:
            require_step_role(ticket, actor)
        check_transition(S(ticket.state), S.CANCELLED, _("batalkan"))
        close_visit(ticket, now, "cancelled", note)
        set_state(loket, ticket, S.CANCELLED, now)
        ticket.state_note = note
        ticket.closed_at = now
        event = record_event(loket, s, "ticket.cancelled", ticket, counter, user)
        return Outcome(ticket_view(loket, s, ticket), [event])


def transfer(
    loket: Context, actor: Actor, ticket_id: int, counter_id: int | None = None, service_code: str | None = None
) -> Outcome:
    """Send a resident to another counter, or re-file the berkas under another service.

    To a counter: the ticket waits again at its current step and only that counter calls it.
    To a service (a wrong choice at the kiosk): the new SOP's steps replace the old ones,
    starting at reception; the resident keeps the number.
    """
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)
        if service_code is not None and counter_id is None:
            sop = service(loket, service_code)
            if ticket.step_index != 0:
                raise NotAllowed(_("Layanan hanya dapat diganti di tahap penerimaan."))
            close_visit(ticket, now, "transferred", f"ke layanan {sop.code}")
            ticket.service_code = sop.code
            ticket.steps = sop.snapshot()
            ticket.current_role = ticket.step["role"]
            ticket.target_counter_id = None
        elif counter_id is not None and service_code is None:
            target = s.get(Counter, counter_id)
            if target is None or not target.active:
                raise NotFound(_("Loket tujuan tidak ada."))
            if ticket.current_role not in target.roles:
                raise NotAllowed(_("%(counter)s tidak melayani tahap ini.", counter=target.name))
            close_visit(ticket, now, "transferred", f"ke {target.name}")
            ticket.target_counter_id = target.id
        else:
            raise NotAllowed(_("Pilih loket atau layanan tujuan."))
        state = queue_state_for_step(ticket)
        check_transition(S(ticket.state), state, _("alihkan"))
        set_state(loket, ticket, state, now, keep_queue=True)  # keeps its place in line
        ticket.counter = None
        ticket.call_count = 0
        enter_step(ticket, now)
        event = record_event(
            loket, s, "ticket.transferred", ticket, counter, user, to_counter=counter_id, to_service=service_code
        )
        return Outcome(ticket_view(loket, s, ticket), [event])


def record_applicant(loket: Context, actor: Actor, ticket_id: int, name: str, nik: str) -> Outcome:
    """Staff write down who the berkas belongs to; shown to staff only, never on a public screen."""
    with loket.store.transaction() as s:
        user, counter, ticket = _take(s, actor, ticket_id)  # who may, before what was typed
        info = parse_nik(nik, loket.clock.today())
        name = " ".join(name.split())
        if not 2 <= len(name) <= 120 or has_control_character(name):  # (no spreadsheet export takes one)
            raise LoketError(_("Isi nama pemohon (2 sampai 120 huruf)."))
        if S(ticket.state) is not S.SERVING:
            raise IllegalTransition(_("Mulai layani berkas ini dahulu."))
        if ticket.applicant is None:
            ticket.applicant = Applicant(name=name, nik=info.nik, recorded_by=user.id, recorded_at=loket.clock.now())
        else:
            ticket.applicant.name, ticket.applicant.nik = name, info.nik
            ticket.applicant.recorded_by, ticket.applicant.recorded_at = user.id, loket.clock.now()
        # the event names the ticket only: personal data never travels in events
        event = record_event(loket, s, "applicant.recorded", ticket, counter, user)
        return Outcome(ticket_view(loket, s, ticket), [event])


def set_phone(loket: Context, actor: Actor, ticket_id: int, phone: str | None) -> Outcome:
    """The front desk writes down, changes or clears (None) the number the resident wants messages at (opt-in),
    at any step of the berkas; any other role is refused (it sees the number masked: contacts.contact_for).

    Personal data: it never travels in events, and the purge blanks it with the applicant's name and NIK.
    """
    with loket.store.transaction() as s:
        require_front_desk(s, actor)  # at any step: the front desk keeps the resident's contact
        user, counter = acting(s, actor)
        ticket = ticket_by_id(s, ticket_id)
        ticket.phone = normal_phone(phone)
        event = record_event(loket, s, "phone.recorded" if ticket.phone else "phone.cleared", ticket, counter, user)
        return Outcome(ticket_view(loket, s, ticket), [event])
