"""`Loket`: the domain's operations as methods, for the callers not yet moved to the modules.

The operations live in loket.core.tickets (issuing, queue, flow, views, prints) and loket.core.admin;
each method here hands over in one line. New code calls the module functions with the context.
"""

from __future__ import annotations

from typing import Any

from loket.core.tickets import flow, issuing, prints, queue, views
from loket.core.tickets.issuing import Availability as Availability
from loket.core.tickets.queue import DEFAULT_DESK_MINUTES as DEFAULT_DESK_MINUTES
from loket.core.tickets.views import Outcome as Outcome
from loket.core.tickets.views import TicketView as TicketView
from loket.core.tickets.views import VisitView as VisitView

from . import admin
from .context import Context as Context
from .context import Policy as Policy
from .events import Event
from .roles import Actor as Actor
from .roles import Role
from .settings import EffectiveSettings, OfficeSettings, effective_settings, office_settings


class Loket(Context):
    """The office's queue and berkas flow: the context (store, catalog, signer, clock, rules) and its operations."""

    # ---- issuing -------------------------------------------------------

    def issue(self, service_code: str, priority: str | None = None, source: str = "kiosk") -> Outcome:
        """Give a resident a numbered ticket for a service."""
        return issuing.issue(self, service_code, priority, source)

    def serve_walk_in(self, actor: Actor, service_code: str, priority: str | None = None) -> Outcome:
        """A resident without a ticket at the counter: issue one and start serving at once."""
        return issuing.serve_walk_in(self, actor, service_code, priority)

    def services_overview(self) -> list[dict[str, Any]]:
        """Per service, what a kiosk shows before a ticket: open or not, queue, estimated wait."""
        return issuing.services_overview(self)

    def blanko_notice(self, service_code: str) -> dict[str, str] | None:
        """What to tell a resident about blank cards for this service, if anything."""
        return issuing.blanko_notice(self, service_code)

    # ---- the queue -----------------------------------------------------

    def call_next(self, actor: Actor) -> Outcome:
        """Call the next resident for this counter and role: priority first, fairly."""
        return queue.call_next(self, actor)

    def recall(self, actor: Actor, ticket_id: int) -> Outcome:
        """Call the same resident again (announced again on the display)."""
        return queue.recall(self, actor, ticket_id)

    def waiting_counts(self) -> dict[str, int]:
        """How many residents wait in the hall now, per service."""
        return queue.waiting_counts(self)

    def open_station(self, actor: Actor) -> list[Event]:
        """An officer starts work at a counter: the live dashboard shows it open."""
        return queue.open_station(self, actor)

    def close_station(self, actor: Actor) -> list[Event]:
        """An officer leaves a counter (logs out or switches): the dashboard shows it closed."""
        return queue.close_station(self, actor)

    # ---- the flow of a berkas --------------------------------------------

    def start(self, actor: Actor, ticket_id: int) -> Outcome:
        """Begin work on the current step (the resident arrived, or the berkas was picked up)."""
        return flow.start(self, actor, ticket_id)

    def advance(self, actor: Actor, ticket_id: int, note: str | None = None) -> Outcome:
        """Finish the current step and hand the berkas to the next one (or close it)."""
        return flow.advance(self, actor, ticket_id, note)

    def hand_over(self, actor: Actor, ticket_id: int) -> Outcome:
        """The final step: the finished document goes to the resident; the berkas closes."""
        return flow.hand_over(self, actor, ticket_id)

    def pend(self, actor: Actor, ticket_id: int, reason: str, note: str | None = None) -> Outcome:
        """Put the berkas on hold (tertunda) with one of the SOP's reasons."""
        return flow.pend(self, actor, ticket_id, reason, note)

    def return_for_documents(
        self, actor: Actor, ticket_id: int, missing: list[str], note: str | None = None
    ) -> Outcome:
        """Send the berkas back to the resident: documents are missing. It restarts at reception."""
        return flow.return_for_documents(self, actor, ticket_id, missing, note)

    def resume(self, actor: Actor, ticket_id: int) -> Outcome:
        """Bring a pending, returned or no-show berkas back into its step's queue."""
        return flow.resume(self, actor, ticket_id)

    def no_show(self, actor: Actor, ticket_id: int) -> Outcome:
        """The resident did not come after being called."""
        return flow.no_show(self, actor, ticket_id)

    def cancel(self, actor: Actor, ticket_id: int, note: str | None = None) -> Outcome:
        """Cancel the ticket (resident withdrew, duplicate, mistake)."""
        return flow.cancel(self, actor, ticket_id, note)

    def transfer(
        self, actor: Actor, ticket_id: int, counter_id: int | None = None, service_code: str | None = None
    ) -> Outcome:
        """Send a resident to another counter, or re-file the berkas under another service."""
        return flow.transfer(self, actor, ticket_id, counter_id, service_code)

    def record_applicant(self, actor: Actor, ticket_id: int, name: str, nik: str) -> Outcome:
        """Staff write down who the berkas belongs to; shown to staff only, never on a public screen."""
        return flow.record_applicant(self, actor, ticket_id, name, nik)

    def purge_personal_data(self, older_than_days: int) -> int:
        """Delete applicants' names and NIKs of berkas closed more than N days ago; return how many."""
        return admin.purge_applicants(self, older_than_days)

    # ---- printing --------------------------------------------------------

    def record_print(
        self,
        ticket_id: int,
        kind: str,
        ok: bool,
        printer: str,
        reason: str | None = None,
        kiosk: str | None = None,
        user_id: int | None = None,
    ) -> list[Event]:
        """Note a printed (or failed) ticket or slip; a failure becomes a staff alert."""
        return prints.record_print(self, ticket_id, kind, ok, printer, reason, kiosk, user_id)

    def printer_alerts(self, limit: int = 20) -> list[dict[str, Any]]:
        """Today's printer failures not yet solved by a later successful print, newest first."""
        return prints.printer_alerts(self, limit)

    # ---- office settings ---------------------------------------------------

    def settings(self) -> OfficeSettings:
        """The settings as the office stored them (None where it set nothing)."""
        return office_settings(self.store)

    def effective_settings(self) -> EffectiveSettings:
        """The settings in force: the office's value, else the environment's default."""
        return effective_settings(self.store, self.defaults)

    def update_settings(self, actor: Actor, changes: dict[str, Any]) -> Outcome:
        """Change office settings (admin only); every kiosk and display hears of it at once."""
        return Outcome(None, admin.update_settings(self, actor, changes))

    # ---- reading -------------------------------------------------------

    def find(self, code_or_number: str) -> TicketView:
        """A ticket by its scanned QR payload (signature checked) or today's number."""
        return views.find(self, code_or_number)

    def find_by_code(self, code: str) -> TicketView:
        """A ticket by its signed code only (a bare number is refused)."""
        return views.find_by_code(self, code)

    def get(self, ticket_id: int) -> TicketView:
        """A ticket by its id, with its place in line and its history."""
        return views.get(self, ticket_id)

    def public_status(self, number: str) -> dict[str, Any]:
        """Today's ticket by number, as a resident may see it."""
        return views.public_status(self, number)

    def work_list(self, role: Role, limit: int = 100) -> list[TicketView]:
        """Berkas waiting at, or being worked at, this role's step: overdue first, then oldest."""
        return views.work_list(self, role, limit)

    def counter_tickets(self, counter_id: int) -> list[TicketView]:
        """Tickets called to or being served at this counter now."""
        return views.counter_tickets(self, counter_id)

    def display_state(self, recent: int = 30) -> dict[str, Any]:
        """Everything a display needs on (re)connect: recent calls and each counter's number."""
        return views.display_state(self, recent)
