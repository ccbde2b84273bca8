"""The complaint queue's rows, written by Python rather than a Jinja loop.

Each of a page's 25 rows took a dozen template calls (a translated label, a URL, two
clocks): the loop was a third of the queue's time, and the queue is the page a complaint
desk keeps open all day. The markup is what the loop wrote; labels are translated once
per page. Each cell is named by its class and the clocks carry their column's label
(``data-label``): on a phone app.css lays a row out as a card, deadlines first in view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from tracker.i18n import gettext as _
from tracker.models import ComplaintStatus, Severity
from tracker.urls import url_for
from tracker.web.templating import clock_tag, local_date


def queue_rows(items: Sequence[Any], clocks: Mapping[int, tuple[Any, Any]],
               categories: Mapping[int, str]) -> Markup:
    """The ``<tr>`` of every complaint on the page (``clocks``: from ``page_clocks``;
    ``categories``: labels by id, ``category_labels``)."""
    if not items:
        return Markup(f'<tr><td colspan="9" class="muted">{escape(_("Nothing in this view."))}'
                      "</td></tr>")
    severity = {s.value: escape(s.label) for s in Severity}
    status = {s.value: escape(s.label) for s in ComplaintStatus}
    confidential = f' <span class="badge confidential">{escape(_("Confidential"))}</span>'
    ack_label, resolve_label = escape(_("Acknowledge")), escape(_("Resolve"))
    rows = []
    for c in items:
        ack, resolve = clocks[c.id]
        late = " is-overdue" if ack.overdue or resolve.overdue else ""
        title = escape(c.title)
        label = categories.get(c.category_id) if c.category_id else None
        category = f'<br><small class="muted">{escape(label)}</small>' if label else ""
        select = escape(_("Select %(title)s", title=c.title))
        url = escape(url_for("clients.complaint_detail", complaint_id=c.id))
        assignee = escape(c.assignee.name) if c.assignee else "—"
        rows.append(
            f'<tr class="sev-{escape(c.severity)}{late}">'
            f'<td class="q-pick"><input type="checkbox" name="ids" value="{c.id}"'
            f' aria-label="{select}"></td>'
            f'<td class="q-sev"><span class="badge sev-badge-{escape(c.severity)}">'
            f'{severity.get(c.severity, escape(c.severity))}</span></td>'
            f'<td class="q-subject"><a href="{url}">{title}</a>'
            f'{confidential if c.is_confidential else ""}{category}</td>'
            f'<td class="q-client">{escape(c.organization.name)}</td>'
            f'<td class="q-status"><span class="badge cs-{escape(c.status)}">'
            f'{status.get(c.status, escape(c.status))}</span></td>'
            f'<td class="q-assignee">{assignee}</td>'
            f'<td class="q-received">{escape(local_date(c.received_at, "short"))}</td>'
            f'<td class="q-clock" data-label="{ack_label}">{clock_tag(ack)}</td>'
            f'<td class="q-clock" data-label="{resolve_label}">{clock_tag(resolve)}</td></tr>')
    return Markup("".join(rows))
