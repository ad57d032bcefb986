"""security: per-user session stamp, validation-run heartbeat

Revision ID: 0004_security
Revises: 0003_workspace
Create Date: 2026-12-03 07:00:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db  # noqa: F401  (column types used by autogenerate)


revision = '0004_security'
down_revision = '0003_workspace'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_stamp', sa.String(length=32), nullable=False, server_default=''))
    # Existing users get a random stamp each (their present sessions end once, at upgrade).
    op.execute("UPDATE user_account SET session_stamp = substr(md5(random()::text || id::text), 1, 32)"
               if op.get_bind().dialect.name == 'postgresql' else
               "UPDATE user_account SET session_stamp = lower(hex(randomblob(16)))")
    with op.batch_alter_table('validation_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', satudata.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('validation_run', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_stamp')
