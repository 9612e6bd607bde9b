"""named dayparts; schedule exception dates and daypart reference

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:40:00
"""

import sqlalchemy as sa
from alembic import op

import signage.models.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dayparts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("days", sa.String(length=20), nullable=True),
        sa.Column("time_from", sa.Time(), nullable=True),
        sa.Column("time_to", sa.Time(), nullable=True),
        sa.Column("created_at", signage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dayparts")),
        sa.UniqueConstraint("name", name=op.f("uq_dayparts_name")),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exdates", sa.JSON(), nullable=True))
    _add_daypart_reference()
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedules_daypart_id"), ["daypart_id"], unique=False)


def _add_daypart_reference() -> None:
    """schedules.daypart_id with its foreign key.

    SQLite cannot add a constraint to a table, and batch mode would copy ``schedules``: with
    foreign keys enforced, dropping the old table cascades into ``schedule_targets`` and loses
    every target. SQLite does accept a column with an inline REFERENCES clause, in place.
    """
    name = op.f("fk_schedules_daypart_id_dayparts")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE schedules ADD COLUMN daypart_id INTEGER "
            f"CONSTRAINT {name} REFERENCES dayparts (id)"
        )
        return
    op.add_column("schedules", sa.Column("daypart_id", sa.Integer(), nullable=True))
    op.create_foreign_key(name, "schedules", "dayparts", ["daypart_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedules_daypart_id"))
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            op.f("fk_schedules_daypart_id_dayparts"), "schedules", type_="foreignkey"
        )
    # SQLite cannot drop a column that a constraint names, so batch mode copies the table here:
    # run this downgrade with foreign keys off (see _add_daypart_reference), or targets are lost.
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_column("daypart_id")
        batch_op.drop_column("exdates")
    op.drop_table("dayparts")
