"""harvest: sources, runs (jobs), per-record objects of a run, and the current record of each
remote dataset (content hash, raw record, the dataset it became)

Revision ID: 0015_harvest
Revises: 0014_chart_views
Create Date: 2026-12-05 16:00:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0015_harvest'
down_revision = '0014_chart_views'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        'harvest_source',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('type', sa.String(length=50), nullable=False),
        sa.Column('url', sa.String(length=1000), nullable=False),
        sa.Column('config', sa.JSON(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('schedule', _enum('harvest_schedule', 'manual', 'daily', 'weekly'), nullable=False),
        sa.Column('publish_mode', _enum('harvest_publish_mode', 'direct', 'review'), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_job_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_harvest_source_name', 'harvest_source', ['name'], unique=True)
    op.create_index('ix_harvest_source_organization_id', 'harvest_source', ['organization_id'])
    op.create_table(
        'harvest_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('status', _enum('harvest_job_status', 'queued', 'running', 'finished', 'finished_with_errors',
                                  'failed', 'cancelled'), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=True),
        sa.Column('trigger', sa.String(length=20), nullable=False),
        sa.Column('requested_by', sa.String(length=120), nullable=True),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', satudata.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', satudata.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', satudata.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('cancel_requested', sa.Boolean(), nullable=False),
        sa.Column('gathered', sa.Integer(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('errors', sa.JSON(), nullable=False),
        sa.Column('gather_complete', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['source_id'], ['harvest_source.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_harvest_job_source_id', 'harvest_job', ['source_id'])
    op.create_index('ix_harvest_job_status', 'harvest_job', ['status'])
    op.create_index('ix_harvest_job_created_at', 'harvest_job', ['created_at'])
    active = sa.text("status IN ('queued', 'running')")
    op.create_index('uq_harvest_job_active_source', 'harvest_job', ['source_id'], unique=True,
                    sqlite_where=active, postgresql_where=active)
    op.create_table(
        'harvest_object',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('remote_id', sa.String(length=500), nullable=False),
        sa.Column('status', _enum('harvest_object_status', 'new', 'updated', 'unchanged', 'withdrawn', 'error'),
                  nullable=False),
        sa.Column('dataset_id', sa.String(length=36), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['job_id'], ['harvest_job.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_harvest_object_job_status', 'harvest_object', ['job_id', 'status'])
    op.create_table(
        'harvest_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('remote_id', sa.String(length=500), nullable=False),
        sa.Column('dataset_id', sa.String(length=36), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=True),
        sa.Column('modified', sa.String(length=50), nullable=True),
        sa.Column('raw', sa.JSON(), nullable=True),
        sa.Column('withdrawn', sa.Boolean(), nullable=False),
        sa.Column('harvested_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_job_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['source_id'], ['harvest_source.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source_id', 'remote_id', name='uq_harvest_record_source_remote'),
    )
    op.create_index('ix_harvest_record_source_id', 'harvest_record', ['source_id'])
    op.create_index('ix_harvest_record_dataset_id', 'harvest_record', ['dataset_id'])


def downgrade():
    op.drop_table('harvest_record')
    op.drop_table('harvest_object')
    op.drop_table('harvest_job')
    op.drop_table('harvest_source')
