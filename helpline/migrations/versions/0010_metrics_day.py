"""Figures from day rollups: metrics_day, one row per local day (issue 15, item 1).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('metrics_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('layout', sa.Integer(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('refreshed_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_metrics_day'))
    )


def downgrade() -> None:
    op.drop_table('metrics_day')
