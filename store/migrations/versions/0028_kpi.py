"""kpi: performance measures' figures and the narratives asked for them (docs/kpi.md).

Revision ID: 0028
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0028"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.String(length=48), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_kpi_figures_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["members.id"], name=op.f("fk_kpi_figures_entered_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_figures")),
        sa.UniqueConstraint("measure_id", "period", name="uq_kpi_figures_measure_period"),
    )
    op.create_table(
        "kpi_narratives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("figure_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("asked_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("thread_key", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("chased_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["members.id"], name=op.f("fk_kpi_narratives_answered_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["figure_id"], ["kpi_figures.id"], name=op.f("fk_kpi_narratives_figure_id_kpi_figures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_narratives")),
        sa.UniqueConstraint("figure_id", name=op.f("uq_kpi_narratives_figure_id")),
    )


def downgrade() -> None:
    op.drop_table("kpi_narratives")
    op.drop_table("kpi_figures")
