"""used_challenges: each solved booking challenge books once (replay protection, issue 13)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 02:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'used_challenges',
        sa.Column('challenge', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('challenge'),
    )
    op.create_index('ix_used_challenges_expires_at', 'used_challenges', ['expires_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_used_challenges_expires_at', table_name='used_challenges')
    op.drop_table('used_challenges')
