"""Commands for whoever installs and runs the server: the database, the demo, checking the SOPs.

The office's own records (staff, counters, personal data) have their commands in loket.admin.cli.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from loket.core.demo import NOT_SEEDED, ensure_demo, pair_demo_kiosk
from loket.core.migrate import upgrade
from loket.core.sites import keys
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


@site.group("key")
def site_key() -> None:
    """The key this site signs its codes with, and the sites' public keys that verify them."""


@site_key.command("show")
@with_appcontext
def site_key_show() -> None:
    """Print this site's public key (LOKET_SITE; its private key is made once in the instance folder).

    Only the key goes to standard output (for a script); register it at the hub with the command printed after it."""
    code = current_app.config["SITE"]
    public = loket().signer.keys.public_key if loket().signer.keys is not None else None
    if not code or public is None:
        raise click.ClickException("LOKET_SITE is not set: a single office signs its codes with SECRET_KEY only.")
    click.echo(public)
    click.echo(f"At the hub: flask site key set {code} {public}", err=True)


@site_key.command("set")
@click.argument("code")
@click.argument("key")
@click.option("--number", type=int, help="With --name: add the site to the register (at the hub) if it is not in it.")
@click.option("--name", help="The site's name, shown as 'Tiket dari <name>' at the other sites.")
@with_appcontext
def site_key_set(code: str, key: str, number: int | None, name: str | None) -> None:
    """Record site CODE's public KEY (from `flask site key show` there): the sites then verify its codes.

    At the hub, whose register every site receives. At a site, only by hand while cut off (the hub's copy replaces
    it): a site never adds a site to its register, the hub's row would clash with it."""
    create = None
    if number is not None or name is not None:
        if number is None or not name:
            raise click.UsageError("--number and --name go together.")
        if current_app.config["SITE"] and not current_app.config["HUB"]:
            raise click.ClickException("Sites are added at the hub: this server is a site (LOKET_SITE).")
        create = (number, name)
    try:
        added = keys.set_public_key(loket().store, code, key, create=create, now=loket().clock.now())
    except keys.BadKey as exc:
        raise click.BadParameter(str(exc)) from None
    except LookupError:
        raise click.ClickException(f"No site {code} in the register (add it with --number and --name).") from None
    click.echo(f"site {code}: {'added with' if added else 'public'} key {keys.public_text(keys.parse_public(key))}")


@site_key.command("remove")
@click.argument("code")
@with_appcontext
def site_key_remove(code: str) -> None:
    """Forget site CODE's public key: its codes are refused from now on (a lost laptop; it then makes a new key)."""
    try:
        keys.set_public_key(loket().store, code, None)
    except LookupError:
        raise click.ClickException(f"No site {code} in the register.") from None
    click.echo(f"site {code}: no key, its codes are refused")


@site_key.command("list")
@with_appcontext
def site_key_list() -> None:
    """The sites whose codes verify here, with their public keys."""
    for known in sorted(keys.known_sites(loket().store).values(), key=lambda k: k.code):
        click.echo(f"{known.code}\t{keys.public_text(known.key)}\t{known.name}")


def init_app(app: Flask) -> None:
    for command in (init_db, check_sops, demo_setup, site):
        app.cli.add_command(command)
