"""disruptions: the office or one service in disruption (gangguan), issue 14

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 05:15:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'disruptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('service_code', sa.String(length=60), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('expected_back', sa.DateTime(), nullable=True),
        sa.Column('offers', sa.JSON(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('started_by', sa.Integer(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('ended_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['started_by'], ['users.id']),
        sa.ForeignKeyConstraint(['ended_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_disruption_open', 'disruptions', ['ended_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_disruption_open', table_name='disruptions')
    op.drop_table('disruptions')
