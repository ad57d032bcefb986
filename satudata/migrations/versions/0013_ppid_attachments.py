"""ppid attachments: files given as the answer to a granted request (the information itself),
kept in the file store by their digest and downloaded by the applicant through the tracking link

Revision ID: 0013_ppid_attachments
Revises: 0012_ppid_notices_scans
Create Date: 2026-12-04 05:05:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0013_ppid_attachments'
down_revision = '0012_ppid_notices_scans'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ppid_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['ppid_request.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_ppid_attachment_request_id', 'ppid_attachment', ['request_id'])
    op.create_index('ix_ppid_attachment_sha256', 'ppid_attachment', ['sha256'])


def downgrade():
    op.drop_index('ix_ppid_attachment_sha256', table_name='ppid_attachment')
    op.drop_index('ix_ppid_attachment_request_id', table_name='ppid_attachment')
    op.drop_table('ppid_attachment')
