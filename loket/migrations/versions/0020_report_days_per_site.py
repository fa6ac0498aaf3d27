"""report_days per site: the summaries keyed by (site, day), with the rows they counted (issue 16)

At the hub the tagged tables hold every site's rows, and a site cut off for days delivers a closed day's rows late:
a day's summary is kept per site and remembers how many tickets of that site and day it counted and the largest id
among them, so late rows make it again (loket/core/reports/days.py). The table is a cache: it is made again empty
(every report sums its days again on first use). An index on tickets (service_day, site, id) lets the reports check
what each site's day counts without reading the tickets' rows.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-01 10:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0020'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _columns() -> list[sa.Column]:
    return [
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('timezone', sa.String(length=60), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('figures', sa.LargeBinary(), nullable=False),
        sa.Column('durations', sa.LargeBinary(), nullable=False),
        sa.Column('open_versions', sa.JSON(), nullable=False),
        sa.Column('open_figures', sa.LargeBinary(), nullable=False),
        sa.Column('open_durations', sa.LargeBinary(), nullable=False),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.drop_table('report_days')
    op.create_table(
        'report_days',
        sa.Column('site', sa.String(length=20), server_default='', nullable=False),
        *_columns(),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.Column('last_ticket_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.PrimaryKeyConstraint('site', 'day'),
    )
    # What each site and day counts, read from the index alone (a year: ~80 ms instead of ~400 ms on SQLite).
    op.create_index('ix_ticket_day_site', 'tickets', ['service_day', 'site', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_ticket_day_site', table_name='tickets')
    op.drop_table('report_days')
    op.create_table('report_days', *_columns(), sa.PrimaryKeyConstraint('day'))
