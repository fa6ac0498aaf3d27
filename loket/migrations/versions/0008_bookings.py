"""bookings: online booking slots and bookings (issue 13)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 21:05:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'booking_slots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_code', sa.String(length=60), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('priority_seats', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.Column('regular_taken', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('service_code', 'starts_at', name='uq_booking_slot_service_start'),
    )
    op.create_index('ix_booking_slots_day', 'booking_slots', ['day'], unique=False)
    op.create_table(
        'bookings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('service_code', sa.String(length=60), nullable=False),
        sa.Column('slot_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('release_at', sa.DateTime(), nullable=False),
        sa.Column('nik', sa.String(length=16), nullable=True),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('priority', sa.String(length=30), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('issuer', sa.String(length=80), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('checked_in_at', sa.DateTime(), nullable=True),
        sa.Column('released_at', sa.DateTime(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('purged_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['slot_id'], ['booking_slots.id']),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    op.create_index('ix_bookings_slot_id', 'bookings', ['slot_id'], unique=False)
    op.create_index('ix_bookings_day', 'bookings', ['day'], unique=False)
    op.create_index('ix_bookings_nik', 'bookings', ['nik'], unique=False)
    op.create_index('ix_booking_due', 'bookings', ['status', 'release_at'], unique=False)
    # One active booking per NIK and service: a partial unique index, the same on SQLite and PostgreSQL.
    op.create_index(
        'uq_booking_active_nik_service',
        'bookings',
        ['nik', 'service_code'],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('bookings')
    op.drop_table('booking_slots')
