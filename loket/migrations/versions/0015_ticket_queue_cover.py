"""tickets: the queue's index covers the queue's counts (issue 12)

ix_ticket_queue (state, current_role, queue_key) becomes ix_ticket_queue_cover (state, current_role,
queue_key, id, queued_at, service_code, target_counter_id): the same order for call next, and the
counts made per ticket and per board push (a new ticket's place, the waiting per service and role)
read only the index's entries instead of every waiting ticket's row.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 06:30:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COVER = ['state', 'current_role', 'queue_key', 'id', 'queued_at', 'service_code', 'target_counter_id']


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_ticket_queue_cover', 'tickets', COVER, unique=False)
    op.drop_index('ix_ticket_queue', table_name='tickets')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index('ix_ticket_queue', 'tickets', ['state', 'current_role', 'queue_key'], unique=False)
    op.drop_index('ix_ticket_queue_cover', table_name='tickets')
