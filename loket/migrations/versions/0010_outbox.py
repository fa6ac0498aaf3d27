"""outbox_messages and tickets.phone: messages to residents, never lost, never twice (issue 14)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 03:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('phone', sa.String(length=20), nullable=True))
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=120), nullable=False),
        sa.Column('ordering_key', sa.String(length=80), nullable=False),
        sa.Column('moment', sa.String(length=30), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=True),
        sa.Column('text_id', sa.Text(), nullable=False),
        sa.Column('text_en', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id']),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('idempotency_key'),
    )
    op.create_index('ix_outbox_due', 'outbox_messages', ['state', 'next_attempt_at'], unique=False)
    op.create_index('ix_outbox_ordering', 'outbox_messages', ['ordering_key', 'id'], unique=False)
    op.create_index('ix_outbox_messages_ticket_id', 'outbox_messages', ['ticket_id'], unique=False)
    op.create_index('ix_outbox_messages_booking_id', 'outbox_messages', ['booking_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_outbox_messages_booking_id', table_name='outbox_messages')
    op.drop_index('ix_outbox_messages_ticket_id', table_name='outbox_messages')
    op.drop_index('ix_outbox_ordering', table_name='outbox_messages')
    op.drop_index('ix_outbox_due', table_name='outbox_messages')
    op.drop_table('outbox_messages')
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('phone')
