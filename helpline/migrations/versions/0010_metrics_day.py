"""Figures from day rollups: metrics_day, one row per local day, and metrics_stale, the marks of
the days later changes made stale (issue 15, item 1).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
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
    sa.Column('basis', sa.String(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('refreshed_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_metrics_day'))
    )
    op.create_table('metrics_stale',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', helpline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metrics_stale'))
    )
    op.create_index(op.f('ix_metrics_stale_at'), 'metrics_stale', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_metrics_stale_at'), table_name='metrics_stale')
    op.drop_table('metrics_stale')
    op.drop_table('metrics_day')
