"""The staff counter page: log in, choose loket and role, call, scan and advance."""

from flask import Blueprint, render_template

from loket.core.roles import REGISTER_ROLES, Role
from loket.web.pages import office_name

bp = Blueprint("counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static")

#: Roles that always work at a hall counter: the desk offers them no back-office place.
HALL_ROLES = (Role.PELAYANAN, Role.PENDUKUNG)


@bp.get("/")
def desk():
    constants = {"hall_roles": list(HALL_ROLES), "register_roles": list(REGISTER_ROLES)}
    return render_template("counter/desk.html", office_name=office_name(), desk=constants)
