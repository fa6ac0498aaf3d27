"""sites: rows tagged by site, 64-bit ids on PostgreSQL, the sites' register (issue 16)

Every row that crosses sites (tickets, step visits, events, survey answers, booking slots and bookings, counters,
disruptions) gets a `site` column ('' for a single office; at a site its database default is the site's code, set by
`flask site init`). On PostgreSQL their ids (and the columns pointing at them) become BIGINT and their sequences
`AS bigint`, so each site can number its rows in a range of its own. SQLite's INTEGER is 64-bit already.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 10:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TAGGED = ['tickets', 'step_visits', 'events', 'survey_responses', 'booking_slots', 'bookings', 'counters', 'disruptions']
#: (table, column) pointing at a tagged row's id.
POINTERS = [
    ('tickets', 'counter_id'),
    ('tickets', 'target_counter_id'),
    ('step_visits', 'ticket_id'),
    ('step_visits', 'counter_id'),
    ('events', 'ticket_id'),
    ('events', 'counter_id'),
    ('applicants', 'ticket_id'),
    ('bookings', 'slot_id'),
    ('bookings', 'ticket_id'),
    ('outbox_messages', 'ticket_id'),
    ('outbox_messages', 'booking_id'),
]


def upgrade() -> None:
    """Upgrade schema."""
    for table in TAGGED:
        op.add_column(table, sa.Column('site', sa.String(length=20), server_default='', nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        for table in TAGGED:
            op.alter_column(table, 'id', type_=sa.BigInteger(), existing_type=sa.Integer())
            op.execute(f'ALTER SEQUENCE {table}_id_seq AS bigint')
        for table, column in POINTERS:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())
    op.create_table(
        'sites',
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('conninfo', sa.Text(), nullable=True),
        sa.Column('public_key', sa.String(length=64), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('code'),
        sa.UniqueConstraint('number'),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('sites')
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in POINTERS:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
        for table in TAGGED:
            op.execute(f'ALTER SEQUENCE {table}_id_seq AS integer')
            op.alter_column(table, 'id', type_=sa.Integer(), existing_type=sa.BigInteger())
    for table in TAGGED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('site')
