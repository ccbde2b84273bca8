"""The search page and the top bar's suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from tracker.access import Area, may_enter, may_see_person, visible
from tracker.extensions import db
from tracker.i18n import local_to_utc
from tracker.messages import followup_title
from tracker.models import FollowUp, Organization, Team, User
from tracker.search.names import name_keys
from tracker.search.normalize import fold, query_terms
from tracker.search.query import (
    PAGE_SIZE,
    SCAN_CAP,
    Filters,
    Hit,
    Results,
    exact_counts,
    peek_cap,
    search,
)
from tracker.search.snippet import snippet
from tracker.search.sources import KIND_LABELS, KIND_NAMES, KIND_SOURCE
from tracker.text import page_number, squash, whole_number
from tracker.urls import url_for
from tracker.web.forms import active_users
from tracker.web.main import bp
from tracker.web.main.search_rows import hit_items
from tracker.web.templating import format_number, org_page

SUGGESTIONS = 8
NAMED = ("partner", "client", "contact")  # what the top bar suggests, with people

# source table -> the page of one record (endpoint, its argument, the hit's value)
PAGES: dict[str, tuple[str, str]] = {
    "agreements": ("partners.agreement_detail", "agreement_id"),
    "requirements": ("clients.requirement_detail", "req_id"),
    "complaints": ("clients.complaint_detail", "complaint_id"),
    "followups": ("followups.detail", "followup_id"),
    "meetings": ("teams.meeting_detail", "meeting_id"),
    "progress_reports": ("teams.report_detail", "report_id"),
    "problems": ("teams.problem_detail", "problem_id"),
    "resource_requests": ("teams.request_detail", "request_id"),
    "goals": ("teams.goal_detail", "goal_id"),
    "retrospectives": ("teams.retro_detail", "retro_id"),
    "posts": ("teams.post_detail", "post_id"),
}


@dataclass
class Shown:
    """One hit as the page shows it."""

    hit: Hit
    url: str | None
    title: Markup
    snippet: Markup
    organization: Organization | None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start_of(day: date | None) -> datetime | None:
    return local_to_utc(datetime.combine(day, time())) if day else None


def _filters() -> tuple[Filters, dict[str, Any]]:
    args = request.args
    kind = args.get("kind") if args.get("kind") in KIND_SOURCE else None
    since, until = _date(args.get("since")), _date(args.get("until"))
    chosen = {"kind": kind, "since": since, "until": until,
              "owner": whole_number(args.get("owner")), "team": whole_number(args.get("team")),
              "org": whole_number(args.get("org")),
              "status": squash(args.get("status"), 40) or None}
    filters = Filters(kind=kind, since=_start_of(since),
                      until=_start_of(until + timedelta(days=1)) if until else None,
                      owner_id=chosen["owner"], team_id=chosen["team"],
                      organization_id=chosen["org"], status=chosen["status"])
    return filters, chosen


def _organizations(ids: set[int]) -> dict[int, Organization]:
    """The organizations named beside the hits, those the reader may see (one statement)."""
    if not ids:
        return {}
    return {org.id: org for org in db.session.scalars(
        visible(current_user, Organization).where(Organization.id.in_(sorted(ids))))}


def _url(hit: Hit, org: Organization | None) -> str | None:
    if hit.source in ("organizations", "contacts"):
        return org_page(org) if org else None
    if hit.source == "conversations":
        return (url_for("partners.round_detail", round_id=hit.record_id) if hit.kind == "round"
                else url_for("clients.note_detail", note_id=hit.record_id))
    if hit.source == "recognitions":
        return None
    endpoint, argument = PAGES[hit.source]
    return url_for(endpoint, **{argument: hit.record_id})


def _reminder_keys(hits: list[Hit]) -> dict[int, str]:
    """The keys of the follow-ups among the hits that a job made (an agreement reminder's
    title is indexed as stored, in English, and shown in the reader's language)."""
    ids = sorted(h.record_id for h in hits if h.source == FollowUp.__tablename__)
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(FollowUp.id, FollowUp.dedupe_key).where(
        FollowUp.id.in_(ids), FollowUp.dedupe_key.is_not(None))).all())


def _shown(results: Results) -> list[Shown]:
    orgs = _organizations({h.organization_id for h in results.hits if h.organization_id})
    keys = _reminder_keys(results.hits)
    shown = []
    for hit in results.hits:
        org = orgs.get(hit.organization_id) if hit.organization_id else None
        text = hit.text
        if hit.title and text.startswith(hit.title):
            text = text[len(hit.title):]  # the title is shown above, marked
        if hit.source == FollowUp.__tablename__ and hit.record_id in keys:
            title = followup_title(hit.title, keys[hit.record_id])
        else:
            title = hit.title or str(KIND_NAMES[hit.kind])
        shown.append(Shown(hit, _url(hit, org), snippet(title, results.terms, width=300),
                           snippet(text, results.terms), org))
    return shown


