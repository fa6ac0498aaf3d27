"""report_days: per-day report summaries

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 17:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'report_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('timezone', sa.String(length=60), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('figures', sa.LargeBinary(), nullable=False),
        sa.Column('durations', sa.LargeBinary(), nullable=False),
        sa.Column('open_versions', sa.JSON(), nullable=False),
        sa.Column('open_figures', sa.LargeBinary(), nullable=False),
        sa.Column('open_durations', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('day'),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('report_days')
