"""Comments with @mentions on record pages: the service, the pages for each kind of record,
and who is told (only people who may see the record)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.access import may_comment_on, may_remove_comment, readers_of
from tracker.comments import NewComment, add_comment, comments_on, mentioned_ids
from tracker.extensions import db
from tracker.messages import shown
from tracker.models import Comment, Meeting, Notification, Requirement, Team, User, utcnow
from tracker.records import archive
from tracker.urls import site_path


@pytest.fixture
def world(users: dict[str, User]) -> dict[str, object]:
    """Alpha's partner and client (owned by the team member), each kind of record on them,
    and a partner of Beta nobody in Alpha sees."""
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    member = users["team_member"]
    partner = factories.make_org("partner", "青禾科技", owner=member, team=alpha)
    client = factories.make_org("client", "Harbor Foods", owner=member, team=alpha)
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", name="陈静", teams=(beta,))
    hidden = factories.make_org("partner", owner=outsider, team=beta)
    requirement = Requirement(organization=client, title="Weekly export", owner=member)
    meeting = Meeting(team=alpha, title="Alpha weekly", starts_at=utcnow(),
                      organizer_id=member.id)
    db.session.add_all([requirement, meeting])
    db.session.commit()
    return {
        "round": factories.make_round(partner, "Pricing round", author=member),
        "note": factories.make_round(client, "Kick-off call", author=member),
        "requirement": requirement,
        "complaint": factories.make_complaint(client, "Late delivery", assignee=member),
        "agreement": factories.make_agreement(partner, "Pilot", owner=member, team=alpha),
        "meeting": meeting,
        "hidden_round": factories.make_round(hidden, "Beta's round", author=outsider),
        "outsider": outsider,
    }


# Who writes on each kind (a team member has no complaints nor agreements).
WRITERS = {"round": "team_member", "note": "team_member", "requirement": "team_member",
           "complaint": "support_agent", "agreement": "partner_manager",
           "meeting": "team_member"}
PAGES = {"round": ("partners.round_detail", "round_id"),
         "note": ("clients.note_detail", "note_id"),
         "requirement": ("clients.requirement_detail", "req_id"),
         "complaint": ("clients.complaint_detail", "complaint_id"),
         "agreement": ("partners.agreement_detail", "agreement_id"),
         "meeting": ("teams.meeting_detail", "meeting_id")}


def _url(endpoint: str, **values: object) -> str:
    return site_path(endpoint, **values)


def _comments_url(record: object) -> str:
    return _url("main.comments", record_type=record.__tablename__, record_id=record.id)


def _page(kind: str, record: object) -> str:
    endpoint, arg = PAGES[kind]
    return _url(endpoint, **{arg: record.id})


# -- the service ---------------------------------------------------------------------------

def test_mentions_are_found_by_whole_names():
    people = [(1, "Lena"), (2, "Lena Lead"), (3, "陈静"), (4, "b"), (5, "Annabel"), (6, "Anna")]
    assert mentioned_ids("Hi @lena lead, and @陈静请看; a@b.com", people) == {2, 3}
    assert mentioned_ids("@Lena and @Annabel!", people) == {1, 5}
    assert mentioned_ids("@Anna's turn", people) == {6}
    assert mentioned_ids("no mention here @", people) == set()


def test_a_mention_tells_a_reader_in_their_language(users, world):
    agreement = world["agreement"]
    manager = users["manager"]
    manager.locale = "zh"
    db.session.commit()
    posted = add_comment(agreement, users["partner_manager"],
                         NewComment(body="@Manager please check the fees"))
    db.session.commit()
    assert [p.id for p in posted.notified] == [manager.id]
    assert posted.comment.mentions == [manager.id]
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == manager.id))
    assert note.event == "comment.mention" and note.kind == "mention"
    assert note.params["author"] == "Partner_Manager" and note.params["record"] == "Pilot"
    assert note.link.endswith(f"/agreements/{agreement.id}#comment-{posted.comment.id}")
    assert "提到了你" in note.subject and "协议" in note.subject
    assert note.body == "@Manager please check the fees"
    assert (note.source_type, note.source_id) == ("agreements", agreement.id)
    assert "mentioned you" in shown(note).subject  # read again in the page's language


def test_a_mention_of_someone_who_may_not_see_the_record_tells_nobody(users, world):
    round_ = world["round"]
    posted = add_comment(round_, users["team_member"], NewComment(
        body="@Support_Agent @Account_Manager @Partner_Manager have a look",
        notify_ids=(world["outsider"].id,)))
    db.session.commit()
    assert [p.name for p in posted.notified] == ["Partner_Manager"]
    assert {p.name for p in posted.not_notified} == {"Support_Agent", "Account_Manager",
                                                     "陈静"}
    told = set(db.session.scalars(sa.select(Notification.user_id)))
    assert told == {users["partner_manager"].id}
    assert posted.comment.mentions == [users["partner_manager"].id]


def test_the_author_is_never_told_of_their_own_mention(users, world):
    posted = add_comment(world["meeting"], users["team_member"],
                         NewComment(body="note to self @Team_Member"))
    assert posted.notified == [] and posted.not_notified == []
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_a_confidential_round_tells_only_who_may_read_it(users, world):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    partner = world["round"].organization
    member = users["team_member"]
    colleague = factories.make_user("team_member", name="Colleague", teams=(alpha,))
    secret = factories.make_round(partner, "Secret", author=member, confidential=True)
    assert {p.name for p in readers_of(secret)} >= {"Team_Member", "Manager", "Auditor"}
    assert colleague.id not in {p.id for p in readers_of(secret)}
    posted = add_comment(secret, member, NewComment(body="@Colleague @Manager"))
    assert [p.name for p in posted.notified] == ["Manager"]
    assert [p.name for p in posted.not_notified] == ["Colleague"]


def test_who_may_comment_and_remove(users, world):
    agreement = world["agreement"]
    assert may_comment_on(users["partner_manager"], agreement)
    assert not may_comment_on(users["auditor"], agreement)  # reads, writes nothing
    assert not may_comment_on(users["team_member"], agreement)  # cannot see agreements
    comment = add_comment(agreement, users["partner_manager"], NewComment(body="Hi")).comment
    assert may_remove_comment(users["partner_manager"], comment, agreement)
    assert may_remove_comment(users["admin"], comment, agreement)
    assert may_remove_comment(users["manager"], comment, agreement)
    assert not may_remove_comment(users["auditor"], comment, agreement)
    other = add_comment(agreement, users["manager"], NewComment(body="Mine")).comment
    assert not may_remove_comment(users["partner_manager"], other, agreement)  # write: team
    archive(agreement)
    assert not may_comment_on(users["partner_manager"], agreement)


# -- the pages, each kind of record --------------------------------------------------------

@pytest.mark.parametrize("kind", list(PAGES))
def test_post_and_show_a_comment_on_each_kind(app, login_as, users, world, kind):
    record = world[kind]
    http = login_as(WRITERS[kind])
    response = http.post(_comments_url(record), data={"body": f"First word on the {kind}"})
    assert response.status_code == 302
    assert response.location.endswith(_page(kind, record) + "#comments")
    page = http.get(_page(kind, record)).get_data(as_text=True)
    assert f"First word on the {kind}" in page
    assert 'id="comments"' in page and "js/comments.js" in page
    assert users[WRITERS[kind]].name in page
    assert [c.body for c in comments_on(record)] == [f"First word on the {kind}"]


def test_an_empty_comment_is_refused_on_the_form(login_as, world):
    http = login_as("team_member")
    response = http.post(_comments_url(world["round"]), data={"body": "   "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html and "Write a comment first." in html
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_htmx_gets_the_section_alone(login_as, users, world):
    http = login_as("team_member")
    url = _comments_url(world["round"])
    response = http.post(url, data={"body": "@Manager and @Support_Agent: done"},
                         headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="comments"') and "<html" not in html
    assert "@Manager and @Support_Agent: done" in html
    assert "1 person was notified: Manager." in html
    assert "cannot see this record and was not notified: Support_Agent." in html
    refused = http.post(url, data={"body": ""}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and 'class="field-error"' in refused.get_data(as_text=True)


def test_without_script_the_author_is_told_by_flash(login_as, world):
    http = login_as("team_member")
    response = http.post(_comments_url(world["round"]),
                         data={"body": "@Support_Agent see this"}, follow_redirects=True)
    assert "cannot see this record and was not notified: Support_Agent." in response.get_data(
        as_text=True)


def test_the_notify_list_offers_only_readers_and_notifies_the_ticked(login_as, users, world):
    http = login_as("team_member")
    page = http.get(_comments_url(world["round"])).get_data(as_text=True)
    assert 'name="notify"' in page
    for name in ("Partner_Manager", "Manager", "Auditor"):
        assert f"> {name}</label>" in page
    for name in ("Support_Agent", "Account_Manager", "陈静", "Team_Member"):
        assert f"> {name}</label>" not in page
    http.post(_comments_url(world["round"]), data={
        "body": "See the terms", "notify": [str(users["auditor"].id),
                                            str(users["support_agent"].id), "x"]})
    told = set(db.session.scalars(sa.select(Notification.user_id)))
    assert told == {users["auditor"].id}


def test_removing_leaves_a_placeholder(login_as, users, world):
    round_ = world["round"]
    comment = add_comment(round_, users["team_member"], NewComment(body="Oops")).comment
    db.session.commit()
    remove_url = _url("main.comment_remove", comment_id=comment.id)
    assert login_as("partner_manager").post(remove_url).status_code == 403
    assert login_as("support_agent").post(remove_url).status_code == 404
    http = login_as("team_member")
    response = http.post(remove_url)
    assert response.status_code == 302 and response.location.endswith("#comments")
    db.session.refresh(comment)
    assert comment.archived_at is not None and comment.archived_by_id == users["team_member"].id
    page = http.get(_page("round", round_)).get_data(as_text=True)
    assert "Comment removed" in page and "Oops" not in page
    assert http.post(remove_url).status_code == 403  # already removed


def test_an_administrator_removes_anyones_comment_in_place(login_as, users, world):
    comment = add_comment(world["meeting"], users["team_member"],
                          NewComment(body="Off topic")).comment
    db.session.commit()
    response = login_as("admin").post(_url("main.comment_remove", comment_id=comment.id),
                                      headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Comment removed" in html and "Off topic" not in html


def test_a_record_the_user_may_not_see_answers_404(login_as, world):
    http = login_as("team_member")
    hidden = world["hidden_round"]
    assert http.get(_comments_url(hidden)).status_code == 404
    assert http.post(_comments_url(hidden), data={"body": "hi"}).status_code == 404
    people = _url("main.comment_people", record_type="conversations", record_id=hidden.id)
    assert http.get(people, query_string={"q": "陈"}).status_code == 404
    assert http.get(_url("main.comments", record_type="users", record_id=1)).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_a_reader_who_writes_nothing_reads_comments_without_a_form(login_as, users, world):
    add_comment(world["agreement"], users["partner_manager"], NewComment(body="Visible to all"))
    db.session.commit()
    http = login_as("auditor")
    page = http.get(_page("agreement", world["agreement"])).get_data(as_text=True)
    assert "Visible to all" in page and 'class="comment-form"' not in page
    assert http.post(_comments_url(world["agreement"]), data={"body": "x"}).status_code == 403


def test_times_are_shown_in_the_readers_zone(login_as, users, world):
    comment = add_comment(world["meeting"], users["team_member"], NewComment(body="Zone")).comment
    from datetime import UTC, datetime

    comment.created_at = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    users["manager"].timezone = "Asia/Shanghai"
    db.session.commit()
    page = login_as("manager").get(_page("meeting", world["meeting"])).get_data(as_text=True)
    assert "3/3/26, 7:30" in page  # 07:30 the next morning in Shanghai


# -- the mention picker --------------------------------------------------------------------

def _picked(http, record: object, q: str) -> list[str]:
    url = _url("main.comment_people", record_type=record.__tablename__, record_id=record.id)
    response = http.get(url, query_string={"q": q})
    assert response.status_code == 200
    return [p["text"] for p in response.get_json()]


def test_the_picker_lists_only_people_who_may_see_the_record(login_as, users, world):
    http = login_as("team_member")
    assert _picked(http, world["round"], "a") == ["Admin", "Auditor", "Manager",
                                                   "Partner_Manager"]
    assert _picked(http, world["note"], "@a") == ["Account_Manager", "Admin", "Auditor",
                                                   "Manager", "Support_Agent"]
    assert _picked(http, world["round"], "support") == []
    assert _picked(http, world["round"], "") == []


def test_the_picker_matches_pinyin_and_initials(login_as, users, world):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    factories.make_user("team_member", name="陈静怡", teams=(alpha,))
    http = login_as("team_member")
    # 陈静 of Beta shares the sound but may not see Alpha's round.
    assert _picked(http, world["round"], "chenj") == ["陈静怡"]
    assert _picked(http, world["round"], "cjy") == ["陈静怡"]
    assert _picked(http, world["round"], "陈") == ["陈静怡"]


def test_the_notice_reads_in_the_readers_language_when_read(login_as, users, world):
    add_comment(world["agreement"], users["partner_manager"],
                NewComment(body="@Manager 请看费用"))
    db.session.commit()
    manager = users["manager"]
    http = login_as("manager")
    english = http.get(_url("main.notifications")).get_data(as_text=True)
    assert "Partner_Manager mentioned you on Agreement “Pilot”" in english
    assert "@Manager 请看费用" in english
    manager.locale = "zh"
    db.session.commit()
    chinese = http.get(_url("main.notifications")).get_data(as_text=True)
    assert "Partner_Manager 在协议“Pilot”中提到了你" in chinese
