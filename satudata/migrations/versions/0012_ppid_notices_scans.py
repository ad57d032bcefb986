"""ppid notices and identity scans: the signed documents sent to applicants (kept byte for byte
with their digest for the public verification page), the applicant's encrypted identity scan,
the datasets proposed from a request (the answer as open data), the written parts of the
annual service report, and the date personal data was purged at the end of the retention period

Revision ID: 0012_ppid_notices_scans
Revises: 0011_ppid_requests
Create Date: 2026-12-04 04:00:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0012_ppid_notices_scans'
down_revision = '0011_ppid_requests'
branch_labels = None
depends_on = None

KINDS = ('receipt', 'extension', 'written_notice', 'refusal', 'objection_receipt', 'objection_answer')


def upgrade():
    op.create_table(
        'ppid_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='ppid_notice_kind', native_enum=False, create_constraint=True,
                                  length=32), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('objection_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('signer', sa.String(length=300), nullable=False),
        sa.Column('demo_certificate', sa.Boolean(), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['ppid_request.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['objection_id'], ['ppid_objection.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['ppid_request_event.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    op.create_table(
        'ppid_report_narrative',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('policy', sa.Text(), nullable=False),
        sa.Column('staff', sa.Text(), nullable=False),
        sa.Column('facilities', sa.Text(), nullable=False),
        sa.Column('budget', sa.Text(), nullable=False),
        sa.Column('obstacles', sa.Text(), nullable=False),
        sa.Column('recommendations', sa.Text(), nullable=False),
        sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organization_id', 'year', name='uq_ppid_report_narrative_org_year'),
    )
    op.create_table(
        'ppid_request_dataset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('dataset_id', sa.String(length=36), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['ppid_request.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id', 'dataset_id', name='uq_ppid_request_dataset'),
    )
    op.create_index('ix_ppid_request_dataset_request_id', 'ppid_request_dataset', ['request_id'])
    op.create_index('ix_ppid_request_dataset_dataset_id', 'ppid_request_dataset', ['dataset_id'])
    op.create_index('ix_ppid_notice_request_id', 'ppid_notice', ['request_id'])
    op.create_index('ix_ppid_notice_sha256', 'ppid_notice', ['sha256'])
    with op.batch_alter_table('ppid_request') as batch:
        batch.add_column(sa.Column('identity_scan', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('identity_scan_type', sa.String(length=40), nullable=False, server_default=''))
        batch.add_column(sa.Column('identity_scan_name', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('personal_data_purged_at', satudata.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('ppid_request') as batch:
        batch.drop_column('personal_data_purged_at')
        batch.drop_column('identity_scan_name')
        batch.drop_column('identity_scan_type')
        batch.drop_column('identity_scan')
    op.drop_table('ppid_report_narrative')
    op.drop_index('ix_ppid_request_dataset_dataset_id', table_name='ppid_request_dataset')
    op.drop_index('ix_ppid_request_dataset_request_id', table_name='ppid_request_dataset')
    op.drop_table('ppid_request_dataset')
    op.drop_index('ix_ppid_notice_sha256', table_name='ppid_notice')
    op.drop_index('ix_ppid_notice_request_id', table_name='ppid_notice')
    op.drop_table('ppid_notice')
