"""daftar data: the yearly Daftar Data items and the reminders mailed about them

Revision ID: 0005_daftar_data
Revises: 0004_security
Create Date: 2026-12-03 10:02:36

"""
from alembic import op
import sqlalchemy as sa

import satudata.db  # noqa: F401  (column types used by autogenerate)


# revision identifiers, used by Alembic.
revision = '0005_daftar_data'
down_revision = '0004_security'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('daftar_data_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_key', sa.String(length=300), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('walidata_id', sa.Integer(), nullable=True),
    sa.Column('standard_ref', sa.String(length=255), nullable=True),
    sa.Column('frequency', sa.Enum('tahunan', 'semesteran', 'triwulanan', 'bulanan', 'mingguan', 'harian', 'tidak_tentu', name='frequency', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('release_date', sa.Date(), nullable=False),
    sa.Column('is_priority', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('dataset_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_daftar_data_item_dataset_id_dataset'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_daftar_data_item_organization_id_organization')),
    sa.ForeignKeyConstraint(['walidata_id'], ['organization.id'], name=op.f('fk_daftar_data_item_walidata_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daftar_data_item')),
    sa.UniqueConstraint('year', 'organization_id', 'title_key', name='uq_daftar_data_item_year_org_title')
    )
    with op.batch_alter_table('daftar_data_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daftar_data_item_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_daftar_data_item_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_daftar_data_item_release_date'), ['release_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_daftar_data_item_year'), ['year'], unique=False)

    op.create_table('daftar_data_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('release_date', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['daftar_data_item.id'], name=op.f('fk_daftar_data_reminder_item_id_daftar_data_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daftar_data_reminder')),
    sa.UniqueConstraint('item_id', 'kind', 'release_date', name='uq_daftar_data_reminder_item_kind_date')
    )
    with op.batch_alter_table('daftar_data_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daftar_data_reminder_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('daftar_data_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daftar_data_reminder_item_id'))

    op.drop_table('daftar_data_reminder')
    with op.batch_alter_table('daftar_data_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daftar_data_item_year'))
        batch_op.drop_index(batch_op.f('ix_daftar_data_item_release_date'))
        batch_op.drop_index(batch_op.f('ix_daftar_data_item_organization_id'))
        batch_op.drop_index(batch_op.f('ix_daftar_data_item_dataset_id'))

    op.drop_table('daftar_data_item')
