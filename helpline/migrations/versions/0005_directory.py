"""The directory of help services (service), views of the public map per service and day
(service_view), wrap-ups of answered live calls (call_wrap_up); the service a referred callback
named (callback_request.service_id).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_sv', sa.String(length=120), nullable=True),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_sv', sa.Text(), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('url', sa.String(length=300), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('area', sa.String(length=80), nullable=True),
    sa.Column('hours', sa.JSON(), nullable=True),
    sa.Column('open_on_holidays', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('code', name=op.f('uq_service_code'))
    )
    op.create_table('service_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_view_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_view')),
    sa.UniqueConstraint('service_id', 'day', name=op.f('uq_service_view_service_id_day'))
    )
    with op.batch_alter_table('service_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_view_day'), ['day'], unique=False)

    op.create_table('call_wrap_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=80), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_call_wrap_up_call_id_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_call_wrap_up_service_id_service'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_call_wrap_up_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_wrap_up')),
    sa.UniqueConstraint('call_id', name=op.f('uq_call_wrap_up_call_id'))
    )
    with op.batch_alter_table('call_wrap_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_wrap_up_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_wrap_up_service_id'), ['service_id'], unique=False)

    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_callback_request_service_id_service'), 'service', ['service_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_callback_request_service_id_service'), type_='foreignkey')
        batch_op.drop_column('service_id')

    with op.batch_alter_table('call_wrap_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_wrap_up_service_id'))
        batch_op.drop_index(batch_op.f('ix_call_wrap_up_at'))

    op.drop_table('call_wrap_up')
    with op.batch_alter_table('service_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_view_day'))

    op.drop_table('service_view')
    op.drop_table('service')
