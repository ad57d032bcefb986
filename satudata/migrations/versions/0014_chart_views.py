"""chart views: the named charts and maps producers save for a published table (the builder's
choices: kind, x column, value columns, aggregation), shown on the dataset page and embeddable

Revision ID: 0014_chart_views
Revises: 0013_ppid_attachments
Create Date: 2026-12-04 13:00:00

"""
from alembic import op
import sqlalchemy as sa

import satudata.db


revision = '0014_chart_views'
down_revision = '0013_ppid_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'chart_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('x', sa.String(length=300), nullable=False),
        sa.Column('ys', sa.JSON(), nullable=False),
        sa.Column('aggregate', sa.String(length=10), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', satudata.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_chart_view_resource_id', 'chart_view', ['resource_id'])


def downgrade():
    op.drop_index('ix_chart_view_resource_id', table_name='chart_view')
    op.drop_table('chart_view')
