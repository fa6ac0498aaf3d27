"""webhook_subscriptions, and webhook deliveries in outbox_messages: signed events to other systems (issue 14)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 05:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'webhook_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('secret', sa.String(length=120), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('subscription_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('payload', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('last_status', sa.Integer(), nullable=True))
        batch.create_foreign_key('outbox_messages_subscription_id_fkey', 'webhook_subscriptions', ['subscription_id'], ['id'])
        batch.create_index('ix_outbox_messages_subscription_id', ['subscription_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_index('ix_outbox_messages_subscription_id')
        batch.drop_constraint('outbox_messages_subscription_id_fkey', type_='foreignkey')
        batch.drop_column('last_status')
        batch.drop_column('payload')
        batch.drop_column('subscription_id')
    op.drop_table('webhook_subscriptions')
