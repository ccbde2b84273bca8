"""The results page's hits, written by Python: a Jinja macro per hit (a title link, the
organization's link, "only this organization", the date, the snippet) cost the page more
than its search on a page of 33 hits. Everything is escaped here, as the template would."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from tracker.i18n import gettext as _
from tracker.web.templating import local_date, org_page, url_with


def hit_items(shown: Iterable[Any]) -> Markup:
    """The ``<li class="hit">`` of each shown hit (``search.Shown``)."""
    within = escape(_("only this organization"))
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
                link = f'<a href="{escape(page)}">{name}</a>' if page else name
                orgs[o.id] = (f'<small class="muted">· {link}</small> <a class="hit-within" '
                              f'href="{escape(url_with(org=o.id))}"><small>{within}</small></a>')
            org = orgs[o.id]
        items.append(
            f'<li class="hit"><div class="hit-title">{title} {org} '
            f'<small class="muted hit-date">{escape(local_date(s.hit.at))}</small></div>'
            f'<p class="hit-snippet">{s.snippet}</p></li>')
    return Markup("\n".join(items))
