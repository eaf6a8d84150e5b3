"""Blocked numbers (contract section 6): blocked_number, matched by a keyed hash of the number.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blocked_number',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number_hash', sa.String(length=64), nullable=False),
    sa.Column('number_hint', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('created_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.CheckConstraint('days BETWEEN 1 AND 365', name=op.f('ck_blocked_number_days_range')),
    sa.CheckConstraint('ends_at > created_at', name=op.f('ck_blocked_number_ends_after_start')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked_number'))
    )
    with op.batch_alter_table('blocked_number', schema=None) as batch_op:
        batch_op.create_index('ix_blocked_number_hash_ends', ['number_hash', 'ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_blocked_number_ends_at'), ['ends_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('blocked_number', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocked_number_ends_at'))
        batch_op.drop_index('ix_blocked_number_hash_ends')

    op.drop_table('blocked_number')
