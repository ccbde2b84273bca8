"""Sign-in throttling on Redis, as production runs it with several processes."""

from __future__ import annotations

import os

import redis

from config import TestingConfig
from tests import factories
from tracker import create_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_failed_sign_ins_are_counted_in_redis_across_app_processes(app, users, tmp_path):
    """Two app instances (two worker processes) share one count through Redis."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    first, second = (create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                                INSTANCE_PATH=str(tmp_path), RATELIMIT_STORAGE_URI=REDIS_URL)
                     for _ in range(2))
    data = {"email": "manager@test.example", "password": "wrong-password"}
    for n in range(5):
        worker = first if n % 2 else second
        assert worker.test_client().post("/auth/login", data=data).status_code == 401
    right = {"email": "manager@test.example", "password": factories.PASSWORD}
    blocked = first.test_client().post("/auth/login", data=right)
    assert blocked.status_code == 429
    assert redis.Redis.from_url(REDIS_URL).dbsize() > 0
    redis.Redis.from_url(REDIS_URL).flushdb()
