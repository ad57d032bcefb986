"""revisions: a published dataset's draft of changes, and which published resource each of its
resources changes

Revision ID: 0007_revisions
Revises: 0006_notifications
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_revisions'
down_revision = '0006_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dataset', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision_of_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_dataset_revision_of_id'), ['revision_of_id'], unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_dataset_revision_of_id_dataset'), 'dataset',
                                    ['revision_of_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision_of_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_resource_revision_of_id_resource'), 'resource',
                                    ['revision_of_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_resource_revision_of_id_resource'), type_='foreignkey')
        batch_op.drop_column('revision_of_id')
    with op.batch_alter_table('dataset', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dataset_revision_of_id_dataset'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dataset_revision_of_id'))
        batch_op.drop_column('revision_of_id')
