"""layout bundle resources and rendition render keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("layouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resources", sa.JSON(), nullable=True))
    with op.batch_alter_table("renditions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("render_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_renditions_render_key"), ["render_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("renditions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_renditions_render_key"))
        batch_op.drop_column("render_key")
    with op.batch_alter_table("layouts", schema=None) as batch_op:
        batch_op.drop_column("resources")
