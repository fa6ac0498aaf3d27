"""The outbox's worker on the web side: inside the server process (embedded), or as its own command.

`flask --app loket.app outbox-worker` delivers until stopped (SIGTERM/SIGINT); several may run at once,
on PostgreSQL they share the outbox safely. With LOKET_OUTBOX_WORKER=embedded (the default) each server
process runs one in the background from its first request; LOKET_OUTBOX_WORKER=off does not, nor does a
test app unless its config sets OUTBOX_WORKER_IN_TESTS.

Channels (README, "Messages to residents"): rows for a phone number go to LOKET_OUTBOX_PHONE_CHANNEL
("http": the WhatsApp/SMS gateway at LOKET_OUTBOX_GATEWAY_URL; "sms": gammu-smsd's outbox folder
LOKET_OUTBOX_GAMMU_OUTBOX), rows for an e-mail address to SMTP (LOKET_OUTBOX_SMTP_HOST). A kind with no
channel configured waits in the outbox (the admin page counts them) and is never given up for that.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from loket.core.outbox.channels import GammuFiles, HttpGateway, Route, Routes, SmtpChannel
from loket.core.outbox.webhooks import WEBHOOK, WebhookSender
from loket.core.outbox.worker import OutboxPolicy, deliver_due, run
from loket.realtime.publish import publish
from loket.services import loket

from . import reminders
from . import routes as api_routes

#: What to set when nothing can be sent (the command's complaint).
NOTHING_SET = (
    "set LOKET_OUTBOX_GATEWAY_URL (WhatsApp/SMS gateway), LOKET_OUTBOX_GAMMU_OUTBOX (gammu-smsd) "
    "or LOKET_OUTBOX_SMTP_HOST (e-mail): there is no channel to deliver to"
)


def phone_channel_name(config: dict[str, Any]) -> str:
    """ "http", "sms" or "" (none): LOKET_OUTBOX_PHONE_CHANNEL, else whichever of the two is configured."""
    chosen = (config.get("OUTBOX_PHONE_CHANNEL") or "").strip().lower()
    if chosen:
        if chosen not in ("http", "sms", "none"):
            raise ValueError("LOKET_OUTBOX_PHONE_CHANNEL is http, sms or none")
        return "" if chosen == "none" else chosen
    if config.get("OUTBOX_GATEWAY_URL"):
        return "http"
    return "sms" if config.get("OUTBOX_GAMMU_OUTBOX") else ""


def route_names(config: dict[str, Any]) -> dict[str, str]:
    """kind -> channel name, as configured (for the admin page, without building the channels)."""
    names = {}
    if phone_channel_name(config):
        names["phone"] = phone_channel_name(config)
    if config.get("OUTBOX_SMTP_HOST"):
        names["email"] = "smtp"
    return names


def channels(config: dict[str, Any]) -> Routes | None:
    """The channels the configuration names, by outbox kind; None when there is none (messages wait).

    A channel named but not set up (LOKET_OUTBOX_PHONE_CHANNEL=sms without a folder) stops start-up."""
    by_kind: dict[str, Route] = {}
    phone = phone_channel_name(config)
    if phone == "http":
        if not config.get("OUTBOX_GATEWAY_URL"):
            raise ValueError("LOKET_OUTBOX_PHONE_CHANNEL=http needs LOKET_OUTBOX_GATEWAY_URL")
        gateway = HttpGateway(
            config["OUTBOX_GATEWAY_URL"],
            config.get("OUTBOX_GATEWAY_AUTH", ""),
            config.get("OUTBOX_GATEWAY_BODY", ""),
            float(config.get("OUTBOX_GATEWAY_TIMEOUT", 10)),
        )
        by_kind["phone"] = Route("http", gateway)
    elif phone == "sms":
        if not config.get("OUTBOX_GAMMU_OUTBOX"):
            raise ValueError("LOKET_OUTBOX_PHONE_CHANNEL=sms needs LOKET_OUTBOX_GAMMU_OUTBOX")
        sms = GammuFiles(
            config["OUTBOX_GAMMU_OUTBOX"],
            config.get("OUTBOX_GAMMU_SENT", ""),
            config.get("OUTBOX_GAMMU_ERROR", ""),
            config.get("OUTBOX_GAMMU_PRIORITY") or "C",
        )
        by_kind["phone"] = Route("sms", sms)
    if config.get("OUTBOX_SMTP_HOST"):
        mail = SmtpChannel(
            config["OUTBOX_SMTP_HOST"],
            int(config.get("OUTBOX_SMTP_PORT") or 587),
            config.get("OUTBOX_SMTP_FROM", ""),
            config.get("OUTBOX_SMTP_USER", ""),
            config.get("OUTBOX_SMTP_PASSWORD", ""),
            config.get("OUTBOX_SMTP_SECURITY") or "starttls",
            float(config.get("OUTBOX_SMTP_TIMEOUT") or 10),
        )
        by_kind["email"] = Route("smtp", mail)
    return Routes(by_kind) if by_kind else None


def policy(config: dict[str, Any]) -> OutboxPolicy:
    return OutboxPolicy(
        retry_base_seconds=float(config["OUTBOX_RETRY_BASE_SECONDS"]),
        retry_cap_seconds=float(config["OUTBOX_RETRY_CAP_SECONDS"]),
        max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
        lease_seconds=float(config["OUTBOX_LEASE_SECONDS"]),
        webhook_alert_failures=int(config.get("OUTBOX_WEBHOOK_ALERT_FAILURES") or 5),
        webhook_alert_minutes=float(config.get("OUTBOX_WEBHOOK_ALERT_MINUTES") or 30),
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def routes(app: Flask) -> Routes:
    """What the worker sends: webhooks always (outbox/webhooks.py); residents' messages by the channels
    configured (a kind with none waits, none is given up, until one is set). In an app context."""
    configured = channels(app.config)
    if configured is None:
        app.logger.info("outbox: no channel configured, messages to residents wait in the outbox")
    by_kind = dict(configured.by_kind) if configured else {}
    timeout = float(app.config.get("OUTBOX_GATEWAY_TIMEOUT", 10))
    by_kind[WEBHOOK] = Route(WEBHOOK, WebhookSender(loket(), timeout))
    return Routes(by_kind)


def deliver_forever(app: Flask, stop: threading.Event) -> None:
    """The worker's loop, in an app context (status links, alerts published to the staff pages)."""
    with app.app_context():
        gateway = routes(app)

        def publish_events(events: list[Any]) -> None:
            try:
                publish(events)
            except Exception:  # the alert is in the event log; the page sees it on its next load
                app.logger.exception("outbox: publishing an alert failed")

        run(
            loket(),
            gateway,
            worker_name(),
            policy(app.config),
            stop,
            poll_seconds=float(app.config["OUTBOX_POLL_SECONDS"]),
            publish=publish_events,
            on_error=lambda exc: app.logger.warning("outbox: round failed: %s", exc),
        )


