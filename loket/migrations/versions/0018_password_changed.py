"""users.password_changed_at: a session opened before a password reset ends, at every site too (issue 16)

A site's staff sessions are its own (never replicated), so the hub cannot delete them when it resets a password;
the reset's time travels with the account instead, and a site ends the sessions opened before it.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-01 10:35:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('users') as batch:
        batch.drop_column('password_changed_at')
