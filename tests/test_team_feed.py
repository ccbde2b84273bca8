"""The team feed: recognition (also on the person's page), announcements and findings with
their discussions, safe links, scopes and the stale-form check."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Post, PostComment, Recognition, Team
from tracker.web.teams.feed.forms import safe_link

FIELD_ERROR = 'class="field-error"'
REL = 'rel="noopener noreferrer nofollow"'


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<small id="{field}-help" class="field-error">(.*?)</small>', html, re.S)
    return match.group(1).strip() if match else ""


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def make_post(team: Team, author=None, title: str = "Q3 pricing changes", **fields) -> Post:
    post = Post(team_id=team.id, author_id=author.id if author else None, title=title,
                **{"kind": "announcement", "body": "New price list from 1 July.", **fields})
    db.session.add(post)
    db.session.commit()
    return post


def make_recognition(team: Team, giver, recipient, message: str = "Closed the Yuntu deal "
                     "with a week to spare.", **fields) -> Recognition:
    recognition = Recognition(team_id=team.id, giver_id=giver.id if giver else None,
                              recipient_id=recipient.id, message=message, **fields)
    db.session.add(recognition)
    db.session.commit()
    return recognition


# -- recognition -----------------------------------------------------------------------

def test_recognition_shows_on_the_feed_and_the_persons_page(login_as, users):
    alpha = _alpha()
    client = login_as("team_member")
    form = _page(client.get(f"/teams/{alpha.id}/recognize"))
    options = re.search(r'<select[^>]*name="recipient_id".*?</select>', form, re.S).group(0)
    assert "Support_Agent" in options and "Team_Member" not in options  # not oneself
    assert "Admin" not in options  # members of the team only
    response = client.post(f"/teams/{alpha.id}/recognize", data={
        "recipient_id": users["support_agent"].id,
        "message": "Stayed late to get the Huadong shipment out on time."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teams/{alpha.id}/feed")
    recognition = db.session.scalar(sa.select(Recognition))
    assert (recognition.giver_id, recognition.recipient_id, recognition.team_id) == (
        users["team_member"].id, users["support_agent"].id, alpha.id)
    feed = _page(client.get(f"/teams/{alpha.id}/feed"))
    assert "Stayed late to get the Huadong shipment out on time." in feed
    person_url = f"/teams/people/{users['support_agent'].id}"
    assert f'href="{person_url}"' in feed
    person = _page(login_as("account_manager").get(person_url))
    assert "Stayed late to get the Huadong shipment out on time." in person
    assert "Alpha" in person


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"message": "Thanks!!"}, "message", "in 10 to 2000 characters"),
    ({"message": "   Thanks!!      "}, "message", "in 10 to 2000 characters"),
    ({"message": ""}, "message", "Say what they did."),
    ({"recipient_id": ""}, "recipient_id", "Choose whom to recognize."),
    ({"recipient_id": "self"}, "recipient_id", "other than yourself"),
    ({"recipient_id": "admin"}, "recipient_id", "other than yourself"),
])
def test_recognition_form_marks_the_field(login_as, users, data, field, message):
    alpha = _alpha()
    payload = {"recipient_id": users["support_agent"].id,
               "message": "Answered every ticket within the hour.", **data}
    if payload["recipient_id"] == "self":
        payload["recipient_id"] = users["team_member"].id
    elif payload["recipient_id"] == "admin":
        payload["recipient_id"] = users["admin"].id
    response = login_as("team_member").post(f"/teams/{alpha.id}/recognize", data=payload)
    assert response.status_code == 422
    assert message in _field_error(_page(response), field)
    assert _count(Recognition) == 0


def test_person_page_shows_only_visible_recognition_and_goals(login_as, users):
    alpha, beta = _alpha(), factories.make_team("Beta")
    both = factories.make_user("team_member", name="Lin Both", teams=(alpha, beta))
    outsider = factories.make_user("team_member", teams=(beta,))
    make_recognition(alpha, users["team_member"], both, "Fixed the Alpha report by Monday.")
    make_recognition(beta, outsider, both, "Ran the Beta offsite brilliantly.")
    page = _page(login_as("support_agent").get(f"/teams/people/{both.id}"))
    assert "Fixed the Alpha report by Monday." in page
    assert "Ran the Beta offsite brilliantly." not in page
    assert ">Alpha<" in page and ">Beta<" not in page
    full = _page(login_as("manager").get(f"/teams/people/{both.id}"))
    assert "Ran the Beta offsite brilliantly." in full and ">Beta<" in full


def test_person_page_is_404_outside_scope(login_as, users):
    outsider = factories.make_user("team_member", teams=(factories.make_team("Beta"),))
    assert login_as("team_member").get(f"/teams/people/{outsider.id}").status_code == 404
    assert login_as("team_member").get("/teams/people/999999").status_code == 404
    assert login_as(outsider).get(
        f"/teams/people/{users['team_member'].id}").status_code == 404
    assert login_as(outsider).get(f"/teams/people/{outsider.id}").status_code == 200
    assert login_as("auditor").get(f"/teams/people/{outsider.id}").status_code == 200


def test_person_page_shows_owned_goals_with_their_bars(login_as, users):
    from tests.test_goals import make_goal

    make_goal(_alpha(), owner=users["support_agent"], title="Answer within an hour")
    page = _page(login_as("team_member").get(f"/teams/people/{users['support_agent'].id}"))
    assert "Answer within an hour" in page and "<progress" in page


def test_auditor_reads_the_feed_but_does_not_recognize(login_as, users):
    alpha = _alpha()
    make_recognition(alpha, users["team_member"], users["support_agent"])
    client = login_as("auditor")
    assert "Closed the Yuntu deal" in _page(client.get(f"/teams/{alpha.id}/feed"))
    assert client.get(f"/teams/{alpha.id}/recognize").status_code == 403
    assert client.post(f"/teams/{alpha.id}/recognize", data={}).status_code == 403


# -- the feed --------------------------------------------------------------------------

def test_feed_interleaves_recognition_and_posts_newest_first(login_as, users):
    alpha = _alpha()
    now = datetime.now(UTC)
    make_recognition(alpha, users["team_member"], users["support_agent"], "Oldest praise ok.",
                     created_at=now - timedelta(days=3))
    make_post(alpha, users["support_agent"], "Middle post", created_at=now - timedelta(days=2))
    make_recognition(alpha, users["support_agent"], users["team_member"], "Newest praise ok.",
                     created_at=now - timedelta(days=1))
    page = _page(login_as("team_member").get(f"/teams/{alpha.id}/feed"))
    positions = [page.index(text) for text in ("Newest praise ok.", "Middle post",
                                               "Oldest praise ok.")]
    assert positions == sorted(positions)


def test_feed_pages(login_as, users):
    alpha = _alpha()
    now = datetime.now(UTC)
    for n in range(20):
        make_post(alpha, users["team_member"], f"Post number {n:02d}",
                  created_at=now - timedelta(hours=2 * n))
        make_recognition(alpha, users["team_member"], users["support_agent"],
                         f"Praise number {n:02d}", created_at=now - timedelta(hours=2 * n + 1))
    client = login_as("team_member")
    first = _page(client.get(f"/teams/{alpha.id}/feed"))
    assert "Post number 00" in first and "Praise number 14" in first
    assert "Post number 15" not in first and 'rel="next"' in first
    second = _page(client.get(f"/teams/{alpha.id}/feed?page=2"))
    assert "Post number 15" in second and "Praise number 19" in second
    assert "Post number 00" not in second and 'rel="next"' not in second
    assert client.get(f"/teams/{alpha.id}/feed?page=abc").status_code == 200


def test_feed_is_404_for_another_teams_member(login_as, users):
    alpha = _alpha()
    outsider = factories.make_user("team_member", teams=(factories.make_team("Beta"),))
    post = make_post(alpha, users["team_member"])
    client = login_as(outsider)
    assert client.get(f"/teams/{alpha.id}/feed").status_code == 404
    assert client.get(f"/teams/{alpha.id}/recognize").status_code == 404
    assert client.get(f"/teams/{alpha.id}/posts/new").status_code == 404
    assert client.get(f"/teams/posts/{post.id}").status_code == 404
    assert client.post(f"/teams/posts/{post.id}/comments",
                       data={"body": "Let me in"}).status_code == 404
    assert _count(PostComment) == 0


# -- posts and discussions -------------------------------------------------------------

def test_share_a_finding_with_a_link(login_as, users):
    alpha = _alpha()
    client = login_as("team_member")
    response = client.post(f"/teams/{alpha.id}/posts/new", data={
        "kind": "finding", "title": "Competitor cuts prices by 8%",
        "body": "Seen on their site this morning.",
        "link": "https://news.example.com/pricing?id=1&x=2"})
    assert response.status_code == 302
    post = db.session.scalar(sa.select(Post))
    assert (post.kind, post.author_id, post.team_id) == ("finding", users["team_member"].id,
                                                         alpha.id)
    page = _page(client.get(f"/teams/posts/{post.id}"))
    assert (f'<a href="https://news.example.com/pricing?id=1&amp;x=2" {REL}'
            in page), page
    feed = _page(client.get(f"/teams/{alpha.id}/feed"))
    assert "Competitor cuts prices by 8%" in feed and REL in feed


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,hi",
    "ftp://files.example.com/a", "//evil.example/", "news.example.com", "http://",
    "http://[", "https://exa mple.com", "https://example.com/\"onmouseover=x",
])
def test_unsafe_links_are_refused(login_as, link):
    alpha = _alpha()
    response = login_as("team_member").post(f"/teams/{alpha.id}/posts/new", data={
        "kind": "finding", "title": "Look", "link": link})
    assert response.status_code == 422
    assert "http:// or https://" in _field_error(_page(response), "link")
    assert _count(Post) == 0


def test_safe_link():
    assert safe_link("http://example.com")
    assert safe_link("HTTPS://例子.中国/路径")
    assert not safe_link("javascript://example.com/%0Aalert(1)")
    assert not safe_link("https://example.com/a\nb")


def test_post_discussion(login_as, users):
    alpha = _alpha()
    post = make_post(alpha, users["team_member"])
    client = login_as("support_agent")
    response = client.post(f"/teams/posts/{post.id}/comments",
                           data={"body": "Does this apply to existing contracts?"})
    assert response.status_code == 302
    login_as("team_member").post(f"/teams/posts/{post.id}/comments",
                                 data={"body": "Only to new ones."})
    page = _page(client.get(f"/teams/posts/{post.id}"))
    assert page.index("Does this apply to existing contracts?") < page.index("Only to new ones.")
    comments = db.session.scalars(sa.select(PostComment).order_by(PostComment.id)).all()
    assert [c.author_id for c in comments] == [users["support_agent"].id,
                                               users["team_member"].id]
    feed = _page(client.get(f"/teams/{alpha.id}/feed"))
    assert "2 replies" in feed
    db.session.refresh(post)
    assert post.version == 1  # replies do not make an open edit form stale


def test_empty_reply_is_refused_on_its_field(login_as, users):
    post = make_post(_alpha(), users["team_member"])
    response = login_as("support_agent").post(f"/teams/posts/{post.id}/comments",
                                              data={"body": "   "})
    assert response.status_code == 422
    assert "Write a reply first." in _field_error(_page(response), "body")
    assert _count(PostComment) == 0


def test_archived_post_takes_no_replies(login_as, users):
    post = make_post(_alpha(), users["team_member"])
    client = login_as("team_member")
    assert client.post(f"/teams/posts/{post.id}/archive").status_code == 302
    assert "Q3 pricing changes" not in _page(client.get(f"/teams/{_alpha().id}/feed"))
    assert client.post(f"/teams/posts/{post.id}/comments",
                       data={"body": "Too late?"}).status_code == 403
    assert client.post(f"/teams/posts/{post.id}/restore").status_code == 403
    assert login_as("manager").post(f"/teams/posts/{post.id}/restore").status_code == 302


def test_only_the_author_edits_a_post(login_as, users):
    post = make_post(_alpha(), users["team_member"])
    assert login_as("support_agent").get(f"/teams/posts/{post.id}/edit").status_code == 403
    assert login_as("team_member").get(f"/teams/posts/{post.id}/edit").status_code == 200


def test_stale_post_edit_is_refused_with_409(login_as, users):
    post = make_post(_alpha(), users["team_member"], "Original")
    client = login_as("team_member")
    page = _page(client.get(f"/teams/posts/{post.id}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    post.title = "Changed meanwhile"
    db.session.commit()
    response = client.post(f"/teams/posts/{post.id}/edit", data={
        "version": version, "kind": "announcement", "title": "My edit", "body": "", "link": ""})
    assert response.status_code == 409
    db.session.refresh(post)
    assert post.title == "Changed meanwhile"


def test_post_form_marks_missing_title(login_as):
    response = login_as("team_member").post(f"/teams/{_alpha().id}/posts/new",
                                            data={"kind": "announcement", "title": ""})
    assert response.status_code == 422
    assert _field_error(_page(response), "title")


def test_team_page_partial_lists_the_latest_items(app, users):
    """``teams/feed/_latest.html`` is what the team page includes."""
    from flask import render_template_string
    from flask_login import login_user

    from tracker.teams.feed import queries

    alpha = _alpha()
    make_recognition(alpha, users["team_member"], users["support_agent"])
    make_post(alpha, users["team_member"], "Competitor news", kind="finding")
    with app.test_request_context():
        login_user(users["team_member"])
        html = render_template_string('{% include "teams/feed/_latest.html" %}', team=alpha,
                                      feed_items=queries.latest(users["team_member"], alpha))
    assert "Competitor news" in html and "Shared finding" in html
    assert f'href="/teams/people/{users["support_agent"].id}"' in html
