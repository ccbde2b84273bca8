"""The results page's hits, written by Python: a Jinja macro per hit (a title link, the
organization's link, "only this organization", the date, the snippet) cost the page more
than its search on a page of 33 hits. Everything is escaped here, as the template would."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import request
from markupsafe import Markup, escape

from tracker.i18n import gettext as _
from tracker.web.templating import local_date, org_page


def _within_base() -> str:
    """The current search's URL without its organization and page: "only this
    organization" adds one."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("org", "page")]
    query = urlencode(args)
    return f"{request.path}?{query}&org=" if query else f"{request.path}?org="


def hit_items(shown: Iterable[Any]) -> Markup:
    """The ``<li class="hit">`` of each shown hit (``search.Shown``)."""
    within = escape(_("only this organization"))
    base = escape(_within_base())
    orgs: dict[int, str] = {}
    items = []
    for s in shown:
        title = (f'<a href="{escape(s.url)}">{s.title}</a>' if s.url
                 else f"<span>{s.title}</span>")
        org = ""
        if s.organization is not None and s.hit.source != "organizations":
            o = s.organization
            if o.id not in orgs:
                page = org_page(o)
                name = escape(o.name)
                orgs[o.id] = (f'<small class="muted">· <a href="{escape(page)}">{name}</a>'
                              if page else f'<small class="muted">· {name}') + (
                    f'</small> <a class="hit-within" href="{base}{o.id}"><small>{within}'
                    "</small></a>")
            org = orgs[o.id]
        items.append(
            f'<li class="hit"><div class="hit-title">{title} {org} '
            f'<small class="muted hit-date">{escape(local_date(s.hit.at))}</small></div>'
            f'<p class="hit-snippet">{s.snippet}</p></li>')
    return Markup("\n".join(items))
