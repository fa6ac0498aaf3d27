"""The resident's contact on a berkas, for staff: the front desk sees and changes the number (opt-in), every
other role sees it masked; and every message's delivery state (issue 14).

The number is personal data (UU 27/2022): it never travels in events; a gateway's error may echo it, so
errors are shown with any number hidden.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from loket.core.accounts import acting
from loket.core.contact import MOMENT_LABELS, hide_numbers, mask_email, mask_phone
from loket.core.context import Context
from loket.core.errors import NotAllowed
from loket.core.messages import _
from loket.core.outbox.moments import messages_of
from loket.core.roles import Actor, Role
from loket.core.store import Ticket, User

from .records import ticket_by_id

#: The roles that receive the resident and may read, add, change or remove their number.
FRONT_DESK = frozenset({Role.PELAYANAN, Role.PENDUKUNG})


def require_front_desk(s: Session, actor: Actor) -> None:
    acting(s, actor)
    if actor.role not in FRONT_DESK:
        raise NotAllowed(_("Hanya petugas pelayanan (front desk) yang dapat mengubah nomor HP penduduk."))


def contact_for(loket: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """The berkas's contact as this staff member may see it, and its messages' delivery states, oldest first."""
    with loket.store.read() as s:
        user = s.get(User, actor.user_id)
        if user is None or not user.active or actor.role.value not in user.roles:
            raise NotAllowed(_("Akun tidak aktif."))
        ticket: Ticket = ticket_by_id(s, ticket_id)
        full = actor.role in FRONT_DESK
        rows = messages_of(s, ticket_id)
        return {
            "phone": ticket.phone if full else mask_phone(ticket.phone),
            "email": ticket.email if full else (mask_email(ticket.email) if ticket.email else None),
            "can_edit": full,
            "messages": [
                {
                    "id": m.id,
                    "moment": m.moment,
                    "label": MOMENT_LABELS.get(m.moment, {"id": m.moment, "en": m.moment}),
                    "channel": m.channel,
                    "at": m.created_at.isoformat(),
                    "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                    "state": m.state,
                    "attempts": m.attempts,
                    "last_error": hide_numbers(m.last_error),
                }
                for m in rows
            ],
        }
