"""Commands for whoever installs and runs the server: the database, the demo, checking the SOPs.

The office's own records (staff, counters, personal data) have their commands in loket.admin.cli.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from loket.core.demo import NOT_SEEDED, ensure_demo, pair_demo_kiosk
from loket.core.errors import LoketError
from loket.core.messages import Message, texts
from loket.core.migrate import upgrade
from loket.core.sites import jemput
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


@click.group("site")
def site() -> None:
    """Several sites on one hub (issue 16, docs/sites.md)."""


LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)


def _say(message: str, lang: str) -> str:
    return texts(message)[lang] if isinstance(message, Message) else message


def _at_hub() -> None:
    if not current_app.config.get("HUB"):
        raise click.ClickException("Run this at the hub (LOKET_HUB=1, DATABASE_URL a superuser's).")


@site.command("jemput-bola")
@click.argument("code")
@click.option("--name", required=True, help="The site's name, e.g. 'Jemput bola Kec. Cibeunying'.")
@click.option("--laptop", "laptop", required=True, help="libpq conninfo of the laptop's PostgreSQL on the LAN.")
@click.option("--hub", "hub", help="conninfo the laptop reaches the hub with (default: from DATABASE_URL).")
@click.option("--number", type=int, help="The site's number (default: the first free one).")
@click.option("--public-key", help="The laptop's Ed25519 public key (flask site key show there), if known.")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds to wait for the first sync.")
@LANG
@with_appcontext
def site_jemput_bola(
    code: str,
    name: str,
    laptop: str,
    hub: str | None,
    number: int | None,
    public_key: str | None,
    timeout: float,
    lang: str,
) -> None:
    """At the hub: make the laptop at --laptop jemput bola site CODE and wait until it has the hub's rules."""
    _at_hub()
    engine = loket().store.engine
    try:
        done = jemput.prepare_laptop(
            engine,
            code,
            name,
            laptop,
            hub or jemput.url_conninfo(engine.url),
            loket().clock.now(),
            number=number,
            public_key=public_key,
            timeout=timeout,
        )
    except LoketError as exc:
        raise click.ClickException(_say(exc.message, lang)) from None
    except (TimeoutError, OperationalError) as exc:
        raise click.ClickException(f"{exc}\ncheck the network and run the command again") from None
    for line in done.lines():
        click.echo(_say(line, lang))


@site.command("hand-in")
@click.argument("code")
@click.option("--laptop", "laptop", required=True, help="libpq conninfo of the laptop's PostgreSQL, where it is now.")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Seconds to wait for the hub.")
@LANG
@with_appcontext
def site_hand_in(code: str, laptop: str, timeout: float, lang: str) -> None:
    """At the hub: jemput bola site CODE is back at --laptop; wait until the hub has all of it, say what came."""
    _at_hub()
    try:
        done = jemput.hand_in(loket().store.engine, code, laptop, timeout=timeout)
    except LoketError as exc:
        raise click.ClickException(_say(exc.message, lang)) from None
    except (TimeoutError, OperationalError) as exc:
        raise click.ClickException(f"{exc}\ncheck the network and run the command again") from None
    for line in done.lines():
        click.echo(_say(line, lang))


def init_app(app: Flask) -> None:
    for command in (init_db, check_sops, demo_setup, site):
        app.cli.add_command(command)
