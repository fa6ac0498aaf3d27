"""Alembic environment: the models' metadata, the URL from the caller or DATABASE_URL."""

import os
from pathlib import Path

from alembic import context

from loket.config import load_config
from loket.core.store import Base, make_engine

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Write the stored type (DateTime) for UTCDateTime, so migrations never import models."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime()"
    return False


def _url() -> str:
    """The caller's URL (the app, tests), else DATABASE_URL, else the app's embedded default (instance/)."""
    return (
        config.get_main_option("sqlalchemy.url")
        or os.environ.get("DATABASE_URL")
        or load_config(Path("instance").resolve())["DATABASE_URL"]
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, render_item=render_item
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
