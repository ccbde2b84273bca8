"""Organization lists, timelines and the agreements list: statements constant in the data,
page queries on an index, stored rollups right through every write path, keyset walks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tests import factories
from tests.perf.helpers import assert_uses_index, count_get
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import Complaint, FollowUpStatus, Organization, Requirement, Tag, utcnow
from tracker.models.organization import NO_CONTACT, NO_FOLLOWUP
from tracker.orgs import queries
from tracker.orgs.rollups import refresh_org_rollups
from tracker.paging import _after, encode_cursor, keyset_page

LIMIT_TODAY = 8  # issue 8: at most 8 statements per request, at any data size


def _at(days: int) -> datetime:
    return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=days)


def _grow(users, n: int, start: int = 0) -> list[Organization]:
    """``n`` partners and ``n`` clients of team Alpha, each with a bit of everything."""
    alpha = db.session.get(factories.Team, min(users["team_member"].team_ids))
    tag = db.session.query(Tag).filter_by(name="vip").first() or Tag(name="vip")
    made = []
    for i in range(start, start + n):
        for kind in ("partner", "client"):
            org = Organization(kind=kind, name=f"{kind} {i:03d}", owner=users["manager"],
                               team=alpha, tags=[tag], stage="negotiating"
                               if kind == "partner" else None)
            db.session.add(org)
            db.session.flush()
            talk = factories.Conversation(organization=org, title=f"talk {i}",
                                          occurred_at=_at(i), our_people=[users["manager"]])
            db.session.add(talk)
            db.session.flush()
            add_followup(talk, f"step {i}", users["manager"].id, date(2026, 1, 1 + i % 27),
                         organization=org)
            db.session.add(factories.Contact(organization=org, name=f"person {i}"))
            if kind == "client":
                db.session.add(Complaint(organization=org, title=f"complaint {i}"))
                db.session.add(Requirement(organization=org, title=f"wish {i}"))
            made.append(org)
    db.session.commit()
    for org in made:
        if org.kind == "partner":
            factories.make_agreement(org, f"deal {org.id}", owner=users["manager"],
                                     team=alpha, versions=2, status="signed",
                                     end_on=date.today() + timedelta(days=10))
    return made


LIST_URLS = ["/partners/", "/clients/", "/partners/agreements/",
             *(f"/partners/?sort={s}" for s in
               ("-name", "-updated", "updated", "-created", "-last_contact", "last_contact",
                "next_followup", "stage")),
             "/clients/?sort=status",
             "/partners/?after=" + encode_cursor(["partner 001", 0]),
             "/partners/agreements/?sort=title&after=" + encode_cursor(["deal", 0])]


@pytest.mark.parametrize("role", ["admin", "team_member", "manager"])
def test_statements_do_not_grow_with_the_data(users, login_as, role):
    first = _grow(users, 2)
    partner = next(o for o in first if o.kind == "partner")
    client = next(o for o in first if o.kind == "client")
    urls = [*LIST_URLS, f"/partners/{partner.id}", f"/clients/{client.id}",
            f"/partners/{partner.id}?show=round", f"/clients/{client.id}?show=note"]
    http = login_as(role)
    if role == "team_member":  # no agreements area for this role
        urls = [u for u in urls if "agreements" not in u]
    few = {url: count_get(http, url)[0] for url in urls}
    _grow(users, 30, start=10)
    for _ in range(40):  # one busy partner: many rounds on its timeline
        db.session.add(factories.Conversation(organization=partner, title="more",
                                              occurred_at=_at(5)))
    db.session.commit()
    many = {url: count_get(http, url)[0] for url in urls}
    assert many == few
    assert max(many.values()) <= LIMIT_TODAY, many


def test_timeline_older_link_walks_every_entry_once(users, login_as):
    partner = _grow(users, 1)[0]
    for i in range(70):
        db.session.add(factories.Conversation(organization=partner, title=f"r{i:02d}",
                                              occurred_at=_at(i % 9)))
    db.session.commit()
    http = login_as("manager")
    url, seen = f"/partners/{partner.id}?show=round", []
    while url:
        page = http.get(url).get_data(as_text=True)
        seen += re.findall(r"<strong>(r\d\d)</strong>", page)
        older = re.search(r'href="([^"]+)" rel="next" data-testid="older"', page)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert sorted(seen) == sorted(f"r{i:02d}" for i in range(70))


# -- plans -------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["admin", "team_member"])
def test_every_list_order_reads_organizations_by_an_index(app, users, role):
    _grow(users, 3)
    user = users[role]
    with app.test_request_context():
        for sort, (keys, _key_of) in queries.ORDERS.items():
            filters = queries.OrgFilters.from_args(MultiDict({"sort": sort.rstrip("!")}), user)
            stmt = queries.organization_list(user, "partner", filters)
            values = ["x" if i == 0 and sort.lstrip("-").startswith(("name", "status"))
                      else None for i in range(len(keys))]
            assert_uses_index(stmt.order_by(*(k.ordering for k in keys)).limit(26),
                              "organizations")
            if all(v is not None for v in values):
                assert_uses_index(stmt.where(_after(keys, values, False)), "organizations")


def test_the_name_cursor_page_seeks_instead_of_scanning(app, users):
    _grow(users, 3)
    user = users["admin"]
    with app.test_request_context():
        keys, _ = queries.ORDERS["name"]
        stmt = queries.organization_list(user, "partner", queries.OrgFilters())
        plan = assert_uses_index(stmt.where(_after(keys, ["partner 001", 5], False))
                                 .order_by(*(k.ordering for k in keys)).limit(26),
                                 "organizations")
        assert "name>" in plan.replace(" ", "") or "Index Cond" in plan or "name >" in plan


# -- rollups -----------------------------------------------------------------------------
def _rollups(org: Organization) -> tuple:
    db.session.expire(org)
    return (org.last_contact_at, org.next_followup_on, org.last_contact_all_at,
            org.next_followup_all_on)


def test_rollups_follow_every_write_path(users):
    from tracker.followups import services
    from tracker.records import archive, restore

    org = factories.make_org("partner", "Rolling", owner=users["manager"])
    assert _rollups(org) == (NO_CONTACT, NO_FOLLOWUP, NO_CONTACT, NO_FOLLOWUP)
    talk = factories.make_round(org, "public", occurred_at=_at(3))
    secret = factories.make_round(org, "secret", confidential=True, occurred_at=_at(9))
    assert _rollups(org)[0] == _at(3) and _rollups(org)[2] == _at(9)
    talk.occurred_at = _at(5)
    db.session.commit()
    assert _rollups(org)[0] == _at(5)
    step = add_followup(secret, "hidden step", None, date(2026, 2, 1), organization=org)
    open_step = add_followup(talk, "open step", None, date(2026, 3, 1), organization=org)
    db.session.commit()
    assert _rollups(org)[1] == date(2026, 3, 1) and _rollups(org)[3] == date(2026, 2, 1)
    services.complete(open_step, open_step.version)
    db.session.commit()
    assert _rollups(org)[1] == NO_FOLLOWUP
    services.reopen(open_step, open_step.version)
    db.session.commit()
    assert _rollups(org)[1] == date(2026, 3, 1)
    open_step.due_on = date(2026, 1, 15)  # what a snooze writes
    db.session.commit()
    assert _rollups(org)[1] == date(2026, 1, 15)
    secret.is_confidential = False
    db.session.commit()
    assert _rollups(org)[0] == _at(9) and _rollups(org)[1] == date(2026, 1, 15)
    archive(secret)
    db.session.commit()
    assert _rollups(org)[0] == _at(5)
    restore(secret)
    db.session.commit()
    assert _rollups(org)[0] == _at(9)
    step.archived_at = _at(1)
    open_step.status = FollowUpStatus.CANCELLED.value
    db.session.commit()
    assert _rollups(org)[1] == NO_FOLLOWUP == _rollups(org)[3]
    before = _rollups(org)
    db.session.execute(db.update(Organization).values(last_contact_at=NO_CONTACT,
                                                      next_followup_all_on=date(2000, 1, 1)))
    refresh_org_rollups(None, [org.id])
    db.session.commit()
    assert _rollups(org) == before


def test_a_rollup_leaves_the_organization_unchanged(users):
    org = factories.make_org("partner", "Quiet", owner=users["manager"])
    stamp, version = org.updated_at, org.version
    factories.make_round(org, "talk", occurred_at=_at(1))
    db.session.expire(org)
    assert (org.updated_at, org.version) == (stamp, version)


# -- keyset walks ------------------------------------------------------------------------
@pytest.mark.parametrize("sort", sorted(k for k in queries.ORDERS) + ["stage"])
def test_a_keyset_walk_visits_every_visible_row_once(app, users, sort):
    from tracker.access import visible
    from tracker.partners.queries import PARTNER_ORDERS

    _grow(users, 4)
    outsider = factories.make_team("Elsewhere")
    for i in range(25):  # ties on the sort keys, and rows the member may not see
        factories.make_org("partner", f"partner {i % 3:03d}", owner=users["admin"],
                           team=outsider if i % 2 else db.session.get(
                               factories.Team, min(users["team_member"].team_ids)))
    user = users["team_member"]
    with app.test_request_context():
        keys, key_of = PARTNER_ORDERS[sort]
        stmt = queries.organization_list(user, "partner", queries.OrgFilters())
        expected = set(db.session.scalars(
            visible(user, Organization).where(Organization.kind == "partner")
            .with_only_columns(Organization.id)))
        forward, after = [], None
        while True:
            page = keyset_page(stmt, keys, per_page=4, after=after, key_of=key_of)
            forward += [o.id for o in page.items]
            if not page.has_next:
                break
            after = page.next_cursor
        assert sorted(forward) == sorted(expected) and len(forward) == len(set(forward))
        backward, before = [], page.prev_cursor
        while before:
            page = keyset_page(stmt, keys, per_page=4, before=before, key_of=key_of)
            backward = [o.id for o in page.items] + backward
            before = page.prev_cursor
        assert backward == forward[:len(backward)] and len(backward) >= len(forward) - 4


@pytest.mark.parametrize("role", ["team_member", "admin", "auditor", "partner_manager",
                                  "account_manager", "support_agent"])
def test_owned_organizations_are_exactly_the_visible_ones_owned(users, role):
    """``visible_owned_organizations`` (the dashboard's "mine") is ``visible()`` narrowed
    to the owner, archived ones and roles without the area included."""
    from tracker.access import visible, visible_owned_organizations

    user = users[role]
    for i, kind in enumerate(("partner", "client") * 3):
        org = factories.make_org(kind, f"Owned {role} {i}", owner=user if i < 4 else None)
        if i == 1:
            org.archived_at = utcnow()
    db.session.commit()
    for kind in ("partner", "client"):
        fast = set(db.session.scalars(visible_owned_organizations(user, kind)
                                      .with_only_columns(Organization.id)))
        rule = set(db.session.scalars(visible(user, Organization, kind=kind)
                                      .where(Organization.owner_id == user.id)
                                      .with_only_columns(Organization.id)))
        assert fast == rule, (role, kind)


# -- counts ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["team_member", "admin", "auditor", "partner_manager",
                                  "account_manager", "support_agent"])
def test_the_ways_in_are_disjoint_and_add_up_to_what_the_user_sees(users, role):
    """``visible_apart`` splits ``visible()`` into disjoint selects; the list's count is
    the sum of theirs. Rows with no owner, no team, both, archived ones and filters."""
    from tracker.access import visible, visible_apart

    user = users[role]
    alpha = db.session.get(factories.Team, min(users["team_member"].team_ids))
    for i, kind in enumerate(("partner", "client") * 4):
        org = factories.make_org(kind, f"Apart {role} {i}",
                                 owner=user if i % 3 == 0 else None,
                                 team=alpha if i % 2 == 0 else None)
        if i == 5:
            org.archived_at = utcnow()
    db.session.commit()
    for kind in ("partner", "client"):
        for archived in (False, True):
            whole = set(db.session.scalars(
                visible(user, Organization, kind=kind, include_archived=archived)
                .with_only_columns(Organization.id)))
            parts = [set(db.session.scalars(part.with_only_columns(Organization.id)))
                     for part in visible_apart(user, kind, include_archived=archived)]
            assert sum(len(p) for p in parts) == len(set().union(*parts)), (role, kind)
            assert set().union(*parts) == whole, (role, kind, archived)
        for args in ({}, {"owner": "me"}, {"owner": "none"}, {"q": "Apart"},
                     {"archived": "1"}, {"team": str(alpha.id)}):
            f = queries.OrgFilters.from_args(MultiDict(args), user)
            listed = db.session.scalar(sa.select(sa.func.count()).select_from(
                queries.organization_list(user, kind, f).subquery()))
            counted = db.session.scalar(sa.select(queries.organization_count(user, kind, f)))
            assert counted == listed, (role, kind, args)


@pytest.mark.parametrize("role", ["team_member", "admin"])
def test_each_way_in_is_counted_from_an_index(app, users, role):
    from tracker.access import visible_apart

    _grow(users, 3)
    with app.test_request_context():
        for part in visible_apart(users[role], "partner"):
            assert_uses_index(part.with_only_columns(sa.literal(1)).limit(1001),
                              "organizations")
