"""Staff roles, as the SOPs name them."""

from dataclasses import dataclass
from enum import StrEnum

from loket.core.messages import _, texts


class Role(StrEnum):
    PELAYANAN = "pelayanan"
    PENDUKUNG = "pendukung"
    OPERATOR = "operator"
    SCAN = "scan"
    BIDANG = "bidang"
    REGISTER = "register"
    ADMIN = "admin"
    #: Head of office (Kepala Dinas): reads the reports and the live dashboard, changes nothing.
    KEPALA = "kepala"


ROLE_LABELS: dict[Role, dict[str, str]] = {
    Role.PELAYANAN: texts(_("Petugas Pelayanan")),
    Role.PENDUKUNG: texts(_("Petugas Pendukung Pelayanan")),
    Role.OPERATOR: texts(_("Operator")),
    Role.SCAN: texts(_("Petugas Scan")),
    Role.BIDANG: texts(_("Bidang")),
    Role.REGISTER: texts(_("Petugas Register")),
    Role.ADMIN: texts(_("Admin")),
    Role.KEPALA: texts(_("Kepala Dinas")),
}

#: Roles that work an SOP step (admin and the head of office work none).
STEP_ROLES = tuple(r for r in Role if r not in (Role.ADMIN, Role.KEPALA))

#: Roles that may read the reports and the live dashboard, in the report pages' order of preference:
#: an account holding both reads them as the head of office.
REPORT_ROLES = (Role.KEPALA, Role.ADMIN)

#: Roles that may cancel a berkas at any step, not only at a step of their own role.
CANCEL_ANY_STEP_ROLES = (Role.ADMIN,)

#: Roles that write, keep or sign the buku harian, with its names and NIKs (UU 27/2022: only those
#: who need it). The operator and the scanning officer see the applicant of the berkas in hand only.
REGISTER_ROLES = (Role.PELAYANAN, Role.PENDUKUNG, Role.REGISTER, Role.BIDANG, Role.ADMIN, Role.KEPALA)

#: The front desk: the roles that record the applicant and may read the NIK a resident gave at online
#: booking (issue 13: "shown only to the front desk").
BOOKING_DESK_ROLES = (Role.PELAYANAN, Role.PENDUKUNG)

#: Roles that read and change nothing (the head of office): refused every request that writes.
READ_ONLY_ROLES = (Role.KEPALA,)


def may_change(role: Role) -> bool:
    """Whether an officer in this role may change anything (print, act on a berkas, administer)."""
    return role not in READ_ONLY_ROLES


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in officer, in one role, at a counter (None in the back office)."""

    user_id: int
    role: Role
    counter_id: int | None = None


@dataclass(frozen=True)
class CommandLine:
    """Someone at the server's shell running `flask <command>`: may do what an admin does (there may be
    no admin account yet, e.g. `flask create-user`), and the audit log names the command instead of an account."""

    command: str

    @property
    def id(self) -> None:
        """No account: equal to no user's id."""
        return None

    @property
    def via(self) -> str:
        """How the audit log names the change's maker."""
        return f"flask {self.command}"
