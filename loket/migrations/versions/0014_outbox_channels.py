"""outbox_channels and outbox_channel_days: each channel's health and its daily count against the cap (issue 14)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-01 05:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'outbox_channels',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('last_success_at', sa.DateTime(), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('failing_since', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('name'),
    )
    op.create_table(
        'outbox_channel_days',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        sa.Column('capped_alerted', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('name', 'day'),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('outbox_channel_days')
    op.drop_table('outbox_channels')
