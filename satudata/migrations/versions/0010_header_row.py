"""header row: the spreadsheet row a producer named as the column titles (None: found by the
portal under a title block), kept with the resource and with each of its earlier files

Revision ID: 0010_header_row
Revises: 0009_public_uuids
Create Date: 2026-12-03 18:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_header_row'
down_revision = '0009_public_uuids'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('resource', 'resource_revision'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('header_row', sa.Integer(), nullable=True))


def downgrade():
    for table in ('resource_revision', 'resource'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('header_row')
