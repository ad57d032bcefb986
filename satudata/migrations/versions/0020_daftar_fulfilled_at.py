"""When a Daftar Data item's data became public, where not its dataset's first publication

Revision ID: 0020_daftar_fulfilled_at
Revises: 0019_sipd
Create Date: 2026-12-05 00:10:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0020_daftar_fulfilled_at'
down_revision = '0019_sipd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('daftar_data_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fulfilled_at', satudata.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('daftar_data_item', schema=None) as batch_op:
        batch_op.drop_column('fulfilled_at')
