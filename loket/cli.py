"""Commands for whoever installs and runs the server: the database, the demo, checking the SOPs, the sites and hub.

The office's own records (staff, counters, personal data) have their commands in loket.admin.cli.
"""

from __future__ import annotations

import time

import click
import psycopg
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import DBAPIError, OperationalError

from loket.core.demo import NOT_SEEDED, ensure_demo, pair_demo_kiosk
from loket.core.errors import LoketError
from loket.core.messages import Message, _, texts
from loket.core.migrate import upgrade
from loket.core.sites import jemput, keys, replication, rules
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


# ---- several sites on one hub (issue 16, docs/sites.md) --------------------------------------------------------

hub_cli = AppGroup("hub", help="The hub that sees every site (docs/sites.md).")
site_cli = AppGroup("site", help="The sites of a kabupaten's Loket (docs/sites.md).")


def _sites_step(operation, *args, **kwargs):
    """Run one replication step; a refusal becomes a command-line error in the officer's words, and so does what the
    database answers (a site out of reach, a pg_hba.conf refusal, a role that is not a superuser): its first line."""
    try:
        return operation(loket().store.engine, *args, **kwargs)
    except LoketError as exc:
        raise click.ClickException(exc.message) from None
    except (DBAPIError, psycopg.Error) as exc:
        said = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(_("PostgreSQL menolak langkah ini: %(error)s", error=said)) from None


@hub_cli.command("init")
@click.option("--code", default=None, help="The hub's site code (default: LOKET_SITE, else 'hub').")
@click.option("--name", default="Dinas Kependudukan dan Pencatatan Sipil", help="The hub's name in the sites' list.")
@with_appcontext
def hub_init(code: str | None, name: str) -> None:
    """Make this database the hub: per-site uniqueness, the rules' publication, the hub in the sites' register."""
    done = _sites_step(replication.init_hub, code or current_app.config["SITE"] or "hub", name, loket().clock.now())
    # The office's own hours, quotas and booking rules become the hub's rules for every site (hub.* rows).
    with loket().store.transaction() as s:
        written = rules.publish_rules(s, loket().clock.now())
    click.echo(_("Hub '%(code)s' siap. Aturan diterbitkan sebagai publikasi loket_rules.", code=done.code))
    for key in written:
        click.echo(_("Aturan hub dibuat dari pengaturan kantor: %(key)s", key=key))
    for constraint in done.widened:
        click.echo(_("Keunikan per situs: %(name)s", name=constraint))


@site_cli.command("init")
@click.argument("code")
@click.option("--number", type=int, required=True, help="The site's number: its ids start at number * 10^12 + 1.")
@click.option("--hub-conninfo", default=None, help="libpq conninfo of the hub's database (no password: .pgpass).")
@click.option("--replace-rules", is_flag=True, help="Replace this database's accounts and SOPs by the hub's.")
@with_appcontext
def site_init(code: str, number: int, hub_conninfo: str | None, replace_rules: bool) -> None:
    """At the site: its ids in its range, its rows tagged, its publication, its subscription to the hub's rules."""
    configured = current_app.config["SITE"]
    if configured and configured != code:
        raise click.ClickException(
            _("LOKET_SITE server ini '%(configured)s', bukan '%(code)s'.", configured=configured, code=code)
        )
    done = _sites_step(replication.init_site, code, number, hub_conninfo, replace_rules=replace_rules)
    click.echo(
        _(
            "Situs '%(code)s' (nomor %(number)s) siap: id berikutnya %(next)s, %(tagged)s baris lama ditandai.",
            code=done.code,
            number=done.number,
            next=done.next_ids["tickets"],
            tagged=sum(done.tagged.values()),
        )
    )
    if done.subscribed:
        click.echo(_("Berlangganan aturan hub: %(name)s", name=replication.rules_subscription_name(code)))


@site_cli.command("add")
@click.argument("code")
@click.option("--number", type=int, required=True)
@click.option("--name", required=True, help="The site's name, e.g. 'Kecamatan Cibinong'.")
@click.option("--kind", type=click.Choice(replication.KINDS), default="kecamatan")
@click.option("--conninfo", required=True, help="libpq conninfo the hub reaches the site's database with.")
@with_appcontext
def site_add(code: str, number: int, name: str, kind: str, conninfo: str) -> None:
    """At the hub: register a site and subscribe to its rows (run `flask site init` at the site first)."""
    _sites_step(replication.add_site, code, number, name, kind, conninfo, loket().clock.now())
    click.echo(
        _(
            "Situs '%(code)s' ditambahkan; hub berlangganan %(name)s.",
            code=code,
            name=replication.subscription_name(code),
        )
    )


