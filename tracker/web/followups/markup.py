"""The follow-up pieces that My day, the team view and a follow-up's page repeat per row.

Python rather than Jinja macros: My day writes up to a hundred rows, each with a due date,
a source line and a "Done" button, and a macro call costs a new template context each time
(a third of the page's time). The markup is what the macros wrote.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from tracker.i18n import gettext as _
from tracker.urls import url_for
from tracker.web.templating import local_date


def status_button(endpoint: str, f: Any, label: str, cls: str = "", next: str | None = None,
                  testid: str | None = None, token: str | None = None) -> Markup:
    """A one-button form posting the follow-up's version (done, reopen); ``token``: the
    request's CSRF token, when a page of rows has already asked for it."""
    action = url_for(endpoint, followup_id=f.id)
    back = f'<input type="hidden" name="next" value="{escape(next)}">' if next else ""
    test = f' data-testid="{escape(testid)}"' if testid else ""
    return Markup(
        f'<form method="post" action="{escape(action)}" class="inline-form" data-in-place>'
        f'<input type="hidden" name="csrf_token" value="{escape(token or generate_csrf())}">'
        f'<input type="hidden" name="version" value="{f.version}">{back}'
        f'<button type="submit" class="small {escape(cls)}"{test}>{escape(label)}</button>'
        f'</form>')


def source_line(source: Any) -> Markup:
    """Where a follow-up comes from, as far as the reader may know (``SourceView``)."""
    if source.state == "shown":
        title = (f'<a href="{escape(source.url)}">{escape(source.title)}</a>' if source.url
                 else escape(source.title))
        archived = (f' <span class="badge">{escape(_("Archived"))}</span>'
                    if source.archived else "")
        return Markup(f"{escape(source.label)}: {title}{archived}")
    if source.state == "hidden":
        return Markup('<span class="muted" data-testid="source-hidden">'
                      f'{escape(_("A record you cannot see"))}</span>')
    if source.state == "gone":
        return Markup(f'<span class="muted">{escape(_("The record it came from is gone"))}'
                      "</span>")
    return Markup(f'<span class="muted">{escape(_("Written by hand"))}</span>')


def due_tag(f: Any, today: date) -> Markup:
    """The due date, marked overdue while open and past."""
    shown = escape(local_date(f.due_on))
    if f.status == "open" and f.due_on < today:
        return Markup(f'<span class="overdue">{shown}</span>')
    return Markup(shown)
