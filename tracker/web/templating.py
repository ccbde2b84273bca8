"""Template globals and filters: the access layer, dates in the user's zone, languages."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, request
from flask_babel import format_date, format_datetime, get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup, escape

from tracker.access import Action, Area, Capability, can, has, may_create_teams, may_enter
from tracker.access.defaults import role_description, role_label
from tracker.clients.complaints.events import event_text
from tracker.history import summary_shown
from tracker.i18n import LANGUAGE_NAMES
from tracker.messages import escalation_text, followup_title
from tracker.messages import shown as shown_note
from tracker.models import Severity
from tracker.records import action_label, via_label
from tracker.teams.reports.origin import followup_notes
from tracker.text import filesize
from tracker.urls import url_for
from tracker.web.dashboard_tabs import dashboard_tabs
from tracker.web.navbar import navbar
from tracker.web.saved_views import list_key, list_url, views_for
from tracker.web.widgets import option_tags


@functools.lru_cache(maxsize=20_000)
def _format(kind: str, value: date | datetime, fmt: str, _locale: str, _zone: str) -> str:
    # Keyed by the request's locale and zone, which Flask-Babel's formatters read.
    return (format_datetime if kind == "dt" else format_date)(value, fmt)


def _locale_and_zone() -> tuple[str, str]:
    """The request's locale and zone names, read once per request: the Babel objects
    themselves are looked up again if ``force_locale`` or ``refresh`` replaced them."""
    try:
        ctx = g._flask_babel
        kept = ctx.tracker_format_key
        if kept[0] is ctx.babel_locale and kept[1] is ctx.babel_tzinfo:
            return kept[2]
    except (AttributeError, RuntimeError):
        pass
    names = (str(get_locale()), str(get_timezone()))
    try:
        ctx = g._flask_babel
        ctx.tracker_format_key = (ctx.babel_locale, ctx.babel_tzinfo, names)
    except (AttributeError, RuntimeError):
        pass
    return names


def _formatted(kind: str, value: date | datetime, fmt: str) -> str:
    """Babel's formatting costs 40-170 µs a call and a timeline shows dozens of dates that
    the next reader sees again: each worker keeps the last 20,000 it wrote."""
    return _format(kind, value, fmt, *_locale_and_zone())


def _dt(value: datetime | None, fmt: str = "medium") -> str:
    return _formatted("dt", value, fmt) if value else ""


def local_date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date in the reader's locale (the ``d`` filter); empty for None."""
    return _formatted("d", value, fmt) if value else ""


def money_format(amount: Any, currency: str) -> str:
    """An exact amount with its currency, in the user's locale."""
    from flask_babel import format_currency

    return format_currency(amount, currency or "CNY")


def format_number(value: int | float) -> str:
    """12345 -> '12,345' in the user's locale."""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)  # no separator in either language: Babel's 70 µs spared
    from flask_babel import format_decimal

    return format_decimal(value)


def duration(minutes: int | None) -> str:
    """90 -> '1 h 30 min', 3000 -> '2 d 2 h' (counted minutes, as the clocks show them)."""
    from tracker.i18n import gettext as _

    if minutes is None:
        return "—"
    days, rest = divmod(int(minutes), 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h", d=days, h=hours)
    if hours:
        return _("%(h)d h %(m)d min", h=hours, m=mins)
    return _("%(m)d min", m=mins)


def clock_tag(clock: Any) -> Markup:
    """One complaint deadline as the queue and the complaint page show it: met or late once
    done, else the time left (or overdue), paused while waiting on the client.

    Python rather than an included template: the queue shows two per row, and an include
    costs a new template context each time (a tenth of the page).
    """
    from tracker.i18n import gettext as _

    if clock.done_at:
        css, label = ("met", _("met")) if clock.met_in_time else ("late", _("late"))
        return Markup(f'<span class="clock {css}">{escape(label)}</span>')
    if clock.remaining is None:
        return Markup('<span class="clock">—</span>')
    if clock.paused:
        # Frozen at the pause, and never shown as a negative time left: a clock paused
        # after its deadline says it was overdue by then.
        paused = _("paused")
        if clock.remaining < 0:
            text = _("%(time)s overdue when paused", time=duration(-clock.remaining))
            css = "paused overdue"
        else:
            text = _("%(time)s left", time=duration(clock.remaining))
            css = "paused"
        return Markup(f'<span class="clock {css}">{escape(paused)} · {escape(text)}</span>')
    if clock.remaining < 0:
        left = _("%(time)s overdue", time=duration(-clock.remaining))
    else:
        left = _("%(time)s left", time=duration(clock.remaining))
    css = "overdue" if clock.remaining < 0 else "running"
    return Markup(f'<span class="clock {css}">{escape(left)}</span>')


def complaint_status_label(value: str) -> str:
    """A complaint status value as its label."""
    from tracker.models import ComplaintStatus

    return ComplaintStatus(value).label if value in ComplaintStatus._value2member_map_ else value


def _topbar() -> object:
    from tracker.web.topbar import topbar_counts

    return topbar_counts()


def org_page(org: Any) -> str | None:
    """The page of an organization, by its kind's blueprint; None for a kind nobody
    registered in ``ORG_KINDS`` (shown without a link rather than failing the page)."""
    from tracker.models import ORG_KINDS
    from tracker.urls import url_for

    info = ORG_KINDS.get(org.kind)
    return url_for(f"{info.blueprint}.detail", org_id=org.id) if info else None


def url_with(**changes: Any) -> str:
    """The current URL's query string with some arguments changed (filters stay bookmarkable)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    if "page" not in changes:
        args.pop("page", None)
    query = urlencode(args, doseq=True)
    return f"{request.path}?{query}" if query else request.path


def init_templating(app: Flask) -> None:
    """Expose the access layer and formatting helpers to every template."""
    app.jinja_env.globals.update(
        can=can, has=has, may_enter=may_enter, may_create_teams=may_create_teams, Area=Area,
        Action=Action,
        Capability=Capability, LANGUAGE_NAMES=LANGUAGE_NAMES, get_locale=get_locale,
        url_with=url_with, role_label=role_label, role_description=role_description,
        action_label=action_label, via_label=via_label, money_format=money_format,
        duration=duration,
        status_label=complaint_status_label, clock_tag=clock_tag, navbar=navbar,
        Severity=Severity, topbar_counts=_topbar, option_tags=option_tags, url_for=url_for,
    )
    app.jinja_env.globals["org_page"] = org_page
    # what jobs stored as codes, in the reader's language (tracker/messages.py)
    app.jinja_env.globals.update(escalation_text=escalation_text, shown_note=shown_note,
                                 followup_title=followup_title, history_summary=summary_shown,
                                 event_text=event_text, followup_notes=followup_notes)
    app.jinja_env.globals["dashboard_tabs"] = dashboard_tabs
    app.jinja_env.globals["saved_views"] = lambda endpoint: views_for(current_user, endpoint)
    app.jinja_env.globals["list_url"] = list_url
    app.jinja_env.globals["list_key"] = list_key
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["person_option"] = lambda u: (u.id, u.name)
    app.jinja_env.filters["enum_option"] = lambda e: (e.value, e.label)
    app.jinja_env.filters["tag_option"] = lambda t: (t, t)
    app.jinja_env.filters["dt"] = _dt
    app.jinja_env.filters["d"] = local_date
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
