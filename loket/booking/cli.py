"""The booking's command: release the no-shows (run it every few minutes from cron or a timer)."""

from __future__ import annotations

import click
from flask import Flask

from loket.core.booking import operations as booking
from loket.services import loket


@click.command("release-no-shows")
def release_no_shows() -> None:
    """Release every unclaimed booking past its release time: a no-show for its NIK, the seat given back."""
    click.echo(f"released {booking.release_no_shows(loket())}")


def init_app(app: Flask) -> None:
    app.cli.add_command(release_no_shows)
