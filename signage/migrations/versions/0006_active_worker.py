"""the worker lease becomes the active worker's record: host, pid, since, last tick

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 14:30:00
"""

import sqlalchemy as sa
from alembic import op

import signage.models.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The old row only named a holder; the active worker writes the new one at its next tick.
    op.drop_table("worker_lease")
    op.create_table(
        "active_worker",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("since", signage.models.base.UTCDateTime(), nullable=False),
        sa.Column("last_tick_at", signage.models.base.UTCDateTime(), nullable=False),
        sa.Column("tick_s", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_active_worker")),
    )


def downgrade() -> None:
    op.drop_table("active_worker")
    op.create_table(
        "worker_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=80), nullable=False),
        sa.Column("expires_at", signage.models.base.UTCDateTime(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_worker_lease")),
    )
