"""Events: what an operation did, for the display, the counters and the reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Event kinds the waiting-room display may receive. Their payloads hold only
#: ticket numbers, counters and states: never a name or a NIK (UU 27/2022).
PUBLIC_KINDS = frozenset(
    {
        "ticket.issued",
        "ticket.called",
        "ticket.started",
        "ticket.advanced",
        "ticket.ready",
        "ticket.done",
        "ticket.no_show",
        "ticket.cancelled",
        "ticket.voided",
        "ticket.pended",
        "ticket.resumed",
        "ticket.returned",
    }
)


@dataclass(frozen=True)
class Event:
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    ticket_id: int | None = None
    counter_id: int | None = None
    officer_id: int | None = None
    #: Its entry in the event log (EventRecord.id), when it has one: a board tells two calls of one number apart by it.
    id: int | None = None

    @property
    def public(self) -> bool:
        return self.kind in PUBLIC_KINDS
