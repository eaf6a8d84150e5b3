"""Conversations by text: callback_request.channel (voice, sms, chat) and conversation_message.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('conversation_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sender', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('via', sa.String(length=8), nullable=True),
    sa.Column('inbound_sms_id', sa.Integer(), nullable=True),
    sa.Column('outbound_sms_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('scrubbed_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['callback_id'], ['callback_request.id'], name=op.f('fk_conversation_message_callback_id_callback_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inbound_sms_id'], ['inbound_sms.id'], name=op.f('fk_conversation_message_inbound_sms_id_inbound_sms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbound_sms_id'], ['outbound_sms.id'], name=op.f('fk_conversation_message_outbound_sms_id_outbound_sms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_conversation_message_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_message')),
    sa.UniqueConstraint('inbound_sms_id', name=op.f('uq_conversation_message_inbound_sms_id')),
    sa.UniqueConstraint('outbound_sms_id', name=op.f('uq_conversation_message_outbound_sms_id'))
    )
    with op.batch_alter_table('conversation_message', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_message_unforwarded', ['callback_id', 'sender', 'forwarded_at'], unique=False)

    # Every callback so far was left by a call.
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=8), server_default='voice', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        batch_op.drop_column('channel')

    with op.batch_alter_table('conversation_message', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_message_unforwarded')

    op.drop_table('conversation_message')
