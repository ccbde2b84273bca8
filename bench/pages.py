"""Which pages the bench drives, as whom, and on which records (found with SQL).

The records are chosen in an app context before gunicorn starts: a complaint the support
agent can see, the client with the most notes the account manager can see, the partner
with the most negotiation rounds, the list row 2,000 pages deep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.sql.elements import UnaryExpression
from werkzeug.datastructures import MultiDict

from tracker.access import visible
from tracker.clients.complaints.queries import SORT as QUEUE_SORT
from tracker.clients.complaints.queries import QueueFilters, queue
from tracker.extensions import db
from tracker.models import (
    Complaint,
    ComplaintEvent,
    Conversation,
    Organization,
    User,
    utcnow,
)
from tracker.orgs.queries import DEFAULT_SORT, OrgFilters, organization_list
from tracker.orgs.queries import ORDERS as ORG_ORDERS
from tracker.paging import encode_cursor

DEEP_PAGES = 2000
# (label, words, role): a name-like word, a common two-character word (in most notes:
# each kind's postings are read and capped at 1,000), a rarer one, a phrase; and the
# common word again for a reader whose every candidate is checked against their scope.
SEARCHES = (("English word", "logistics", "admin"), ("Chinese word", "科技", "admin"),
            ("two characters", "客户", "admin"), ("rare two characters", "发票", "admin"),
            ("phrase", "supply chain", "admin"), ("member two characters", "客户", "team_member"))
QUEUE_VIEWS = ("open", "unassigned", "mine", "team", "due_soon", "overdue", "closed")


@dataclass(frozen=True)
class Page:
    """One URL to load, as one role (``None``: anonymous)."""

    key: str
    label: str
    role: str | None
    url: str
    is_list: bool = False
    page_one: str | None = None  # a deep page: the key of its page 1

    @property
    def target_ratio(self) -> float:
        """The least share of the floor's requests/s this page must reach."""
        return 0.30 if self.is_list else 0.25


FLOOR = Page("floor", "floor (no database)", None, "/bench/floor")


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _most(user: User, kind: str, child: Any, child_fk: Any) -> int | None:
    """The organization of ``kind`` visible to ``user`` with the most ``child`` rows."""
    seen = visible(user, Organization).where(Organization.kind == kind).with_only_columns(
        Organization.id)
    org_id = db.session.scalar(
        sa.select(child_fk).where(child_fk.in_(seen.scalar_subquery()))
        .group_by(child_fk).order_by(sa.func.count().desc(), child_fk).limit(1))
    # No notes or rounds at all (the older generator): any visible one still is a page.
    return org_id if org_id is not None else db.session.scalar(seen.order_by(
        Organization.id).limit(1))


def _complaint(user: User) -> int | None:
    """A complaint the user sees with a long history (most events of 200 recent ones)."""
    recent = visible(user, Complaint).with_only_columns(Complaint.id).order_by(
        Complaint.id.desc()).limit(200).subquery()
    return db.session.scalar(
        sa.select(recent.c.id).outerjoin(ComplaintEvent, ComplaintEvent.complaint_id == recent.c.id)
        .group_by(recent.c.id).order_by(sa.func.count(ComplaintEvent.id).desc(), recent.c.id)
        .limit(1))


def _sort_keys(stmt: sa.Select) -> list[Any]:
    """The expressions a select orders by, without their ASC / DESC / NULLS LAST."""
    keys = []
    for clause in stmt._order_by_clauses:
        while isinstance(clause, UnaryExpression) and clause.modifier is not None:
            clause = clause.element
        keys.append(clause)
    return keys


def deep_url(stmt: sa.Select, base: str, per_page: int, keyset: bool,
             pages: int = DEEP_PAGES, keys: list[Any] | None = None) -> tuple[str, int]:
    """The URL of the list ``stmt`` shows ``pages`` deep (or its last page), and the depth.

    A keyset list (``?after=<cursor>``) starts after the last row of the page before: the
    cursor holds that row's sort key values, read here from the list select's ORDER BY
    (the lead may point this at the list's ``SortKey`` tuple instead). An OFFSET list
    takes ``?page=N``. ``base`` is the list's URL, with or without a query string.
    """
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).with_only_columns(sa.literal(1)).subquery()))
    depth = max(1, min(pages, math.ceil(total / per_page)))
    joiner = "&" if "?" in base else "?"
    if depth == 1:
        return base, 1
    if not keyset:
        return f"{base}{joiner}page={depth}", depth
    if keys is not None:  # the list's own keyset order (tracker.paging.SortKey)
        stmt = stmt.order_by(None).order_by(*[k.ordering for k in keys])
        columns = [k.expr for k in keys]
    else:
        columns = _sort_keys(stmt)
    row = db.session.execute(stmt.with_only_columns(*columns).offset(
        (depth - 1) * per_page - 1).limit(1)).one()
    if any(value is None for value in row):
        raise ValueError(f"{base}: a sort key is NULL at page {depth}; keyset keys must be "
                         "NOT NULL (coalesce them)")
    return f"{base}{joiner}after={quote(encode_cursor(list(row)))}", depth