@bp.route("/search", endpoint="search")
@login_required
def search_page() -> str:
    q = squash(request.args.get("q"), 200)
    filters, chosen = _filters()
    page = page_number(request.args.get("page"))
    results = search(db.session, current_user, q, filters, page=page)
    if results.capped and request.args.get("count") == "all":
        _count_all(results, q, filters)
    pages = None
    if filters.kind and results.counts.get(filters.kind):
        # Only the first SCAN_CAP of a kind are ranked, whatever the count says.
        pages = Pages(page, PAGE_SIZE, min(results.counts[filters.kind], SCAN_CAP))
    teams = (db.session.execute(visible(current_user, Team).with_only_columns(
        Team.id, Team.name).order_by(Team.sort_name)).all()
        if may_enter(current_user, Area.TEAMS) else [])
    org = (_organizations({chosen["org"]}).get(chosen["org"]) if chosen["org"] else None)
    shown = _shown(results)
    by_kind: dict[str, list[Shown]] = {}
    for s in shown:
        by_kind.setdefault(s.hit.kind, []).append(s)
    return render_template(
        "main/search.html", q=q, results=results, shown=shown, by_kind=by_kind, chosen=chosen,
        kinds=KIND_LABELS, pages=pages, cap=SCAN_CAP, peek=peek_cap(),
        people=active_users(), teams=teams, org=org, hit_items=hit_items,
        filtered=any(v for k, v in chosen.items() if k != "kind"))


def _count_all(results: Results, q: str, filters: Filters) -> None:
    """Replace the page's "100+" and "1,000+" counts with exact ones (the list stays
    ranked over the first 1,000 of a kind)."""
    exact = exact_counts(db.session, current_user, q,
                         Filters(**{**filters.__dict__, "kinds": tuple(results.capped)}))
    results.counts.update(exact)
    results.exact = True


@bp.route("/search/counts", endpoint="search_counts")
@login_required
def search_counts() -> Response:
    """Exact counts of every kind matching the search, as the page's script asks for them
    when a kind reads "100+" or "1,000+": {"kinds": {kind: "12,345"}, "all": "45,678"}, numbers
    written as the reader's locale writes them."""
    q = squash(request.args.get("q"), 200)
    filters, _chosen = _filters()
    counts = exact_counts(db.session, current_user, q, filters)
    return jsonify({"kinds": {kind: format_number(n) for kind, n in counts.items()},
                    "all": format_number(sum(counts.values()))})


class Pages:
    """What ``_partials/pagination.html`` reads, for a total known in advance."""

    def __init__(self, page: int, per_page: int, total: int) -> None:
        self.page, self.per_page, self.total = page, per_page, total
        self.pages = max(1, -(-total // per_page))
        self.has_prev, self.has_next = page > 1, page < self.pages
        self.prev_num, self.next_num = page - 1, page + 1

    def iter_pages(self, left_edge: int = 1, left_current: int = 2, right_current: int = 3,
                   right_edge: int = 1) -> Any:
        last = 0
        for n in range(1, self.pages + 1):
            if (n <= left_edge or self.page - left_current <= n <= self.page + right_current
                    or n > self.pages - right_edge):
                if last and n - last > 1:
                    yield None
                yield n
                last = n


# --- suggestions -------------------------------------------------------------------------

def _people(q: str) -> list[dict[str, str | None]]:
    folded = fold(q)
    found = []
    for person_id, name in active_users():
        if folded in fold(name) or any(key.startswith(folded) for key in name_keys(name)):
            found.append((person_id, name))
        if len(found) == SUGGESTIONS // 2:
            break
    if not found:
        return []
    people = {p.id: p for p in db.session.scalars(
        sa.select(User).where(User.id.in_([i for i, _n in found])))}
    return [{"label": name, "kind": _("Person"),
             "url": url_for("teams.person", user_id=person_id)
             if person_id in people and may_enter(current_user, Area.TEAMS)
             and may_see_person(current_user, people[person_id])
             else url_for("main.search", q=name)}
            for person_id, name in found]


@bp.route("/search/suggest")
@login_required
def suggest() -> Response:
    """Organizations, contacts and people whose name matches what is typed (pinyin and
    initials too), as JSON for the top bar's list."""
    q = squash(request.args.get("q"), 100)
    if not query_terms(q):
        return jsonify([])
    results = search(db.session, current_user, q, Filters(kinds=NAMED),
                     per_kind=SUGGESTIONS // 2)
    items: list[dict[str, str | None]] = []
    for shown in _shown(results):
        context = (shown.organization.name
                   if shown.hit.kind == "contact" and shown.organization else None)
        items.append({"label": shown.hit.title, "kind": str(KIND_NAMES[shown.hit.kind]),
                      "context": context, "url": shown.url})
    items = items[:SUGGESTIONS] + _people(q)
    return jsonify(items[:SUGGESTIONS + SUGGESTIONS // 2])
