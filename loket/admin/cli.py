"""The admin's operations from the server's shell: staff, counters, the personal-data purge.

Each command calls the same validated, audited operation as the admin pages (loket.core.admin),
as `CommandLine(<command>)`: the audit log names the command, since there may be no admin account
yet. Invalid input is refused with the same problems the pages show, and nothing is saved.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from loket.core import admin as ops
from loket.core.accounts import list_counters
from loket.core.errors import LoketError
from loket.core.messages import _
from loket.core.roles import CommandLine
from loket.services import loket


def _run(operation, *args):
    """Run one operation; a refusal becomes a command-line error listing every problem."""
    try:
        return operation(*args)
    except LoketError as exc:
        lines = [exc.message] + [f"  {p['field']}: {p['message']}" for p in getattr(exc, "problems", [])]
        raise click.ClickException("\n".join(lines)) from None


@click.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name shown to colleagues.")
@click.option("--role", "roles", multiple=True, required=True, help="Role; repeat for several.")
@click.password_option()
@with_appcontext
def create_user(username: str, full_name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a staff user with one or more roles."""
    data = {"username": username, "full_name": full_name, "roles": list(roles), "password": password}
    user, _events = _run(ops.create_staff, loket(), CommandLine("create-user"), data)
    click.echo(f"Created {user['username']} with roles {', '.join(user['roles'])}")


@click.command("set-password")
@click.argument("username")
@click.password_option()
@with_appcontext
def set_password(username: str, password: str) -> None:
    """Reset a staff user's password."""
    user = next((u for u in ops.list_users(loket()) if u["username"] == username), None)
    if user is None:
        raise click.ClickException(_("Pengguna '%(username)s' tidak ada.", username=username))
    _run(ops.reset_password, loket(), CommandLine("set-password"), user["id"], password)
    click.echo(f"Password changed for {username}")


@click.command("create-counter")
@click.argument("name")
@click.option("--number", type=int, required=True, help="The number read out in calls.")
@click.option("--role", "roles", multiple=True, required=True)
@click.option("--service", "services", multiple=True, help="Service codes; none means all.")
@click.option("--zone", default=None)
@with_appcontext
def create_counter(name: str, number: int, roles: tuple[str, ...], services: tuple[str, ...], zone) -> None:
    """Create a counter (loket) serving some roles and services."""
    data = {"name": name, "number": number, "roles": list(roles), "services": list(services), "zone": zone}
    counter, _events = _run(ops.save_counter, loket(), CommandLine("create-counter"), data)
    click.echo(f"Created {counter['name']} (number {counter['number']})")


@click.command("list-counters")
@with_appcontext
def list_counters_cmd() -> None:
    """Every counter: id, name, number, roles and services (* = all)."""
    for c in list_counters(loket().store):
        click.echo(f"{c.id}\t{c.name}\t{c.number}\t{','.join(c.roles)}\t{','.join(c.services) or '*'}")


@click.command("purge-personal-data")
@with_appcontext
def purge_personal_data() -> None:
    """Delete applicants' names and NIKs older than the retention period (run daily from cron)."""
    n, days = ops.purge_personal_data(loket(), CommandLine("purge-personal-data"))
    click.echo(f"Purged personal data of {n} berkas closed more than {days} days ago")


@click.command("pair-kiosk")
@click.argument("name")
@click.option(
    "--base", default="", help="The server's address to print the kiosk's full link, e.g. http://10.0.0.5:5000."
)
@with_appcontext
def pair_kiosk(name: str, base: str) -> None:
    """Register the kiosk NAME if it is not yet, and pair it: prints its new code (shown once) and its link.

    Open the link once on the kiosk (or type the code in its staff panel); a code printed before stops working.
    """
    device = ops.get_device(loket(), name, "kiosk")
    if device is None:
        device, _events = _run(ops.save_device, loket(), CommandLine("pair-kiosk"), {"kind": "kiosk", "name": name})
    code, device, _events = _run(ops.pair_device, loket(), CommandLine("pair-kiosk"), device["id"])
    click.echo(f"code {code}")
    click.echo(f"link {base.rstrip('/')}{device['url']}#pair={code.replace(' ', '')}")


def init_app(app: Flask) -> None:
    commands = (create_user, set_password, create_counter, list_counters_cmd, purge_personal_data, pair_kiosk)
    for command in commands:
        app.cli.add_command(command)
