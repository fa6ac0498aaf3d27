"""The life of a berkas: its states, the reasons it stops, and the legal moves."""

from enum import StrEnum

from loket.core.messages import _

from .errors import IllegalTransition


class TicketState(StrEnum):
    WAITING = "waiting"  # in the queue for a counter step, not yet called
    CALLED = "called"  # called on the display, resident walking to the loket
    SERVING = "serving"  # an officer is working the current step
    IN_PROCESS = "in_process"  # waiting in a back-office role's work list
    PENDING = "pending"  # tertunda, with a PendingReason
    RETURNED = "returned"  # sent back: documents missing
    READY = "ready"  # finished document waits for hand-over to the resident
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class PendingReason(StrEnum):
    NOT_IN_SIAK = "not_in_siak"
    DATA_PROBLEM = "data_problem"
    NETWORK_DOWN = "network_down"
    OTHER = "other"


class Priority(StrEnum):
    """Groups with a right to priority service (UU 25/2009 art. 29)."""

    LANSIA = "lansia"
    DISABILITAS = "disabilitas"
    IBU_HAMIL = "ibu_hamil"
    ANAK = "anak"
    KORBAN_BENCANA = "korban_bencana"


STATE_LABELS: dict[TicketState, dict[str, str]] = {
    TicketState.WAITING: {"id": "Menunggu dipanggil", "en": "Waiting to be called"},
    TicketState.CALLED: {"id": "Dipanggil", "en": "Called"},
    TicketState.SERVING: {"id": "Sedang dilayani", "en": "Being served"},
    TicketState.IN_PROCESS: {"id": "Sedang diproses", "en": "Being processed"},
    TicketState.PENDING: {"id": "Tertunda", "en": "Pending"},
    TicketState.RETURNED: {"id": "Dikembalikan, berkas belum lengkap", "en": "Returned: documents missing"},
    TicketState.READY: {"id": "Siap diambil", "en": "Ready for pickup"},
    TicketState.DONE: {"id": "Selesai", "en": "Done"},
    TicketState.NO_SHOW: {"id": "Tidak hadir", "en": "Did not come"},
    TicketState.CANCELLED: {"id": "Dibatalkan", "en": "Cancelled"},
}

PENDING_LABELS: dict[PendingReason, dict[str, str]] = {
    PendingReason.NOT_IN_SIAK: {"id": "Data tidak ada di SIAK", "en": "Data not in SIAK"},
    PendingReason.DATA_PROBLEM: {"id": "Data bermasalah", "en": "Data problem"},
    PendingReason.NETWORK_DOWN: {"id": "Jaringan terganggu", "en": "Network down"},
    PendingReason.OTHER: {"id": "Alasan lain", "en": "Other reason"},
}

PRIORITY_LABELS: dict[Priority, dict[str, str]] = {
    Priority.LANSIA: {"id": "Lansia", "en": "Elderly"},
    Priority.DISABILITAS: {"id": "Penyandang disabilitas", "en": "Person with disability"},
    Priority.IBU_HAMIL: {"id": "Ibu hamil", "en": "Pregnant woman"},
    Priority.ANAK: {"id": "Anak-anak", "en": "Child"},
    Priority.KORBAN_BENCANA: {"id": "Korban bencana", "en": "Disaster victim"},
}

S = TicketState
#: Every legal move; anything else raises IllegalTransition and changes nothing.
TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    S.WAITING: frozenset({S.WAITING, S.CALLED, S.SERVING, S.CANCELLED}),  # waiting -> waiting: transfer
    S.READY: frozenset({S.READY, S.CALLED, S.SERVING, S.CANCELLED}),
    S.CALLED: frozenset({S.CALLED, S.SERVING, S.NO_SHOW, S.WAITING, S.READY, S.CANCELLED}),
    S.SERVING: frozenset({S.WAITING, S.IN_PROCESS, S.READY, S.DONE, S.PENDING, S.RETURNED, S.CANCELLED}),
    S.IN_PROCESS: frozenset({S.SERVING, S.PENDING, S.CANCELLED}),
    S.PENDING: frozenset({S.WAITING, S.IN_PROCESS, S.READY, S.CANCELLED}),
    S.RETURNED: frozenset({S.WAITING, S.CANCELLED}),
    S.NO_SHOW: frozenset({S.WAITING, S.READY}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
}

#: States in which a resident stands in the hall's queue for a counter.
QUEUED = frozenset({S.WAITING, S.READY})
#: States from which nothing more happens.
FINAL = frozenset({S.DONE, S.CANCELLED})


def check_transition(current: TicketState, target: TicketState, action: str) -> None:
    """Raise IllegalTransition unless current -> target is a legal move."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(
            _("Tidak bisa '%(action)s': status berkas '%(state)s'.", action=action, state=STATE_LABELS[current])
        )
