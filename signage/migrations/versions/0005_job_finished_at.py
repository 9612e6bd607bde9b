"""job runs record when they finished, so a run cut short is run again (a few times at most)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 15:40:00
"""

import sqlalchemy as sa
from alembic import op

import signage.models.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "job_state", sa.Column("finished_at", signage.models.base.UTCDateTime(), nullable=True)
    )
    op.add_column(
        "job_state",
        sa.Column("interrupted_runs", sa.Integer(), server_default="0", nullable=False),
    )
    # Runs recorded before this column existed had finished (the old runner did not say).
    op.execute("UPDATE job_state SET finished_at = last_run_at")


def downgrade() -> None:
    op.drop_column("job_state", "interrupted_runs")
    op.drop_column("job_state", "finished_at")
