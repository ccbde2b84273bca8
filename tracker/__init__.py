"""Tracker: the application factory and the helpers it is made of."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from config import Config, config_from_env, development_secret

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None, **overrides: object) -> Flask:
    """Build the app from a config class (TRACKER_ENV's by default) and optional overrides."""
    config = config or config_from_env()
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                instance_path=str(config.INSTANCE_PATH), instance_relative_config=False)
    app.config.from_object(config)
    app.config.update(overrides)
    _settle_secret_key(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    if app.config.get("BENCH"):
        from tracker.benchmarks import init_bench

        init_bench(app)
    return app


def _settle_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if not key and app.config.get("GENERATE_SECRET_KEY"):
        app.config["SECRET_KEY"] = key = development_secret(Path(app.instance_path))
    if not key or len(key) < 32 or key in {"change-me", "secret", "dev"}:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )


def register_extensions(app: Flask) -> None:
    """Bind the extension objects and the database hooks to this app."""
    from tracker import (
        audit,  # noqa: F401  (registers the flush hooks)
        generations,  # noqa: F401  (registers its flush hook)
    )
    from tracker.auth.loader import init_login
    from tracker.db import init_database
    from tracker.extensions import babel, csrf, db, limiter, migrate
    from tracker.i18n import init_translations, select_locale, select_timezone
    from tracker.jobs import init_jobs
    from tracker.search import index  # noqa: F401  (registers the index's flush hooks)

    db.init_app(app)
    init_database(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    init_translations(app)
    limiter.init_app(app)
    init_login(app)
    init_jobs(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per stakeholder kind, plus sign-in, administration and the frame."""
    from tracker.web.admin import bp as admin_bp
    from tracker.web.auth import bp as auth_bp
    from tracker.web.calendar_feed import bp as calendar_bp
    from tracker.web.clients import bp as clients_bp
    from tracker.web.followups import bp as followups_bp
    from tracker.web.main import bp as main_bp
    from tracker.web.partners import bp as partners_bp
    from tracker.web.teams import bp as teams_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(partners_bp, url_prefix="/partners")
    app.register_blueprint(clients_bp, url_prefix="/clients")
    app.register_blueprint(teams_bp, url_prefix="/teams")
    app.register_blueprint(followups_bp, url_prefix="/followups")
    app.register_blueprint(calendar_bp, url_prefix="/calendar")
    app.register_blueprint(admin_bp, url_prefix="/admin")


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages in the user's language."""
    from tracker.web.errors import init_errors

    init_errors(app)


def register_request_hooks(app: Flask) -> None:
    """Security headers and the forced password change."""
    from tracker.security import init_security

    init_security(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))


def register_template_helpers(app: Flask) -> None:
    """Globals and filters every template may use (the access layer among them)."""
    from tracker.web.templating import init_templating

    init_templating(app)


def register_commands(app: Flask) -> None:
    """``flask users …``, ``flask demo …``, ``flask roles …``."""
    from tracker.cli import init_cli

    init_cli(app)
