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