def catalogue(app: Flask, accounts: dict[str, str], keyset: dict[str, bool]) -> tuple[
        list[Page], list[str]]:
    """Every page to drive, with the roles that exist here; and warnings for what is not."""
    pages: list[Page] = []
    warnings: list[str] = []
    unseated: dict[str, list[str]] = {}
    with app.app_context():
        users = {role: user for role, email in accounts.items() if (user := _user(email))}
        for role, email in accounts.items():
            if role not in users:
                warnings.append(f"no account {email} for {role}: its pages are skipped")

        def add(key: str, label: str, role: str, url: str | None, **extra: Any) -> None:
            if role not in users:
                unseated.setdefault(role, []).append(label)
            elif url is None:
                warnings.append(f"skipped {label}: nothing for {role} to open")
            else:
                pages.append(Page(key, label, role, url, **extra))

        for view in QUEUE_VIEWS:
            add(f"queue-{view}", f"complaint queue: {view}", "support_agent",
                f"/clients/complaints/?view={view}", is_list=True)
        agent = users.get("support_agent")
        per_page = app.config["PAGE_SIZE"]

        def add_deep(key: str, label: str, role: str, stmt: sa.Select, base: str,
                     page_one: str, keys: list[Any] | None = None) -> None:
            try:
                url, depth = deep_url(stmt, base, per_page, keyset.get(key, False), keys=keys)
            except ValueError as exc:
                warnings.append(f"skipped {label}, deep page: {exc}")
                return
            if depth == 1:
                warnings.append(f"skipped {label}, deep page: the list has one page")
                return
            add(f"{key}-deep", f"{label}, page {depth:,}", role, url, is_list=True,
                page_one=page_one)

        # Right after the views, beside its page 1: on a busy machine pages far apart in
        # the run meet different moments, and the deep page is judged against page 1.
        if agent:  # the one list long enough at full scale to be 2,000 pages deep
            add_deep("queue", "complaint queue: closed", "support_agent",
                     queue(agent, QueueFilters.from_args(MultiDict({"view": "closed"})),
                           utcnow()), "/clients/complaints/?view=closed", "queue-closed",
                     keys=list(QUEUE_SORT))
        add("queue-admin", "complaint queue: default", "admin", "/clients/complaints/",
            is_list=True)
        complaint = _complaint(agent) if agent else None
        add("complaint", "complaint page", "support_agent",
            f"/clients/complaints/{complaint}" if complaint else None)
        manager = users.get("account_manager")
        client = _most(manager, "client", Conversation, Conversation.organization_id) \
            if manager else None
        add("client", "client timeline", "account_manager",
            f"/clients/{client}" if client else None)
        partner_role = "partner_manager" if "partner_manager" in users else "admin"
        partner = _most(users[partner_role], "partner", Conversation,
                        Conversation.organization_id) if partner_role in users else None
        add("partner", "partner timeline", partner_role,
            f"/partners/{partner}" if partner else None)
        add("agreements", "agreements list", partner_role, "/partners/agreements/",
            is_list=True)
        add("my-day", "My day", "team_member", "/followups/")
        for kind, base in (("partners", "/partners/"), ("clients", "/clients/")):
            add(f"{kind}-1", f"{kind} list, page 1", "admin", base, is_list=True)
            if "admin" in users:
                add_deep(kind, f"{kind} list", "admin",
                         organization_list(users["admin"], kind[:-1], OrgFilters()), base,
                         f"{kind}-1", keys=ORG_ORDERS[DEFAULT_SORT][0])
        add("partners-member", "partners list, team member", "team_member", "/partners/",
            is_list=True)
        for label, words, role in SEARCHES:
            add(f"search-{label.replace(' ', '-').lower()}", f"search: {label} ({words})",
                role, f"/search?q={quote(words)}")
        add("dashboard-admin", "dashboard", "admin", "/")
        add("dashboard-member", "dashboard", "team_member", "/")
        add("metrics", "complaint metrics", "manager", "/clients/complaints/metrics")
        db.session.remove()
    warnings += [f"no {role} account, skipped: {', '.join(labels)}"
                 for role, labels in unseated.items()]
    return pages, warnings
