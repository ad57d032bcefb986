"""generations: the numbers that keep each web process's caches right (satudata/generations.py),
raised by every commit that writes what a cache holds; one row, ``catalog``, to start with

Revision ID: 0016_generations
Revises: 0015_harvest
Create Date: 2026-12-04 18:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_generations'
down_revision = '0015_harvest'
branch_labels = None
depends_on = None


def upgrade():
    generations = op.create_table(
        'generations',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_generations')),
    )
    op.bulk_insert(generations, [{'name': 'catalog', 'value': 0}])


def downgrade():
    op.drop_table('generations')
