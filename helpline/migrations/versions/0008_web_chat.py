"""Web chat: chat_visitor, the browser that holds a chat conversation (its secret, hashed).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import helpline.models.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_visitor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', helpline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', helpline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['callback_id'], ['callback_request.id'], name=op.f('fk_chat_visitor_callback_id_callback_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_visitor')),
    sa.UniqueConstraint('callback_id', name=op.f('uq_chat_visitor_callback_id'))
    )


def downgrade() -> None:
    op.drop_table('chat_visitor')
