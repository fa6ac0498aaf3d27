"""Loket's Flask application factory and the one SocketIO object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask, jsonify, redirect, request, url_for
from flask_wtf.csrf import CSRFError

from loket.config import load_config
from loket.core.accounts import create_counter, create_user, list_counters, set_password
from loket.core.catalog import load_catalog
from loket.core.clock import Clock
from loket.core.errors import LoketError
from loket.core.qr import CodeSigner
from loket.core.service import Loket, Policy
from loket.core.settings import OfficeDefaults
from loket.core.store import Store
from loket.web import sockets as _sockets  # noqa: F401  registers the handlers before any init_app
from loket.web.extensions import csrf, limiter, login_manager, socketio

__all__ = ["create_app", "socketio"]


def create_app(
    config: dict[str, Any] | None = None, *, clock: Clock | None = None, instance_path: str | None = None
) -> Flask:
    """Build the app: configuration from the environment, then `config` on top."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)

    catalog = load_catalog(app.config["SOP_DIR"])  # a bad SOP file stops start-up here
    store = Store(app.config["DATABASE_URL"])
    app.extensions["loket"] = Loket(
        store,
        catalog,
        CodeSigner(app.config["SECRET_KEY"], app.config["OFFICE_ID"]),
        clock or Clock(app.config["TIMEZONE"]),
        Policy(
            priority_head_start_minutes=app.config["PRIORITY_HEAD_START_MINUTES"],
            calls_before_no_show=app.config["CALLS_BEFORE_NO_SHOW"],
        ),
        OfficeDefaults.from_config(app.config),
    )

    from loket.web.printing import Printers

    app.extensions["printers"] = printers = Printers(app.config)

    def _kiosk_printer(name: str) -> str | None:
        from loket.core.admin import get_device

        device = get_device(app.extensions["loket"], name, "kiosk")
        return device["printer"] if device else None

    printers.device_printer = _kiosk_printer

    from loket.hardware.voice import EspeakVoice, call_audio

    app.extensions["call_audio"] = call_audio(EspeakVoice(), Path(app.instance_path) / "voice")

    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    socketio.init_app(
        app,
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "loket"),
        async_mode="threading",
        cors_allowed_origins=None,
    )

    from loket.admin.routes import bp as admin_bp
    from loket.api.admin import bp as admin_api_bp
    from loket.api.routes import bp as api_bp
    from loket.counter.routes import bp as counter_bp
    from loket.display.routes import bp as display_bp
    from loket.kiosk.routes import bp as kiosk_bp
    from loket.reports.api import bp as reports_api_bp
    from loket.reports.routes import bp as reports_bp
    from loket.survey.routes import bp as survey_bp

    for bp in (api_bp, admin_api_bp, kiosk_bp, display_bp, counter_bp, admin_bp, reports_bp, reports_api_bp, survey_bp):
        app.register_blueprint(bp)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return jsonify(
            error="csrf", message="Sesi halaman kedaluwarsa. Muat ulang halaman. (Page session expired; reload.)"
        ), 400

    @app.errorhandler(429)
    def _rate_limited(exc):
        return jsonify(
            error="rate_limited", message="Terlalu banyak permintaan. Silakan tunggu sebentar. (Too many requests.)"
        ), 429

    @app.errorhandler(LoketError)
    def _domain_error(exc: LoketError):
        return jsonify(error=exc.code, message=exc.message), exc.status

    @app.route("/")
    def index():
        return redirect(url_for("kiosk.home"))

    @app.after_request
    def _no_store_for_api(response):
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    _register_cli(app)
    return app


def _register_cli(app: Flask) -> None:
    def loket() -> Loket:
        return app.extensions["loket"]

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database to the newest schema (Alembic)."""
        from loket.core.migrate import upgrade

        upgrade(app.config["DATABASE_URL"])
        click.echo(f"Database ready: {loket().store.engine.url.render_as_string(hide_password=True)}")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", "full_name", required=True, help="Full name shown to colleagues.")
    @click.option("--role", "roles", multiple=True, required=True, help="Role; repeat for several.")
    @click.password_option()
    def create_user_cmd(username: str, full_name: str, roles: tuple[str, ...], password: str) -> None:
        """Create a staff user with one or more roles."""
        user = create_user(loket().store, loket().clock, username, full_name, password, roles)
        click.echo(f"Created {user.username} with roles {', '.join(user.roles)}")

    @app.cli.command("set-password")
    @click.argument("username")
    @click.password_option()
    def set_password_cmd(username: str, password: str) -> None:
        """Reset a staff user's password."""
        set_password(loket().store, username, password)
        click.echo(f"Password changed for {username}")

    @app.cli.command("create-counter")
    @click.argument("name")
    @click.option("--number", type=int, required=True, help="The number read out in calls.")
    @click.option("--role", "roles", multiple=True, required=True)
    @click.option("--service", "services", multiple=True, help="Service codes; none means all.")
    @click.option("--zone", default=None)
    def create_counter_cmd(name: str, number: int, roles: tuple[str, ...], services: tuple[str, ...], zone) -> None:
        """Create a counter (loket) serving some roles and services."""
        counter = create_counter(loket().store, name, number, roles, services, zone)
        click.echo(f"Created {counter.name} (number {counter.number})")

    @app.cli.command("check-sops")
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

    @app.cli.command("demo-setup")
    def demo_setup() -> None:
        """Create demo counters and one demo officer per role (password: loket123), if absent."""
        from loket.core.demo import ensure_demo

        for line in ensure_demo(loket()):
            click.echo(line)

    @app.cli.command("purge-personal-data")
    def purge_cmd() -> None:
        """Delete applicants' names and NIKs older than the retention period (run daily from cron)."""
        from loket.core.admin import purge_personal_data

        n, days = purge_personal_data(loket(), None, app.config["PERSONAL_DATA_RETENTION_DAYS"])
        click.echo(f"Purged personal data of {n} berkas closed more than {days} days ago")

    @app.cli.command("list-counters")
    def list_counters_cmd() -> None:
        for c in list_counters(loket().store):
            click.echo(f"{c.id}\t{c.name}\t{c.number}\t{','.join(c.roles)}\t{','.join(c.services) or '*'}")
