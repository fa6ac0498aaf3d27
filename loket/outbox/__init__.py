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
from loket.core.outbox.webhooks import WEBHOOK, Routed, WebhookSender
from loket.core.outbox.worker import OutboxPolicy, deliver_due, run
from loket.realtime.publish import publish
from loket.services import loket


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


def routes(app: Flask) -> Routed:
    """What the worker sends: webhooks always; residents' messages when a gateway is configured (else they wait,
    none is given up, until one is set)."""
    named: dict[str, Channel] = {WEBHOOK: WebhookSender(loket(), float(app.config.get("OUTBOX_GATEWAY_TIMEOUT", 10)))}
    gateway = channel(app.config)
    if gateway is not None:
        named["phone"] = gateway
    else:
        app.logger.info("outbox: no LOKET_OUTBOX_GATEWAY_URL, messages to residents wait in the outbox")
    return Routed(named)


def deliver_forever(app: Flask, stop: threading.Event) -> None:
    """The worker's loop, in an app context (status links, alerts published to the staff pages)."""
    with app.app_context():
        senders = routes(app)

        def publish_events(events: list[Any]) -> None:
            try:
                publish(events)
            except Exception:  # the alert is in the event log; the page sees it on its next load
                app.logger.exception("outbox: publishing an alert failed")

        run(
            loket(),
            senders,
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
    if channel(app.config) is None:
        click.echo("no LOKET_OUTBOX_GATEWAY_URL: delivering webhooks only, messages to residents wait")
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
    app.cli.add_command(outbox_worker)
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
