"""Callers at the same time: staff_busy (who is on a help-line call), the wait queue on call,
and how long a caller waited on callback_request.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_busy',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('twilio_call_sid', sa.String(length=64), nullable=True),
    sa.Column('since', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('checked_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_busy_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_staff_busy')),
    sa.UniqueConstraint('reference', name=op.f('uq_staff_busy_reference'))
    )
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('queue_left_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('queue_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('queue_result', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_call_queued_at'), ['queued_at'], unique=False)
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_wait_seconds', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        batch_op.drop_column('queue_wait_seconds')
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_queued_at'))
        batch_op.drop_column('queue_result')
        batch_op.drop_column('queue_seconds')
        batch_op.drop_column('queue_left_at')
        batch_op.drop_column('queued_at')
    op.drop_table('staff_busy')
