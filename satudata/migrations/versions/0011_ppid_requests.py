"""ppid requests: the register of public information requests (UU 14/2008), each request's
timeline and objections (keberatan), the numbering per PPID and year, the Daftar Informasi
Publik, and the admin's corrections to the holiday calendar

Revision ID: 0011_ppid_requests
Revises: 0010_header_row
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0011_ppid_requests'
down_revision = '0010_header_row'
branch_labels = None
depends_on = None

STATES = ('registered', 'incomplete', 'extended', 'granted', 'granted_in_part', 'refused', 'not_held',
          'not_documented', 'withdrawn', 'not_entitled', 'spam')


def _enum(name, values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        'ppid_request_counter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organization_id', 'year', name='uq_ppid_counter_org_year'),
    )
    op.create_table(
        'ppid_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('state', _enum('ppid_request_state', STATES), nullable=False),
        sa.Column('channel', _enum('ppid_channel', ('web', 'email', 'surat', 'telepon', 'langsung')), nullable=False),
        sa.Column('filed_with_id', sa.Integer(), nullable=False),
        sa.Column('handler_id', sa.Integer(), nullable=False),
        sa.Column('applicant_type', _enum('ppid_applicant_type', ('perorangan', 'badan_hukum', 'kelompok')),
                  nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('identity_encrypted', sa.Text(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('address', sa.Text(), nullable=False),
        sa.Column('occupation', sa.String(length=120), nullable=False),
        sa.Column('information', sa.Text(), nullable=False),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('obtain_method', _enum('ppid_obtain_method', ('melihat', 'salinan_softcopy', 'salinan_hardcopy')),
                  nullable=False),
        sa.Column('copy_method', _enum('ppid_copy_method', ('langsung', 'kurir', 'pos', 'faksimili', 'email')),
                  nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('extension_days', sa.Integer(), nullable=True),
        sa.Column('extension_reason', sa.Text(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision', sa.JSON(), nullable=True),
        sa.Column('delivery', sa.JSON(), nullable=True),
        sa.Column('closing_reason', sa.Text(), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('reminders_sent', sa.JSON(), nullable=True),
        sa.Column('duplicate_key', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['filed_with_id'], ['organization.id']),
        sa.ForeignKeyConstraint(['handler_id'], ['organization.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    with op.batch_alter_table('ppid_request', schema=None) as batch_op:
        batch_op.create_index('ix_ppid_request_state', ['state'], unique=False)
        batch_op.create_index('ix_ppid_request_filed_with_id', ['filed_with_id'], unique=False)
        batch_op.create_index('ix_ppid_request_handler_id', ['handler_id'], unique=False)
        batch_op.create_index('ix_ppid_request_due_on', ['due_on'], unique=False)
        batch_op.create_index('ix_ppid_request_duplicate_key', ['duplicate_key'], unique=False)
    op.create_table(
        'ppid_request_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('from_state', sa.String(length=32), nullable=False),
        sa.Column('to_state', sa.String(length=32), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=255), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=True),
        sa.Column('notice_sent', sa.Boolean(), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['request_id'], ['ppid_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('ppid_request_event', schema=None) as batch_op:
        batch_op.create_index('ix_ppid_request_event_request_id', ['request_id'], unique=False)
    op.create_table(
        'ppid_objection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=48), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('state', _enum('ppid_objection_state', ('registered', 'accepted', 'rejected', 'settled', 'withdrawn')),
                  nullable=False),
        sa.Column('grounds', sa.JSON(), nullable=False),
        sa.Column('case_summary', sa.Text(), nullable=False),
        sa.Column('proxy_name', sa.String(length=200), nullable=False),
        sa.Column('proxy_letter', sa.String(length=120), nullable=False),
        sa.Column('registered_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision', sa.JSON(), nullable=True),
        sa.Column('dispute', sa.JSON(), nullable=True),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['ppid_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    with op.batch_alter_table('ppid_objection', schema=None) as batch_op:
        batch_op.create_index('ix_ppid_objection_request_id', ['request_id'], unique=False)
        batch_op.create_index('ix_ppid_objection_state', ['state'], unique=False)
        batch_op.create_index('ix_ppid_objection_due_on', ['due_on'], unique=False)
    op.create_table(
        'ppid_dip_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('category', _enum('ppid_dip_category', ('berkala', 'serta_merta', 'setiap_saat', 'dikecualikan')),
                  nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('responsible', sa.String(length=200), nullable=False),
        sa.Column('made', sa.String(length=200), nullable=False),
        sa.Column('form', sa.String(length=120), nullable=False),
        sa.Column('retention', sa.String(length=120), nullable=False),
        sa.Column('url', sa.String(length=1000), nullable=False),
        sa.Column('exemption', sa.String(length=10), nullable=False),
        sa.Column('consequence_test', sa.Text(), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('ppid_dip_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ppid_dip_entry_organization_id', ['organization_id'], unique=False)
        batch_op.create_index('ix_ppid_dip_entry_category', ['category'], unique=False)
    op.create_table(
        'ppid_holiday_override',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('is_holiday', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('day'),
    )


def downgrade():
    op.drop_table('ppid_holiday_override')
    with op.batch_alter_table('ppid_dip_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_ppid_dip_entry_category')
        batch_op.drop_index('ix_ppid_dip_entry_organization_id')
    op.drop_table('ppid_dip_entry')
    with op.batch_alter_table('ppid_objection', schema=None) as batch_op:
        for name in ('due_on', 'state', 'request_id'):
            batch_op.drop_index(f'ix_ppid_objection_{name}')
    op.drop_table('ppid_objection')
    with op.batch_alter_table('ppid_request_event', schema=None) as batch_op:
        batch_op.drop_index('ix_ppid_request_event_request_id')
    op.drop_table('ppid_request_event')
    with op.batch_alter_table('ppid_request', schema=None) as batch_op:
        for name in ('duplicate_key', 'due_on', 'handler_id', 'filed_with_id', 'state'):
            batch_op.drop_index(f'ix_ppid_request_{name}')
    op.drop_table('ppid_request')
    op.drop_table('ppid_request_counter')