@click.command("outbox-worker")
@click.option("--once", is_flag=True, help="Deliver one round of what is due, then stop.")
@with_appcontext
def outbox_worker(once: bool = False) -> None:
    """Deliver the messages to residents and the webhooks until stopped (SIGTERM or Ctrl-C); run one or more
    beside the server."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if channels(app.config) is None:
        click.echo(f"{NOTHING_SET}; delivering webhooks only, messages to residents wait")
    if once:
        done = deliver_due(loket(), routes(app), worker_name(), policy(app.config))
        click.echo(f"sent {done.sent}, to retry {done.retried}, failed {done.failed}")
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    click.echo(f"outbox worker {worker_name()} started")
    deliver_forever(app, stop)


def init_app(app: Flask) -> None:
    app.register_blueprint(api_routes.bp)
    channels(app.config)  # a channel named but not set up (or set up wrongly) stops start-up, not a send
    app.extensions["outbox_routes"] = route_names(app.config)  # kind -> channel name, for the admin page
    app.cli.add_command(outbox_worker)
    app.cli.add_command(reminders.booking_reminders)
    if app.config.get("OUTBOX_WORKER") != "embedded":
        return
    if app.config.get("TESTING") and not app.config.get("OUTBOX_WORKER_IN_TESTS"):
        return  # tests drive the worker themselves (loket.core.outbox.worker), unless they ask for it
    started = threading.Lock()
    state = {"running": False}

    @app.before_request
    def _start_embedded_worker() -> None:
        # On the first request, so each server process (after gunicorn's fork) gets its own, and
        # commands like `flask init-db` never start one.
        if state["running"]:
            return
        with started:
            if not state["running"]:
                state["running"] = True
                stop = threading.Event()
                app.extensions["outbox_stop"] = stop
                threading.Thread(target=deliver_forever, args=(app, stop), name="outbox", daemon=True).start()
                # The reminders the day before, written by day whether or not a gateway is set (they wait).
                app.extensions["reminders_stop"] = reminders.start_tick(app)
