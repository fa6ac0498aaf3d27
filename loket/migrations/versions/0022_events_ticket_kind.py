"""events: an index on (ticket_id, kind), for a berkas's events of a kind; report_days' durations uncompressed on PostgreSQL (issue 12)

Today's report reads the pended events of today's berkas (loket/core/reports/days.py, `live_parts`); without an
index on ticket_id every `ticket.pended` event there ever was is read (~12 ms on a year of a busy office, growing
with the history; 0.4 ms with it).

And on PostgreSQL the report summaries' durations are stored uncompressed (STORAGE EXTERNAL): they hardly compress
(41 MB to 23 MB for a year), and a year's report had the server decompress all of them each time (~70 ms of wall
time). Summaries stored before keep their compressed values until they are stored again (each summary of format 2 is
stored again, in format 3, by the first report that reads it).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 13:20:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_events_ticket_kind', 'events', ['ticket_id', 'kind'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'ALTER TABLE report_days ALTER COLUMN durations SET STORAGE EXTERNAL,'
            ' ALTER COLUMN open_durations SET STORAGE EXTERNAL'
        )


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'ALTER TABLE report_days ALTER COLUMN durations SET STORAGE EXTENDED,'
            ' ALTER COLUMN open_durations SET STORAGE EXTENDED'
        )
    op.drop_index('ix_events_ticket_kind', table_name='events')
