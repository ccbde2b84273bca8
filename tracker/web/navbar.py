"""The top bar on every page, written once per kind of reader and filled in per request.

What the bar shows depends on few things: which areas the reader may enter (their access,
``Permissions.key``), the language, the section the page belongs to, and whether a new
password is due. Each worker writes the bar once for each such combination (about 40
``url_for``, ``gettext`` and access calls, a tenth of a list page's time) and keeps it;
a request then only puts in the live parts, each escaped: the follow-up and
notification counts, the CSRF token, the reader's name, the search words and the page the
language switch returns to. The template marks those places as ``slots``.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from tracker.access import Area, may_enter, permissions_of
from tracker.kept import Kept

SLOTS = ("followups", "unread", "csrf", "next", "name", "q")
_MARKS = {name: Markup(f"\x1fnav:{name}\x1f") for name in SLOTS}
_WRITTEN: Kept[str] = Kept(512)


def _key() -> tuple:
    signed_in = current_user.is_authenticated
    endpoint = request.endpoint or ""
    return (permissions_of(current_user).key(current_user) if signed_in else None,
            signed_in and bool(current_user.must_change_password), str(get_locale()),
            request.blueprint, endpoint.startswith("clients.complaint"),
            endpoint.endswith("dashboard") and endpoint != "main.dashboard", request.script_root)


def _written(key: tuple) -> str:
    return _WRITTEN.get_or_build(
        key, lambda: render_template("_partials/nav.html", slots=_MARKS))


def _count(n: int, css: str, testid: str, label: str) -> str:
    return (f' <span class="{css}" data-testid="{testid}">{n}'
            f'<span class="visually-hidden"> {escape(label)}</span></span>')


def _live() -> dict[str, str]:
    from tracker.web.topbar import topbar_counts

    live = {
        "csrf": escape(generate_csrf()),
        "next": escape(request.full_path if request.method == "GET"
                       else url_for("main.dashboard")),
        "q": escape(request.args.get("q", "") if request.endpoint == "main.search" else ""),
        "followups": "", "unread": "", "name": "",
    }
    if current_user.is_authenticated:
        counts = topbar_counts()
        live["name"] = escape(current_user.name)
        if counts.unread:
            live["unread"] = _count(counts.unread, "count", "nav-unread", ngettext(
                "unread notification", "unread notifications", counts.unread))
        if not current_user.must_change_password and may_enter(current_user, Area.FOLLOWUPS):
            live["followups"] = (
                (_count(counts.overdue, "count", "nav-overdue", ngettext(
                    "follow-up overdue", "follow-ups overdue", counts.overdue))
                 if counts.overdue else "")
                + (_count(counts.today, "badge", "nav-today", ngettext(
                    "follow-up due today", "follow-ups due today", counts.today))
                   if counts.today else ""))
    return live


def navbar() -> Markup:
    """The top bar for this request."""
    html = _written(_key())
    for name, value in _live().items():
        html = html.replace(_MARKS[name], value)
    return Markup(html)
