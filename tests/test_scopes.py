"""Lists, counts, searches, exports and dashboards never include a record out of scope."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.access import Action, Area, can, explain, may_create_teams, visible
from tracker.extensions import db
from tracker.models import Contact, Organization, Team


@pytest.fixture
def spread(users):
    """Partners and clients: own, own team's, another team's, nobody's."""
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    other = factories.make_user("team_member", teams=(beta,))
    member = users["team_member"]
    made = {}
    for kind in ("partner", "client"):
        made[kind] = {
            "own": factories.make_org(kind, f"{kind}-own-zq", owner=member),
            "team": factories.make_org(kind, f"{kind}-team-zq", owner=other, team=alpha),
            "other": factories.make_org(kind, f"{kind}-other-zq", owner=other, team=beta),
            "nobody": factories.make_org(kind, f"{kind}-nobody-zq"),
        }
        for org in made[kind].values():
            factories.make_contact(org, f"{org.name}-contact")
    return made


def _names(stmt):
    return {o.name for o in db.session.scalars(stmt)}


def test_visible_follows_levels(users, spread):
    member = users["team_member"]
    names = _names(visible(member, Organization))
    assert names == {"partner-own-zq", "partner-team-zq", "client-own-zq", "client-team-zq"}
    writable = _names(visible(member, Organization, write=True))
    assert writable == {"partner-own-zq", "client-own-zq"}
    assert _names(visible(users["support_agent"], Organization)) == {
        o.name for o in spread["client"].values()}
    assert len(_names(visible(users["auditor"], Organization))) == 8


def test_can_agrees_with_visible_for_every_role_and_record(users, spread):
    records = [o for kind in spread.values() for o in kind.values()]
    for user in users.values():
        seen = {o.id for o in db.session.scalars(visible(user, Organization))}
        for org in records:
            assert can(user, Action.READ, org) == (org.id in seen), (user.email, org.name)
        contacts = {c.id for c in db.session.scalars(visible(user, Contact))}
        for contact in db.session.scalars(sa.select(Contact)):
            assert can(user, Action.READ, contact) == (contact.id in contacts)


@pytest.mark.parametrize("role", ["team_member", "account_manager", "support_agent",
                                  "partner_manager"])
def test_pages_never_show_records_out_of_scope(login_as, users, spread, role):
    client = login_as(role)
    user = users[role]
    hidden = [o for kind in spread.values() for o in kind.values()
              if not can(user, Action.READ, o)]
    assert hidden, "the fixture must hide something from every role tested"
    pages = ["/", "/search?q=zq", "/search?q=contact", "/partners/?q=zq",
             "/clients/?q=zq", "/partners/export.csv", "/clients/export.csv",
             "/partners/?archived=1", "/teams/"]
    bodies = [client.get(url).get_data(as_text=True) for url in pages]
    for org in hidden:
        for url, body in zip(pages, bodies, strict=True):
            assert org.name not in body, f"{org.name} leaked on {url} to {role}"
            assert f"{org.name}-contact" not in body
        assert client.get(f"/{org.kind}s/{org.id}").status_code in {403, 404}


def test_dashboard_counts_match_the_lists(login_as, users, spread):
    client = login_as("team_member")
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="count-partner">2<' in page
    assert 'data-testid="count-client">2<' in page


def test_list_counts_only_visible(login_as, users, spread):
    page = login_as("team_member").get("/clients/").get_data(as_text=True)
    assert "2 in all" in page


def test_writes_outside_write_scope_are_refused(login_as, users, spread):
    client = login_as("team_member")
    team_org = spread["partner"]["team"]
    assert client.get(f"/partners/{team_org.id}").status_code == 200
    assert client.get(f"/partners/{team_org.id}/edit").status_code == 403


def test_own_level_cannot_give_a_record_away(login_as, users, spread):
    """A member may edit own records only, so handing one to somebody else is refused."""
    client = login_as("team_member")
    org = spread["partner"]["own"]
    response = client.post(f"/partners/{org.id}/edit", data={
        "name": org.name, "status": "active", "owner_id": users["admin"].id,
        "version": org.version})
    assert response.status_code == 422
    db.session.refresh(org)
    assert org.owner_id == users["team_member"].id


def test_explain_names_the_granting_role(users, spread):
    reasons = explain(users["team_member"], Action.READ, spread["partner"]["team"])
    texts = " ".join(r.text for r in reasons)
    assert "Team member" in texts and "Own team's records" in texts
    refused = explain(users["team_member"], Action.READ, spread["partner"]["other"])
    assert not refused[-1].allowed


def test_why_page_for_administrators(login_as, users, spread):
    org = spread["partner"]["team"]
    page = login_as("admin").get(
        f"/partners/{org.id}/access?user={users['team_member'].id}").get_data(as_text=True)
    assert "Team member" in page and "yes" in page


def test_merged_roles_take_the_most_permissive_grant(users, spread):
    from tracker.access import forget_permissions
    from tracker.models import Role

    member = users["team_member"]
    assert not can(member, Action.READ, spread["partner"]["other"])
    member.roles.append(db.session.scalar(sa.select(Role).where(Role.name == "auditor")))
    db.session.commit()
    forget_permissions(member)
    assert can(member, Action.READ, spread["partner"]["other"])
    assert can(member, Action.EDIT, spread["partner"]["own"])  # write still from member role
    assert not can(member, Action.EDIT, spread["partner"]["other"])


def test_area_create_rules(users):
    assert can(users["team_member"], Action.CREATE, Area.PARTNERS)
    assert not can(users["auditor"], Action.CREATE, Area.PARTNERS)
    # Recording in a team is an ordinary create; founding a team needs full write access.
    assert can(users["team_member"], Action.CREATE, Area.TEAMS)
    assert not may_create_teams(users["team_member"])
    assert may_create_teams(users["manager"])
    assert not may_create_teams(users["auditor"])


def test_a_list_page_uses_a_bounded_number_of_queries(app, login_as, users):
    """The list loads owners, teams and tags in batches: adding rows adds no queries."""
    from sqlalchemy import event

    for n in range(3):
        factories.make_org("partner", f"q{n}", owner=users["manager"],
                           team=factories.make_team())
    client = login_as("manager")

    def count(url):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = count("/partners/")
    for n in range(3, 15):
        factories.make_org("partner", f"q{n}", owner=users["manager"],
                           team=factories.make_team())
    assert count("/partners/") == few
