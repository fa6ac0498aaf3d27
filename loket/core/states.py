"""The life of a berkas: its states, the reasons it stops, and the legal moves."""

from enum import StrEnum

from loket.core.messages import _, texts

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
    VOIDED = "voided"  # issued but nobody held it (a drained quota, a crash's retry): voided by staff


class PendingReason(StrEnum):
    NOT_IN_SIAK = "not_in_siak"
    DATA_PROBLEM = "data_problem"
    NETWORK_DOWN = "network_down"
    OTHER = "other"
    #: A left berkas (titip berkas, issue 14) waiting at a back-office step until a disruption ends: resumes itself.
    DISRUPTION = "disruption"


class Priority(StrEnum):
    """What a resident may choose at the kiosk for priority service (the order shown there).

    Source: UU 25/2009 (Pelayanan Publik) art. 29(1): "Penyelenggara berkewajiban memberikan pelayanan dengan
    perlakuan khusus kepada anggota masyarakat tertentu sesuai dengan peraturan perundang-undangan"; its
    elucidation names them: penyandang cacat (now: penyandang disabilitas, UU 8/2016), lanjut usia, wanita
    hamil, anak-anak, korban bencana alam and korban bencana sosial. Every group of the law has a choice here
    (bencana alam and bencana sosial share one: the counter treats them alike). "Ibu dengan bayi/anak kecil"
    is not in the law's list: offices add it (a mother carrying a baby or a toddler cannot wait an hour
    standing; the usability walk of issue 15 found no choice for her), and it is kept apart from "anak-anak"
    (a child applying or present as the subject of the service). docs/fairness.md tells the office.
    """

    LANSIA = "lansia"
    DISABILITAS = "disabilitas"
    IBU_HAMIL = "ibu_hamil"
    IBU_ANAK = "ibu_anak"
    ANAK = "anak"
    KORBAN_BENCANA = "korban_bencana"


STATE_LABELS: dict[TicketState, dict[str, str]] = {
    TicketState.WAITING: texts(_("Menunggu dipanggil")),
    TicketState.CALLED: texts(_("Dipanggil")),
    TicketState.SERVING: texts(_("Sedang dilayani")),
    TicketState.IN_PROCESS: texts(_("Sedang diproses")),
    TicketState.PENDING: texts(_("Tertunda")),
    TicketState.RETURNED: texts(_("Dikembalikan, berkas belum lengkap")),
    TicketState.READY: texts(_("Siap diambil")),
    TicketState.DONE: texts(_("Selesai")),
    TicketState.NO_SHOW: texts(_("Tidak hadir")),
    TicketState.CANCELLED: texts(_("Dibatalkan")),
    TicketState.VOIDED: texts(_("Dibatalkan petugas (tidak diambil)")),
}

PENDING_LABELS: dict[PendingReason, dict[str, str]] = {
    PendingReason.NOT_IN_SIAK: texts(_("Data tidak ada di SIAK")),
    PendingReason.DATA_PROBLEM: texts(_("Data bermasalah")),
    PendingReason.NETWORK_DOWN: texts(_("Jaringan terganggu")),
    PendingReason.OTHER: texts(_("Alasan lain")),
    PendingReason.DISRUPTION: texts(_("Menunggu layanan pulih dari gangguan")),
}

#: What the resident brings back when the berkas is pending, per reason (UU 27/2022: nothing personal).
PENDING_BRING: dict[PendingReason, dict[str, str]] = {
    PendingReason.NOT_IN_SIAK: {
        "id": "Kartu Keluarga (KK) asli dan dokumen yang diminta petugas. Silakan tanyakan ke loket pelayanan.",
        "en": "Your original family card (KK) and the documents the officer asked for. Please ask at the front desk.",
    },
    PendingReason.DATA_PROBLEM: {
        "id": "Dokumen yang membuktikan perubahan data (mis. akta, buku nikah, ijazah).",
        "en": "The document that proves the change in your data (e.g. a certificate, marriage book, diploma).",
    },
    PendingReason.NETWORK_DOWN: {
        "id": "Tidak perlu membawa apa pun: berkas dilanjutkan setelah jaringan pulih.",
        "en": "Nothing: the berkas resumes once the network is back.",
    },
    PendingReason.OTHER: {
        "id": "Silakan tanyakan kepada petugas di loket pelayanan.",
        "en": "Please ask the officer at the front desk.",
    },
    PendingReason.DISRUPTION: {
        "id": "Tidak perlu membawa apa pun: berkas diproses setelah layanan pulih, tanpa Anda menunggu di kantor.",
        "en": "Nothing: the berkas is processed once the service is back, without you waiting at the office.",
    },
}

PRIORITY_LABELS: dict[Priority, dict[str, str]] = {
    Priority.LANSIA: texts(_("Lansia")),
    Priority.DISABILITAS: texts(_("Penyandang disabilitas")),
    Priority.IBU_HAMIL: texts(_("Ibu hamil")),
    Priority.IBU_ANAK: texts(_("Ibu dengan bayi/anak kecil")),
    Priority.ANAK: texts(_("Anak-anak")),
    Priority.KORBAN_BENCANA: texts(_("Korban bencana alam/sosial")),
}

S = TicketState
#: Every legal move; anything else raises IllegalTransition and changes nothing.
TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    # waiting -> waiting: transfer; waiting -> voided: never called, nobody holds it (tickets/unclaimed.py)
    S.WAITING: frozenset({S.WAITING, S.CALLED, S.SERVING, S.CANCELLED, S.VOIDED}),
    S.READY: frozenset({S.READY, S.CALLED, S.SERVING, S.CANCELLED}),
    S.CALLED: frozenset({S.CALLED, S.SERVING, S.NO_SHOW, S.WAITING, S.READY, S.CANCELLED}),
    S.SERVING: frozenset({S.WAITING, S.IN_PROCESS, S.READY, S.DONE, S.PENDING, S.RETURNED, S.CANCELLED}),
    S.IN_PROCESS: frozenset({S.SERVING, S.PENDING, S.CANCELLED}),
    S.PENDING: frozenset({S.WAITING, S.IN_PROCESS, S.READY, S.CANCELLED}),
    S.RETURNED: frozenset({S.WAITING, S.CANCELLED}),
    S.NO_SHOW: frozenset({S.WAITING, S.READY}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset(),
    S.VOIDED: frozenset(),
}

#: States in which a resident stands in the hall's queue for a counter.
QUEUED = frozenset({S.WAITING, S.READY})
#: States from which nothing more happens.
FINAL = frozenset({S.DONE, S.CANCELLED, S.VOIDED})


def check_transition(current: TicketState, target: TicketState, action: str) -> None:
    """Raise IllegalTransition unless current -> target is a legal move."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(
            _("Tidak bisa '%(action)s': status berkas '%(state)s'.", action=action, state=STATE_LABELS[current])
        )