@site_cli.command("disable")
@click.argument("code")
@with_appcontext
def site_disable(code: str) -> None:
    """At the hub: stop receiving a site's rows for now (its slot keeps its WAL meanwhile)."""
    _sites_step(replication.set_site_active, code, False)
    click.echo(_("Situs '%(code)s' dinonaktifkan.", code=code))


@site_cli.command("enable")
@click.argument("code")
@with_appcontext
def site_enable(code: str) -> None:
    """At the hub: receive a disabled site's rows again."""
    _sites_step(replication.set_site_active, code, True)
    click.echo(_("Situs '%(code)s' diaktifkan.", code=code))


@site_cli.command("remove")
@click.argument("code")
@click.option("--keep-slot", is_flag=True, help="The site is out of reach: leave its slot there (drop it by hand).")
@with_appcontext
def site_remove(code: str, keep_slot: bool) -> None:
    """At the hub: stop replicating a site for good (its rows stay at the hub)."""
    _sites_step(replication.remove_site, code, keep_slot=keep_slot)
    click.echo(_("Situs '%(code)s' dilepas dari hub; barisnya tetap ada.", code=code))


@site_cli.command("resync")
@click.argument("code")
@with_appcontext
def site_resync(code: str) -> None:
    """At the hub: copy a site afresh after its slot was lost (a cut past max_slot_wal_keep_size)."""
    _sites_step(replication.resync_site, code)
    click.echo(_("Situs '%(code)s' disalin ulang dari awal.", code=code))


def _describe(link: replication.LinkStatus) -> str:
    lag = "-" if link.lag_seconds is None else f"{link.lag_seconds:.1f} s"
    retained = (
        ""
        if link.retained_bytes is None
        else f"\tWAL {link.retained_bytes / 2**20:.1f} MiB ({link.slot_wal_status}), {link.behind_bytes or 0} B behind"
    )
    line = f"{link.code}\t{link.state}\t{lag}\t{link.received_lsn or '-'}{retained}"
    if link.error == replication.COPY_ERROR:
        tables = ", ".join(link.error_tables) or "-"
        line += "\t" + _("gagal menyalin: %(tables)s", tables=tables)
        line += "\n  " + _(
            "Sebab umum: peran replikasi tanpa GRANT SELECT atas tabel itu di sisi pengirim, pg_hba.conf, atau tabel"
            " yang tidak ada di sini; pesannya ada di log PostgreSQL server ini."
        )
    elif link.error == replication.APPLY_ERROR:
        line += "\t" + _("gagal menerapkan perubahan (%(count)s galat)", count=link.apply_errors)
        line += "\n  " + _(
            "Sebab umum: baris bentrok (kunci unik) di sini, tabel atau kolom yang belum ada di sini (perbarui hub"
            " dulu), hak akses, atau slot yang hilang (flask site resync); pesannya ada di log PostgreSQL server ini."
        )
    return line


#: The longest `flask site status` waits for a second reading of the error counts.
RECHECK_AT_MOST = 30.0


def _read_twice(read):
    """Read the links; when some error count cannot be judged from one reading (replication.ErrorWatch), read again
    after a few of PostgreSQL's retries."""
    links = read()
    wait = max((x.recheck_after for x in links if not x.settled), default=0.0)
    if wait:
        wait = min(wait, RECHECK_AT_MOST)
        click.echo(_("Galat replikasi tercatat; membaca lagi dalam %(seconds)s detik.", seconds=round(wait)), err=True)
        time.sleep(wait)
        links = read()
    return links


@site_cli.command("status")
@with_appcontext
def site_status() -> None:
    """At the hub: every site's link state and lag. At a site: its link to the hub's rules and the WAL kept here."""
    if current_app.config["HUB"]:
        links = _read_twice(lambda: _sites_step(replication.hub_status, ask_sites=True))
        if not links:
            click.echo(_("Belum ada situs."))
        for link in links:
            click.echo(_describe(link))
        return
    code = current_app.config["SITE"]
    if not code:
        raise click.ClickException(_("Server ini bukan situs (LOKET_SITE kosong) dan bukan hub (LOKET_HUB)."))
    (link,) = _read_twice(lambda: [_sites_step(replication.site_status, code)])
    click.echo(_describe(link))


LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)


def _say(message: str, lang: str) -> str:
    return texts(message)[lang] if isinstance(message, Message) else message


@site_cli.group("key")
def site_key() -> None:
    """The key this site signs its codes with, and the sites' public keys that verify them."""


@site_key.command("show")
@LANG
@with_appcontext
def site_key_show(lang: str) -> None:
    """Print this site's public key (LOKET_SITE; its private key is made once in the instance folder).

    Only the key goes to standard output (for a script); register it at the hub with the command printed after it."""
    code = current_app.config["SITE"]
    public = loket().signer.keys.public_key if loket().signer.keys is not None else None
    if not code or public is None:
        raise click.ClickException(
            _say(_("LOKET_SITE belum diatur: kantor tunggal menandatangani kodenya dengan SECRET_KEY saja."), lang)
        )
    click.echo(public)
    click.echo(_say(_("Di hub: flask site key set %(code)s %(key)s", code=code, key=public), lang), err=True)


