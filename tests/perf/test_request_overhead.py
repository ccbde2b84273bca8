"""What every signed-in page costs before its own work: one statement for the user with
their teams, roles, grants and capabilities, and one for the top bar's counts."""

from __future__ import annotations

from datetime import date

from tests.perf.helpers import count_get
from tracker.extensions import db
from tracker.models import FollowUp, Notification


def test_a_plain_page_costs_two_statements(login_as):
    for role in ("admin", "team_member", "support_agent", "auditor"):
        n, sent = count_get(login_as(role), "/auth/password")
        assert n == 2, (role, sent)


def test_the_top_bar_counts_are_one_statement_and_right(users, login_as):
    member = users["team_member"]
    db.session.add_all([FollowUp(title=f"f{due}", owner_id=member.id, due_on=due,
                                 source_type="manual", source_id=0, created_by_id=member.id)
                        for due in (date(2000, 1, 1), date(2000, 1, 2), date(2999, 1, 1))])
    db.session.add_all([Notification(user_id=member.id, kind="note", subject=f"n{i}", link="/")
                        for i in range(3)] + [Notification(
                            user_id=users["admin"].id, kind="note", subject="other", link="/")])
    db.session.commit()
    client = login_as("team_member")
    n, _sent = count_get(client, "/auth/password")
    assert n == 2
    html = client.get("/auth/password").get_data(as_text=True)
    assert 'data-testid="nav-overdue">2<' in html
    assert 'data-testid="nav-today"' not in html
    assert '<span class="count" data-testid="nav-unread">3<' in html


def test_permissions_from_the_loaded_user_match_the_query(app, users):
    from tracker.access.permissions import _load, from_objects
    from tracker.auth.loader import load_user

    for user in users.values():
        db.session.expire_all()
        loaded = load_user(user.session_token)
        assert loaded is not None
        merged = from_objects(loaded)
        db.session.expire_all()
        queried = _load(db.session.get(type(user), user.id))
        assert merged.read == queried.read and merged.write == queried.write
        assert merged.capabilities == queried.capabilities


def test_a_role_change_takes_effect_on_the_next_request(users, login_as):
    member = users["team_member"]
    client = login_as("team_member")
    assert client.get("/admin/users").status_code in (403, 404)
    admin_role = next(r for r in users["admin"].roles)
    member.roles.append(admin_role)
    db.session.commit()
    assert client.get("/admin/users").status_code == 200
    member.roles.remove(admin_role)
    db.session.commit()
    assert client.get("/admin/users").status_code in (403, 404)


def _generation() -> int:
    from tracker.models import Generations

    return db.session.scalar(__import__("sqlalchemy").select(Generations.access))


def test_access_changes_raise_the_generation_and_reach_the_next_request(users, login_as):
    from tests import factories
    from tracker.models import TeamMembership

    member = users["team_member"]
    client = login_as("team_member")
    start = _generation()
    assert start >= 0
    member.name = "Renamed"  # not access: the kept access stays
    db.session.commit()
    assert _generation() == start
    n, _sent = count_get(client, "/auth/password")
    assert n == 2

    # a new team: the kept team list is dropped and the team's pages open
    team = factories.make_team("Kept access team")
    db.session.commit()
    before_join = _generation()
    db.session.add(TeamMembership(team_id=team.id, user_id=member.id))
    db.session.commit()
    assert _generation() > before_join
    page = client.get(f"/teams/{team.id}")
    assert page.status_code == 200

    # a grant taken away from the member's role: refused on the next request
    role = member.roles[0]
    assert client.get("/partners/").status_code == 200
    grant = next(g for g in role.grants if g.area == "partners")
    grant.read_level = 0
    grant.write_level = 0
    db.session.commit()
    assert client.get("/partners/").status_code in (403, 404)

    # deactivated: signed out at once
    member.is_enabled = False
    db.session.commit()
    assert client.get("/auth/password").status_code == 302
