"""board transition setting; the uptime reported by the last heartbeat

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on every database: batch mode would copy ``boards`` on SQLite, and with
    # foreign keys enforced dropping the old table cascades into schedules, plays and pairings.
    op.add_column(
        "boards",
        sa.Column("transition", sa.String(length=16), server_default="cut", nullable=False),
    )
    op.add_column("boards", sa.Column("uptime_s", sa.Integer(), nullable=True))
    # Cached manifests were built without board.transition; dropping them makes the next poll
    # (or the worker) rebuild each one, so every player sees the field and a new version.
    op.execute("DELETE FROM manifests")


def downgrade() -> None:
    # SQLite drops a column in place since 3.35, as long as no index or constraint names it.
    op.drop_column("boards", "uptime_s")
    op.drop_column("boards", "transition")
    op.execute("DELETE FROM manifests")
