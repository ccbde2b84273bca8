"""Language and time zone of the current user, and the choices offered for both."""

from __future__ import annotations

import functools
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app, has_request_context, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}

COMMON_TIMEZONES = (
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo",
    "Asia/Seoul", "Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin",
    "Europe/Paris", "America/New_York", "America/Chicago", "America/Los_Angeles",
    "Australia/Sydney", "UTC",
)


def select_locale() -> str:
    """The user's setting, else the page switch, else the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The user's time zone, else the deployment's default."""
    if (has_request_context() and current_user and current_user.is_authenticated
            and is_timezone(current_user.timezone)):
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


@functools.cache
def _known_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (~10 ms): once per process.
    return frozenset(available_timezones())


def is_timezone(name: str | None) -> bool:
    """Is ``name`` an IANA time zone this machine knows?"""
    if not name or name not in _known_zones():
        return False
    ZoneInfo(name)
    return True


def timezone_choices() -> list[tuple[str, str]]:
    """Common zones first, then every other IANA zone."""
    rest = sorted(_known_zones() - set(COMMON_TIMEZONES))
    return [(z, z) for z in (*COMMON_TIMEZONES, *rest)]