@site_key.command("set")
@click.argument("code")
@click.argument("key")
@click.option("--number", type=int, help="With --name: add the site to the register (at the hub) if it is not in it.")
@click.option("--name", help="The site's name, shown as 'Tiket dari <name>' at the other sites.")
@LANG
@with_appcontext
def site_key_set(code: str, key: str, number: int | None, name: str | None, lang: str) -> None:
    """Record site CODE's public KEY (from `flask site key show` there): the sites then verify its codes.

    At the hub, whose register every site receives. At a site, only by hand while cut off (the hub's copy replaces
    it): a site never adds a site to its register, the hub's row would clash with it."""
    create = None
    if number is not None or name is not None:
        if number is None or not name:
            raise click.UsageError(_say(_("--number dan --name diberikan bersama."), lang))
        if current_app.config["SITE"] and not current_app.config["HUB"]:
            raise click.ClickException(_say(_("Situs ditambahkan di hub: server ini sebuah situs (LOKET_SITE)."), lang))
        create = (number, name)
    try:
        added = keys.set_public_key(loket().store, code, key, create=create, now=loket().clock.now())
    except keys.BadKey as exc:
        raise click.BadParameter(_say(exc.args[0], lang)) from None
    except LookupError:
        raise click.ClickException(
            _say(_("Situs %(code)s tidak ada di daftar situs (tambahkan dengan --number dan --name).", code=code), lang)
        ) from None
    shown = keys.public_text(keys.parse_public(key))
    said = (
        _("situs %(code)s: ditambahkan dengan kunci %(key)s", code=code, key=shown)
        if added
        else _("situs %(code)s: kunci publik %(key)s", code=code, key=shown)
    )
    click.echo(_say(said, lang))


@site_key.command("remove")
@click.argument("code")
@LANG
@with_appcontext
def site_key_remove(code: str, lang: str) -> None:
    """Forget site CODE's public key: its codes are refused from now on (a lost laptop; it then makes a new key)."""
    try:
        keys.set_public_key(loket().store, code, None)
    except LookupError:
        raise click.ClickException(_say(_("Situs %(code)s tidak ada di daftar situs.", code=code), lang)) from None
    click.echo(_say(_("situs %(code)s: tanpa kunci, kodenya ditolak", code=code), lang))


@site_key.command("list")
@with_appcontext
def site_key_list() -> None:
    """The sites whose codes verify here, with their public keys."""
    for known in sorted(keys.known_sites(loket().store).values(), key=lambda k: k.code):
        click.echo(f"{known.code}\t{keys.public_text(known.key)}\t{known.name}")


# ---- jemput bola (docs/sites.md, "Jemput bola") ---------------------------------------------------------------


def _at_hub() -> None:
    if not current_app.config.get("HUB"):
        raise click.ClickException("Run this at the hub (LOKET_HUB=1, DATABASE_URL a superuser's).")


@site_cli.command("jemput-bola")
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


@site_cli.command("hand-in")
@click.argument("code")
@click.option("--laptop", "laptop", required=True, help="libpq conninfo of the laptop's PostgreSQL, where it is now.")
@click.option("--hub", "hub", help="On the laptop: the hub's conninfo (a superuser's, its password in ~/.pgpass).")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Seconds to wait for the hub.")
@LANG
@with_appcontext
def site_hand_in(code: str, laptop: str, hub: str | None, timeout: float, lang: str) -> None:
    """Jemput bola site CODE is back at --laptop; wait until the hub has all of it, say what came.

    At the hub (LOKET_HUB=1), or on the laptop itself with --hub."""
    if hub is None:
        _at_hub()
        engine = loket().store.engine
    else:
        if current_app.config["SITE"] != code:
            raise click.ClickException(f"On the laptop LOKET_SITE is {current_app.config['SITE']!r}, not {code!r}.")
        try:
            engine = jemput.engine_for(jemput.replication.check_conninfo(hub))
        except LoketError as exc:
            raise click.ClickException(_say(exc.message, lang)) from None
    try:
        done = jemput.hand_in(engine, code, laptop, timeout=timeout)
    except LoketError as exc:
        raise click.ClickException(_say(exc.message, lang)) from None
    except (TimeoutError, OperationalError) as exc:
        raise click.ClickException(f"{exc}\ncheck the network and run the command again") from None
    finally:
        if hub is not None:
            engine.dispose()
    for line in done.lines():
        click.echo(_say(line, lang))


def init_app(app: Flask) -> None:
    for command in (init_db, check_sops, demo_setup, hub_cli, site_cli):
        app.cli.add_command(command)
