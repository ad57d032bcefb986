"""SIPD e-Walidata provenance of Daftar Data items

Revision ID: 0019_sipd
Revises: 0018_usulan
Create Date: 2026-12-04 20:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_sipd'
down_revision = '0018_usulan'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('daftar_data_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('element', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('indicator_code', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('harvest_source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('remote_id', sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f('ix_daftar_data_item_harvest_source_id'), ['harvest_source_id'], unique=False)
        batch_op.create_unique_constraint('uq_daftar_data_item_harvest_remote', ['harvest_source_id', 'remote_id'])


def downgrade():
    with op.batch_alter_table('daftar_data_item', schema=None) as batch_op:
        batch_op.drop_constraint('uq_daftar_data_item_harvest_remote', type_='unique')
        batch_op.drop_index(batch_op.f('ix_daftar_data_item_harvest_source_id'))
        batch_op.drop_column('remote_id')
        batch_op.drop_column('harvest_source_id')
        batch_op.drop_column('unit')
        batch_op.drop_column('indicator_code')
        batch_op.drop_column('element')
