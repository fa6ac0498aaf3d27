"""Commands for whoever installs and runs the server: the database, the demo, checking the SOPs.

The office's own records (staff, counters, personal data) have their commands in loket.admin.cli.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from loket.core.demo import NOT_SEEDED, ensure_demo, pair_demo_kiosk
from loket.core.migrate import upgrade
from loket.services import loket


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database to the newest schema (Alembic)."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo(f"Database ready: {loket().store.engine.url.render_as_string(hide_password=True)}")


@click.command("check-sops")
@with_appcontext
def check_sops() -> None:
    """Validate the SOP files and report totals that disagree with their steps."""
    for problem in loket().catalog_problems:
        click.echo(f"SKIPPED (stored office version invalid): {problem}")
    for sop in loket().catalog:
        flag = ""
        if sop.total_mismatch:
            flag = f"  MISMATCH: seed total {sop.seed_total_minutes} min, steps sum {sop.steps_total_minutes} min"
        draft = " (draft)" if sop.draft else ""
        click.echo(f"{sop.prefix} {sop.code}{draft}{flag}")


@click.command("demo-setup")
@click.option("--base", default="", help="The server's address, to print the demo kiosk's pairing link.")
@with_appcontext
def demo_setup(base: str) -> None:
    """Create demo counters, one demo officer per role (password: loket123) and a paired demo kiosk, once.

    On the first run only (an empty database): the demo kiosk's pairing link is printed then and never
    again, and nothing the office renamed or deleted comes back on a later run.
    """
    lines = list(ensure_demo(loket()))
    for line in lines:
        click.echo(line)
    if lines and lines[0] != NOT_SEEDED:
        code, url = pair_demo_kiosk(loket())
        click.echo(f"code {code}")
        click.echo(f"link {base.rstrip('/')}{url}#pair={code.replace(' ', '')}")


def init_app(app: Flask) -> None:
    for command in (init_db, check_sops, demo_setup):
        app.cli.add_command(command)
