"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracker.extensions import db
from tracker.models.search import include_in_comparison


def test_models_and_migrations_agree(app):
    """The suite's schema comes from `flask db upgrade`; autogenerate must find nothing."""
    with db.engine.connect() as conn:
        include = include_in_comparison(conn.dialect.name)
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": include})
        with warnings.catch_warnings():
            # SQLite's reflection cannot read an index on an expression (the queue's
            # severity rank); SQLAlchemy says so and leaves it out, and Alembic then leaves
            # the model's side out too. PostgreSQL reflects and compares them.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of "
                                    "expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified "
                                    "expression-based index")
            diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_one_head(app):
    """Two branches of migrations would leave `flask db upgrade` ambiguous."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_downgrade_and_upgrade_again(app, tmp_path):
    """The first migration can be undone and redone on an empty database of its own."""
    import flask_migrate

    from config import TestingConfig
    from tracker import create_app

    url = f"sqlite:///{tmp_path}/roundtrip.db"
    scratch = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                         INSTANCE_PATH=str(tmp_path))
    with scratch.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()
        assert "organizations" in db.inspect(db.engine).get_table_names()
        db.engine.dispose()
