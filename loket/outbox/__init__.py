"""The outbox's worker on the web side: inside the server process (embedded), or as its own command.

`flask --app loket.app outbox-worker` delivers until stopped (SIGTERM/SIGINT); several may run at once,
on PostgreSQL they share the outbox safely. With LOKET_OUTBOX_WORKER=embedded (the default) each server
process runs one in the background from its first request; LOKET_OUTBOX_WORKER=off does not, nor does a
test app unless its config sets OUTBOX_WORKER_IN_TESTS.
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

from loket.core.outbox.channels import Channel, HttpGateway
from loket.core.outbox.worker import OutboxPolicy, run
from loket.realtime.publish import publish
from loket.services import loket

from . import reminders


def channel(config: dict[str, Any]) -> Channel | None:
    """The channel the configuration names; None when there is none (messages wait in the outbox)."""
    if not config.get("OUTBOX_GATEWAY_URL"):
        return None
    return HttpGateway(
        config["OUTBOX_GATEWAY_URL"],
        config.get("OUTBOX_GATEWAY_AUTH", ""),
        config.get("OUTBOX_GATEWAY_BODY", ""),
        float(config.get("OUTBOX_GATEWAY_TIMEOUT", 10)),
    )


def policy(config: dict[str, Any]) -> OutboxPolicy:
    return OutboxPolicy(
        retry_base_seconds=float(config["OUTBOX_RETRY_BASE_SECONDS"]),
        retry_cap_seconds=float(config["OUTBOX_RETRY_CAP_SECONDS"]),
        max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
        lease_seconds=float(config["OUTBOX_LEASE_SECONDS"]),
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def deliver_forever(app: Flask, stop: threading.Event) -> None:
    """The worker's loop, in an app context (status links, alerts published to the staff pages)."""
    gateway = channel(app.config)
    if gateway is None:  # nothing to send with: the messages wait, none is given up, until a gateway is set
        app.logger.info("outbox: no LOKET_OUTBOX_GATEWAY_URL, messages wait in the outbox")
        return
    with app.app_context():

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
@with_appcontext
def outbox_worker() -> None:
    """Deliver the messages to residents until stopped (SIGTERM or Ctrl-C); run one or more beside the server."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if channel(app.config) is None:
        raise click.ClickException("set LOKET_OUTBOX_GATEWAY_URL: there is no gateway to deliver to")
    click.echo(f"outbox worker {worker_name()} started")
    deliver_forever(app, stop)


def init_app(app: Flask) -> None:
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
