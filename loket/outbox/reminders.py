"""The reminder the day before a booking: `flask --app loket.app booking-reminders` (cron), and a tick inside
the server process that does the same every few minutes by day. Each booking's reminder is written once (its
message's idempotency key), so the command, the tick and several server processes may all run it.
"""

from __future__ import annotations

import threading
from datetime import date

import click
from flask import Flask
from flask.cli import with_appcontext

from loket.core.booking.operations import send_reminders
from loket.services import loket

#: The tick writes reminders from this local hour to the one before REMINDER_UNTIL_HOUR (no message at night).
REMINDER_FROM_HOUR = 8
REMINDER_UNTIL_HOUR = 20


@click.command("booking-reminders")
@click.option(
    "--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Bookings of this day (default: tomorrow)."
)
@with_appcontext
def booking_reminders(day: object) -> None:
    """Write the reminder of every booking of tomorrow (or --day) with a number or e-mail; never twice."""
    when: date | None = day.date() if day is not None else None  # type: ignore[attr-defined]
    written = send_reminders(loket(), when)
    click.echo(f"{written} pengingat ditulis ke outbox")


def tick(app: Flask, stop: threading.Event, every_seconds: float) -> None:
    """Every `every_seconds` by day: tomorrow's reminders (none twice)."""
    with app.app_context():
        while not stop.is_set():
            ctx = loket()
            try:
                if REMINDER_FROM_HOUR <= ctx.clock.local(ctx.clock.now()).hour < REMINDER_UNTIL_HOUR:
                    send_reminders(ctx)
            except Exception as exc:  # the database away for a moment: the next tick tries again
                app.logger.warning("booking reminders: %s", exc)
            stop.wait(every_seconds)


def start_tick(app: Flask) -> threading.Event:
    stop = threading.Event()
    every = float(app.config.get("BOOKING_REMINDER_TICK_SECONDS", 300))
    threading.Thread(target=tick, args=(app, stop, every), name="booking-reminders", daemon=True).start()
    return stop
