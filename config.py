"""Configuration classes, read from the environment and passed to ``create_app``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms still hand out postgres://; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def development_secret(instance_dir: Path = INSTANCE_DIR) -> str:
    """A per-checkout secret kept in instance/, so sessions survive restarts."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    GENERATE_SECRET_KEY = False
    INSTANCE_PATH = str(INSTANCE_DIR)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'tracker.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    WTF_CSRF_TIME_LIMIT = None  # the session bounds the token; forms left open all day still post

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14

    LANGUAGES = ("en", "zh")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TRACKER_TIMEZONE", "Asia/Shanghai")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "tracker" / "translations")

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes")

    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "tracker@localhost")

    # The job queue (tracker/jobs): a SQLite file beside the app unless Redis is given.
    JOBS_QUEUE_URL = os.environ.get("JOBS_QUEUE_URL") or os.environ.get("REDIS_URL") or (
        f"sqlite:///{INSTANCE_DIR / 'jobs.db'}")
    JOBS_RETRIES = int(os.environ.get("JOBS_RETRIES", "5"))
    JOBS_RETRY_DELAY = int(os.environ.get("JOBS_RETRY_DELAY", "30"))

    PAGE_SIZE = 25
    # How long each worker keeps a reader's complaint metrics (0: compute every time).
    METRICS_CACHE_SECONDS = int(os.environ.get("METRICS_CACHE_SECONDS", "300"))
    AGREEMENT_REMINDER_DAYS = int(os.environ.get("AGREEMENT_REMINDER_DAYS", "30"))
    EXPIRING_SOON_DAYS = 60
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 1024 * 1024  # the form around the file
    UPLOAD_EXTENSIONS = frozenset({
        "pdf", "png", "jpg", "jpeg", "gif", "webp", "txt", "csv", "doc", "docx", "xls",
        "xlsx", "ppt", "pptx", "odt", "ods", "zip", "eml", "msg"})
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


class DevelopmentConfig(Config):
    """Local use: SQLite under instance/, a generated secret key."""

    GENERATE_SECRET_KEY = True


class TestingConfig(Config):
    """The test suite: a throwaway database, fast hashing, CSRF off unless a test turns it on."""

    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    RATELIMIT_STORAGE_URI = "memory://"
    JOBS_QUEUE_URL = "immediate"  # jobs run at the commit, in-process; tests/test_jobs.py
    # also runs them through real workers on Redis
    METRICS_CACHE_SECONDS = 0  # tests see every change at once; one test turns it on


class ProductionConfig(Config):
    """Production: PostgreSQL through DATABASE_URL, secure cookies, a real secret key."""

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"


class BenchConfig(ProductionConfig):
    """``make bench``: production settings served over plain http on 127.0.0.1.

    A fixed secret (the bench signs in, then hands the session cookie to wrk), cookies
    without ``Secure`` (no TLS on the loopback), and ``BENCH`` for the floor page and the
    ``X-SQL-Statements`` header (``tracker/benchmarks.py``). Never for real data.
    """

    SECRET_KEY = "bench-secret-key-for-loopback-measurements-only"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    BENCH = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "bench": BenchConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by TRACKER_ENV (development unless set)."""
    return CONFIGS[os.environ.get("TRACKER_ENV", "development")]
