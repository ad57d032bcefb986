"""Migrations run up and down on the test database, and the models match them exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from satudata.extensions import db
from tests.conftest import drop_schema, make_app


def test_upgrade_downgrade_upgrade_and_models_match(tmp_path):
    app = make_app(tmp_path, "migrations")  # upgraded to head
    try:
        with app.app_context():
            downgrade(revision="base")
            assert set(db.inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            with db.engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(ctx, db.metadata)
            assert diff == [], f"models and migrations differ; add a migration: {diff}"
    finally:
        drop_schema(app)


def test_tag_names_become_valid_for_ckan_and_tags_that_meet_merge(tmp_path):
    """0008: "kabupaten/kota" becomes kabupaten-kota (written text kept for display); it meets
    an existing "kabupaten-kota", and the two datasets' links end on one tag; a one-letter
    tag keeps a valid name."""
    from sqlalchemy import text

    from satudata.catalog.tags import is_valid

    app = make_app(tmp_path, "migrations_tags")
    try:
        with app.app_context():
            downgrade(revision="0007_revisions")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO organization (id, slug, name, kind, description, is_walidata, created_at, updated_at) "
                                  "VALUES (901, 'uji', 'Uji', 'opd', '', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
                for n, slug in ((1, "a"), (2, "b")):
                    conn.execute(text(
                        "INSERT INTO dataset (id, slug, title, description, organization_id, state, access_class, "
                        "is_priority, download_count, view_count, created_at, updated_at) VALUES "
                        f"('d{n}', '{slug}', 'Uji {n}', '', 901, 'draft', 'publik', false, 0, 0, CURRENT_TIMESTAMP, "
                        "CURRENT_TIMESTAMP)"))
                conn.execute(text("INSERT INTO tag (id, name) VALUES (11, 'kabupaten/kota'), (12, 'kabupaten-kota'), "
                                  "(13, 'x'), (14, 'air bersih')"))
                conn.execute(text("INSERT INTO dataset_tag (dataset_id, tag_id) VALUES ('d1', 11), ('d1', 12), "
                                  "('d2', 12), ('d2', 13), ('d2', 14)"))
            upgrade()
            with db.engine.connect() as conn:
                tags = dict(conn.execute(text("SELECT name, display_name FROM tag")).fetchall())
                links = sorted(conn.execute(text(
                    "SELECT dataset_id, t.name FROM dataset_tag JOIN tag t ON t.id = tag_id")).fetchall())
            assert tags == {"kabupaten-kota": "kabupaten/kota", "tag-x": "x", "air bersih": "air bersih"}
            assert all(is_valid(name) for name in tags)
            assert links == [("d1", "kabupaten-kota"), ("d2", "air bersih"), ("d2", "kabupaten-kota"),
                             ("d2", "tag-x")]
    finally:
        drop_schema(app)
