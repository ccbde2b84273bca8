"""Language and time zone of the current user, and the choices offered for both."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import Domain, get_timezone
from flask_babel import gettext as _flask_babel_gettext
from flask_babel import pgettext as _flask_babel_pgettext
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


def language_of(user: object) -> str:
    """The language to write to ``user`` in, whoever is signed in (notifications, mail,
    digests, the calendar feed): theirs, else the deployment's default."""
    locale = getattr(user, "locale", None)
    if locale in current_app.config["LANGUAGES"]:
        return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def wants_chinese() -> bool:
    """Whether the current request (or job, through Flask-Babel's locale) reads Chinese: for
    data kept in both languages, such as complaint categories."""
    from flask_babel import get_locale

    if _cv_app.get(None) is None:
        return False
    locale = get_locale()
    return locale is not None and locale.language == "zh"


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


# -- time zones ---------------------------------------------------------------------------
def zone_of(user: object | None = None) -> ZoneInfo:
    """The zone "today" is counted in: the request's (the signed-in user's), else the user's
    own setting, else the deployment's default."""
    if user is None and has_request_context():
        return ZoneInfo(str(get_timezone()))
    zone = getattr(user, "timezone", None)
    if user is not None and is_timezone(zone):
        return ZoneInfo(zone)
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_today(user: object | None = None, now: datetime | None = None) -> date:
    """Today's date where the user is (``zone_of``)."""
    from tracker.models import utcnow

    return (now or utcnow()).astimezone(zone_of(user)).date()


def day_start(day: date, plus: int = 0) -> datetime:
    """When ``day`` (plus some days) begins in the reader's time zone, as aware UTC: the
    bounds of a range of days typed or linked."""
    zone = ZoneInfo(str(get_timezone()))
    return datetime.combine(day + timedelta(days=plus), time.min, tzinfo=zone).astimezone(UTC)


def local_to_utc(value: datetime) -> datetime:
    """A naive datetime typed in the user's zone, as aware UTC.

    Flask-Babel hands out pytz zones, whose ``replace`` would use the zone's historic
    local mean time (+08:06 for Shanghai); zoneinfo applies the real offset, DST included.
    """
    return value.replace(tzinfo=ZoneInfo(str(get_timezone()))).astimezone(UTC)



# -- translations, found once per request ------------------------------------------------
class RequestDomain(Domain):
    """Flask-Babel's message domain, keeping the request's catalogue at hand.

    A page calls gettext a few hundred times; each call through Flask-Babel re-reads the
    request context five times and formats the locale's name as the catalogue's key
    (about a millisecond a page). This keeps the catalogue beside the locale it was found
    for, and checks that locale by identity: ``force_locale`` (digests, calendar feeds)
    and ``refresh`` replace or remove it, so a forced language is never served from the
    request's cache, nor the reverse.
    """

    def get_translations(self) -> NullTranslations:
        try:
            ctx = g._flask_babel
        except (AttributeError, RuntimeError):  # before the first call, or no app context
            return super().get_translations()
        kept = getattr(ctx, "tracker_translations", None)
        locale = getattr(ctx, "babel_locale", None)
        if kept is not None and locale is not None and kept[0] is locale:
            return kept[1]
        found = super().get_translations()
        ctx.tracker_translations = (getattr(ctx, "babel_locale", None), found)
        return found


def translations() -> NullTranslations:
    """The current request's catalogue (what the templates' ``_()`` translates with).

    Read through Flask's app context variable rather than the ``g`` proxy: a list page
    asks a couple of hundred times.
    """
    app_ctx = _cv_app.get(None)
    babel_ctx = getattr(app_ctx.g, "_flask_babel", None) if app_ctx is not None else None
    kept = getattr(babel_ctx, "tracker_translations", None)
    if kept is not None and kept[0] is not None and kept[0] is getattr(
            babel_ctx, "babel_locale", None):
        return kept[1]
    from flask_babel import get_domain

    return get_domain().get_translations()


def gettext(string: str, **variables: object) -> str:
    """Flask-Babel's ``gettext`` by the short way (the request's kept catalogue): the same
    result, for the strings a page translates per row (clocks, labels)."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def translate(label: object) -> str:
    """A lazy string (``_l``, ``lazy_pgettext``) in the current language, by the short way
    where it can be: enum labels are read a few times per row of a list."""
    from flask_babel import speaklater

    if isinstance(label, speaklater.LazyString) and not label._kwargs:
        func, args = label._func, label._args
        if func is _flask_babel_gettext and len(args) == 1:
            return translations().ugettext(args[0])
        if func is _flask_babel_pgettext and len(args) == 2:
            return translations().upgettext(*args)
    return str(label)


def init_translations(app: Flask) -> None:
    """Serve gettext from ``RequestDomain``, in Python code and in templates alike."""
    config = app.extensions["babel"]
    if not isinstance(config.instance.__dict__.get("domain_instance"), RequestDomain):
        # ``Babel.domain_instance`` is a cached property: the domain every request uses.
        config.instance.__dict__["domain_instance"] = RequestDomain(
            domain=config.default_domain)

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


# -- what was stored in some language --------------------------------------------------------
def wordings(label: object) -> frozenset[str]:
    """Every language's wording of a lazy label (the English msgid included): what a job
    or a seed may have stored, whichever language it ran in, to be read back as the label."""
    return msgid_wordings(str(label._args[0]))  # type: ignore[attr-defined]


def msgid_wordings(msgid: str) -> frozenset[str]:
    """Every language's wording of one message (``wordings`` of its lazy label)."""
    return _wordings(msgid, tuple(current_app.config["LANGUAGES"]))


def wording_patterns(msgid: str) -> list[re.Pattern[str]]:
    """A regular expression per language's wording of ``msgid``, each ``%(name)s`` a named
    group: a sentence stored before its code, read back as the code and its values."""
    patterns = []
    for wording in sorted(msgid_wordings(msgid)):
        parts = re.split(r"%\((\w+)\)[sd]", wording)
        # spaces may be missing where an empty value was stripped ("… 4 / 5." for no comment)
        patterns.append(re.compile("".join(
            re.escape(part).replace(r"\ ", r"\s*") if i % 2 == 0 else f"(?P<{part}>.*?)"
            for i, part in enumerate(parts)) + r"\s*", re.S))
    return patterns


@functools.cache
def _wordings(msgid: str, languages: tuple[str, ...]) -> frozenset[str]:
    from flask_babel import force_locale

    found = {msgid}
    for language in languages:
        with force_locale(language):
            found.add(_flask_babel_gettext(msgid))
    return frozenset(found)
