"""public uuids: organisations and topics get the UUID other catalogues know them by (CKAN's
organisation and group ``id``), so two portals harvested into one aggregator never collide

Revision ID: 0009_public_uuids
Revises: 0008_tag_names
Create Date: 2026-12-03 13:40:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0009_public_uuids'
down_revision = '0008_tag_names'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    for table in ('organization', 'topic'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('uuid', sa.String(length=36), nullable=True))
        # Each row its own UUID, once: they stay what other catalogues have stored.
        for (row_id,) in bind.execute(sa.text(f"SELECT id FROM {table} ORDER BY id")).fetchall():
            bind.execute(sa.text(f"UPDATE {table} SET uuid = :u WHERE id = :i"), {"u": str(uuid.uuid4()), "i": row_id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('uuid', existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_uuid'), ['uuid'])


def downgrade():
    for table in ('topic', 'organization'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_uuid'), type_='unique')
            batch_op.drop_column('uuid')
