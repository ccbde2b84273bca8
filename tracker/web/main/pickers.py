"""What the pickers offer as you type: clients, partners, contacts and people by name
(pinyin and initials too), as JSON for Tom Select (``static/js/pickers.js``).

A form never lists every client (200,000 of them made the complaint queue 9.7 MB): it
writes the chosen ones and a short list, and the picker asks here for the rest. Only
records the reader may see are offered; the form checks the chosen id again on save.
"""

from __future__ import annotations

from flask import Response, abort, jsonify, request
from flask_login import current_user, login_required

from tracker.access import Area, may_enter, visible
from tracker.extensions import db
from tracker.models import Contact, Organization, OrgKind
from tracker.search.names import name_keys
from tracker.search.normalize import fold, query_terms
from tracker.search.query import Filters, search
from tracker.text import escape_like, squash, whole_number
from tracker.web.forms import active_users
from tracker.web.main import bp

LIMIT = 12
# kind -> (the search index's kind, the model, the areas (any of them), organizations' kind)
KINDS: dict[str, tuple[str, type, tuple[Area, ...], str | None]] = {
    "client": ("client", Organization, (Area.CLIENTS,), OrgKind.CLIENT.value),
    "partner": ("partner", Organization, (Area.PARTNERS,), OrgKind.PARTNER.value),
    # a partner's or a client's; visible(Contact) keeps to those the reader may see
    "contact": ("contact", Contact, (Area.CLIENTS, Area.PARTNERS), None),
}


def _people(q: str) -> list[tuple[int, str]]:
    """Active people whose name holds what is typed, or whose pinyin or initials start so."""
    folded = fold(q)
    found = []
    for person_id, name in active_users():
        if folded in fold(name) or any(key.startswith(folded) for key in name_keys(name)):
            found.append((person_id, name))
            if len(found) == LIMIT:
                break
    return found


def _records(kind: str, q: str, org_id: int | None) -> list[tuple[int, str]]:
    """Records of ``kind`` the reader may see whose name matches: the search index first
    (words, pinyin, initials), then names that merely contain the text."""
    index_kind, model, _areas, org_kind = KINDS[kind]
    found: dict[int, str] = {}
    if query_terms(q):
        results = search(db.session, current_user, q,
                         Filters(kinds=(index_kind,), organization_id=org_id), per_kind=LIMIT)
        for hit in results.hits:
            if hit.kind == index_kind and hit.title:
                found.setdefault(hit.record_id, hit.title)
    if len(found) < LIMIT:
        stmt = (visible(current_user, model, kind=org_kind) if org_kind
                else visible(current_user, model))
        stmt = stmt.where(model.name.ilike(f"%{escape_like(q)}%", escape="\\"))
        if org_id is not None and model is Contact:
            stmt = stmt.where(Contact.organization_id == org_id)
        stmt = (stmt.with_only_columns(model.id, model.name)
                .order_by(model.sort_name, model.id).limit(LIMIT))
        for row_id, name in db.session.execute(stmt):
            found.setdefault(row_id, name)
    return list(found.items())[:LIMIT]


@bp.route("/pick/<kind>")
@login_required
def pick(kind: str) -> Response:
    """``[{"value": id, "text": name}]`` of ``kind`` matching ``q`` (``org``: a contact's
    organization), for a picker; 404 for a kind the reader's areas do not hold."""
    q = squash(request.args.get("q"), 100)
    if kind == "person":
        found = _people(q) if q else []
    elif kind in KINDS:
        if not any(may_enter(current_user, area) for area in KINDS[kind][2]):
            abort(404)
        org_id = whole_number(request.args.get("org"))
        found = _records(kind, q, org_id) if q else []
    else:
        abort(404)
    response = jsonify([{"value": str(row_id), "text": name} for row_id, name in found])
    response.headers["Cache-Control"] = "private, no-store"
    return response
