"""webhook_subscriptions: each subscription's delivery health, for the admin's alert (issue 14)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 10:15:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: Union[str, Sequence[str], None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('webhook_subscriptions') as batch:
        batch.add_column(sa.Column('failures', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('failing_since', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('alerted_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('last_success_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('last_failure_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('webhook_subscriptions') as batch:
        for name in ('last_error', 'last_failure_at', 'last_success_at', 'alerted_at', 'failing_since', 'failures'):
            batch.drop_column(name)
