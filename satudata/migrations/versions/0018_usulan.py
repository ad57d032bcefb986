"""data suggestions (usulan data): the suggestions and their supports

Revision ID: 0018_usulan
Revises: 0017_statistik
Create Date: 2026-12-04 20:40:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0018_usulan'
down_revision = '0017_statistik'
branch_labels = None
depends_on = None

STATES = ('moderasi', 'baru', 'diterima', 'ada_dataset', 'ppid', 'ditolak', 'digabung', 'disembunyikan')


def upgrade():
    op.create_table(
        'usulan_data',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.Enum(*STATES, name='usulan_state', native_enum=False, create_constraint=True,
                                   length=32), nullable=False),
        sa.Column('support_count', sa.Integer(), nullable=False),
        sa.Column('proposer_name', sa.String(length=120), nullable=False),
        sa.Column('proposer_email', sa.String(length=254), nullable=False),
        sa.Column('client_hash', sa.String(length=64), nullable=False),
        sa.Column('held_because', sa.String(length=200), nullable=False),
        sa.Column('decision_note', sa.Text(), nullable=False),
        sa.Column('hide_reason', sa.Text(), nullable=False),
        sa.Column('item_removed', sa.Boolean(), nullable=False),
        sa.Column('daftar_item_id', sa.Integer(), nullable=True),
        sa.Column('dataset_id', sa.String(length=36), nullable=True),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', satudata.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('form_key', sa.String(length=64), nullable=True),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['organization.id']),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id']),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['daftar_item_id'], ['daftar_data_item.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['merged_into_id'], ['usulan_data.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('form_key', name='uq_usulan_data_form_key'),
    )
    op.create_index('ix_usulan_data_region_id', 'usulan_data', ['region_id'])
    op.create_index('ix_usulan_data_state', 'usulan_data', ['state'])
    op.create_index('ix_usulan_data_created_at', 'usulan_data', ['created_at'])
    op.create_table(
        'usulan_dukungan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('suggestion_id', sa.Integer(), nullable=False),
        sa.Column('supporter_key', sa.String(length=64), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['suggestion_id'], ['usulan_data.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('suggestion_id', 'supporter_key', name='uq_usulan_dukungan_supporter'),
    )
    op.create_index('ix_usulan_dukungan_suggestion_id', 'usulan_dukungan', ['suggestion_id'])


def downgrade():
    op.drop_index('ix_usulan_dukungan_suggestion_id', table_name='usulan_dukungan')
    op.drop_table('usulan_dukungan')
    op.drop_index('ix_usulan_data_created_at', table_name='usulan_data')
    op.drop_index('ix_usulan_data_state', table_name='usulan_data')
    op.drop_index('ix_usulan_data_region_id', table_name='usulan_data')
    op.drop_table('usulan_data')
