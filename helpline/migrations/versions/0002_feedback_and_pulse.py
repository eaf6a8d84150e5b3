"""Caller feedback (feedback_request) and the staff wellbeing pulse (pulse_question, pulse_answer);
two indexes that let the metrics count a period's history and SMS per week from the index alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pulse_answer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey', sa.String(length=7), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_answer'))
    )
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_answer_survey'), ['survey'], unique=False)

    op.create_table('feedback_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('caller', sa.String(length=20), nullable=False),
    sa.Column('outbound_id', sa.Integer(), nullable=True),
    sa.Column('created_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('asked_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('answered_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['callback_id'], ['callback_request.id'], name=op.f('fk_feedback_request_callback_id_callback_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbound_id'], ['outbound_sms.id'], name=op.f('fk_feedback_request_outbound_id_outbound_sms'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_request')),
    sa.UniqueConstraint('callback_id', name=op.f('uq_feedback_request_callback_id'))
    )
    with op.batch_alter_table('feedback_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_request_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index('ix_feedback_request_caller_asked', ['caller', 'asked_at'], unique=False)

    op.create_table('pulse_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey', sa.String(length=7), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('outbound_id', sa.Integer(), nullable=True),
    sa.Column('asked_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['outbound_id'], ['outbound_sms.id'], name=op.f('fk_pulse_question_outbound_id_outbound_sms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_pulse_question_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_question')),
    sa.UniqueConstraint('survey', 'staff_id', name=op.f('uq_pulse_question_survey_staff_id'))
    )
    with op.batch_alter_table('pulse_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_question_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_question_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('callback_event', schema=None) as batch_op:
        batch_op.create_index('ix_callback_event_kind_at', ['kind', 'at', 'staff_id'], unique=False)

    with op.batch_alter_table('outbound_sms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_sms_created_at'))
        batch_op.create_index('ix_outbound_sms_created_at', ['created_at', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbound_sms', schema=None) as batch_op:
        batch_op.drop_index('ix_outbound_sms_created_at')
        batch_op.create_index(batch_op.f('ix_outbound_sms_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('callback_event', schema=None) as batch_op:
        batch_op.drop_index('ix_callback_event_kind_at')

    with op.batch_alter_table('pulse_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_question_staff_id'))
        batch_op.drop_index(batch_op.f('ix_pulse_question_asked_at'))

    op.drop_table('pulse_question')
    with op.batch_alter_table('feedback_request', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_request_caller_asked')
        batch_op.drop_index(batch_op.f('ix_feedback_request_asked_at'))

    op.drop_table('feedback_request')
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_answer_survey'))

    op.drop_table('pulse_answer')
