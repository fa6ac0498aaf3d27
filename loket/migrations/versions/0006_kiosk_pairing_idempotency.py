"""kiosk pairing tokens, ticket issuer and idempotency key

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30 14:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('paired_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint('uq_devices_token_hash', ['token_hash'])

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint('uq_ticket_day_issuer_key', ['service_day', 'issuer', 'idempotency_key'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ticket_day_issuer_key', type_='unique')
        batch_op.drop_column('idempotency_key')
        batch_op.drop_column('issuer')

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_constraint('uq_devices_token_hash', type_='unique')
        batch_op.drop_column('paired_at')
        batch_op.drop_column('token_hash')
