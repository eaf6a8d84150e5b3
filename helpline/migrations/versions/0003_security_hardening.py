"""Sessions that end on the server, and API tokens that belong to someone.

- web_login.session_generation: moved on by signing out, a new password and "sign out
  everywhere"; a session cookie from an older generation is refused.
- api_token.staff_id: the staff member a token belongs to. A staff token closes only that
  person's callbacks; tokens made before (staff_id NULL) keep working, staff ones read-only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('web_login', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_token_staff_id'), ['staff_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_api_token_staff_id_staff'), 'staff', ['staff_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_staff_id_staff'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_token_staff_id'))
        batch_op.drop_column('staff_id')

    with op.batch_alter_table('web_login', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
