"""tag names: every tag's name made valid for CKAN harvesters, the text as written kept as its
display name; tags that become one are merged

Revision ID: 0008_tag_names
Revises: 0007_revisions
Create Date: 2026-12-03 13:30:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0008_tag_names'
down_revision = '0007_revisions'
branch_labels = None
depends_on = None

# The rule of satudata/catalog/tags.py, as it stood when this migration was written (a
# migration must not change when the code does).
_OTHER = re.compile(r"[^\w \-.]+")


def _name(text):
    display = " ".join(str(text).split())[:100].strip()
    name = _OTHER.sub("-", display.lower())
    name = re.sub(r"-{2,}", "-", name)[:100].strip(" -")
    if len(name) < 2:
        name = ("tag-" + name).strip(" -")
    return display, name


def upgrade():
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=100), server_default='', nullable=False))
    bind = op.get_bind()
    tags = bind.execute(sa.text("SELECT id, name FROM tag ORDER BY id")).fetchall()
    keep = {}  # new name -> id of the tag that keeps it
    for tag_id, old in tags:
        display, name = _name(old)
        bind.execute(sa.text("UPDATE tag SET display_name = :d WHERE id = :i"), {"d": display, "i": tag_id})
        if name in keep:
            # Another tag already has this name: its datasets take the surviving tag.
            survivor = keep[name]
            bind.execute(sa.text(
                "INSERT INTO dataset_tag (dataset_id, tag_id) SELECT dataset_id, :s FROM dataset_tag "
                "WHERE tag_id = :t AND dataset_id NOT IN (SELECT dataset_id FROM dataset_tag WHERE tag_id = :s)"),
                {"s": survivor, "t": tag_id})
            bind.execute(sa.text("DELETE FROM dataset_tag WHERE tag_id = :t"), {"t": tag_id})
            bind.execute(sa.text("DELETE FROM tag WHERE id = :t"), {"t": tag_id})
            continue
        keep[name] = tag_id
        if name != old:
            # A unique name meanwhile: a later tag may hold this name until its own turn.
            clash = bind.execute(sa.text("SELECT id FROM tag WHERE name = :n AND id <> :i"),
                                 {"n": name, "i": tag_id}).fetchone()
            if clash is not None:
                bind.execute(sa.text("UPDATE tag SET name = :p WHERE id = :c"),
                             {"p": f"~renaming-{clash[0]}", "c": clash[0]})
            bind.execute(sa.text("UPDATE tag SET name = :n WHERE id = :i"), {"n": name, "i": tag_id})


def downgrade():
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.drop_column('display_name')
