"""Team meetings and retrospectives: agenda items whose action items become follow-ups,
open action items carried over into the next meeting of a series, printable minutes,
scope and stale forms."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    AgendaItem,
    AuditEvent,
    FollowUp,
    FollowUpStatus,
    Meeting,
    Retrospective,
    Team,
    utcnow,
)
from tracker.records import archive

FIELD_ERROR = 'class="field-error"'
SERIES = "周例会 Weekly ops"


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


def _section(html: str, css_class: str) -> str:
    """The HTML of the first <section class="css_class …"> (empty when there is none)."""
    match = re.search(rf'<section class="{css_class}[^"]*".*?</section>', html, re.S)
    return match.group(0) if match else ""


def make_meeting(team: Team, title: str = "Weekly ops", *, series: str = SERIES,
                 starts_at: datetime | None = None, organizer=None,
                 items: tuple[str, ...] = ("Numbers",)) -> Meeting:
    meeting = Meeting(team=team, title=title, series=series,
                      starts_at=starts_at or utcnow() - timedelta(days=7),
                      organizer_id=organizer.id if organizer else None)
    for position, name in enumerate(items):
        meeting.items.append(AgendaItem(title=name, position=position,
                                        decisions=f"Decided on {name}"))
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_action(item: AgendaItem, title: str, owner, *, due_on: date | None = None,
                status: str = FollowUpStatus.OPEN,
                completed_at: datetime | None = None) -> FollowUp:
    followup = add_followup(item, title, owner.id, due_on or date.today() + timedelta(days=3))
    followup.team_id = item.meeting.team_id
    followup.status = status
    followup.completed_at = completed_at
    db.session.commit()
    return followup


def _meeting_form(users, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Weekly ops", "series": SERIES, "starts_at": "2026-11-23T10:00",
        "ends_at": "2026-11-23T11:00", "place": "https://meet.example/ops",
        "organizer_id": users["manager"].id,
        "attendees": [users["manager"].id, users["team_member"].id],
        "notes": "Short meeting.",
        "items-0-item_id": "", "items-0-title": "Parcel volume",
        "items-0-discussion": "Volume is up 12%.",
        "items-0-decisions": "Hire two temps for December.",
        "items-0-actions-0-title": "Post the job ad",
        "items-0-actions-0-owner_id": users["team_member"].id,
        "items-0-actions-0-due_on": "2026-11-30",
        "items-0-actions-1-title": "", "items-0-actions-1-owner_id": "",
        "items-0-actions-1-due_on": "",
        "items-1-item_id": "", "items-1-title": "Holiday rota", "items-1-discussion": "",
        "items-1-decisions": "Rota as proposed.",
        "items-1-actions-0-title": "Share the rota",
        "items-1-actions-0-owner_id": users["manager"].id,
        "items-1-actions-0-due_on": "2026-11-25",
        "items-2-title": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# -- holding a meeting ------------------------------------------------------------------

def test_action_items_become_followups_of_their_agenda_item_with_the_team(login_as, users):
    alpha = _alpha()
    http = login_as("manager")
    response = http.post(f"/teams/{alpha.id}/meetings/new", data=_meeting_form(users))
    assert response.status_code == 302, _page(response)
    meeting = db.session.scalar(sa.select(Meeting))
    assert response.headers["Location"].endswith(f"/teams/meetings/{meeting.id}")
    assert meeting.team_id == alpha.id and meeting.series == SERIES
    assert meeting.created_by_id == users["manager"].id
    assert [i.title for i in meeting.items] == ["Parcel volume", "Holiday rota"]
    assert {p.name for p in meeting.attendees} == {"Manager", "Team_Member"}
    volume, rota = meeting.items
    followups = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.title)).all()
    assert [(f.title, f.source_type, f.source_id, f.team_id, f.owner_id, f.due_on)
            for f in followups] == [
        ("Post the job ad", "agenda_items", volume.id, alpha.id, users["team_member"].id,
         date(2026, 11, 30)),
        ("Share the rota", "agenda_items", rota.id, alpha.id, users["manager"].id,
         date(2026, 11, 25)),
    ]
    assert all(f.status == FollowUpStatus.OPEN and f.organization_id is None for f in followups)

    html = _page(http.get(f"/teams/meetings/{meeting.id}"))
    assert "Hire two temps for December." in html
    assert 'href="https://meet.example/ops"' in html
    item = re.search(rf'<article class="agenda-item" id="item-{volume.id}">.*?</article>',
                     html, re.S).group(0)
    assert "Post the job ad" in item and "Team_Member" in item and "Open" in item
    assert "Share the rota" not in item


def test_meeting_time_is_typed_in_the_users_zone(login_as, users):
    users["manager"].timezone = "Asia/Shanghai"
    db.session.commit()
    login_as("manager").post(f"/teams/{_alpha().id}/meetings/new",
                             data=_meeting_form(users, ends_at=None))
    meeting = db.session.scalar(sa.select(Meeting))
    assert meeting.starts_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert meeting.ends_at is None


def test_action_item_needs_owner_and_due_date_and_item_needs_a_title(login_as, users):
    http = login_as("manager")
    response = http.post(f"/teams/{_alpha().id}/meetings/new", data=_meeting_form(
        users, **{"items-0-actions-0-owner_id": "", "items-1-actions-0-due_on": "",
                  "items-2-decisions": "A decision without an item"}))
    assert response.status_code == 422
    html = _page(response)
    assert "An action item needs an owner." in html
    assert "An action item needs a due date." in html
    assert "Give this agenda item a title, or clear the row." in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0


def test_meeting_cannot_end_before_it_starts(login_as, users):
    response = login_as("manager").post(f"/teams/{_alpha().id}/meetings/new", data=_meeting_form(
        users, ends_at="2026-11-23T09:00"))
    assert response.status_code == 422
    assert "The meeting ends before it starts." in _page(response)


def test_a_full_agenda_refused_for_a_slip_is_shown_again_without_extra_rows(login_as, users):
    """30 agenda items with 10 action rows each (the most a form takes): the refused form
    comes back whole; no blank rows are added beyond the limits."""
    data: dict[str, object] = {"title": "", "starts_at": "2026-11-23T10:00"}
    for i in range(30):
        data[f"items-{i}-title"] = f"Item {i}"
        for j in range(10):
            data[f"items-{i}-actions-{j}-title"] = f"Action {i}.{j}"
    response = login_as("manager").post(f"/teams/{_alpha().id}/meetings/new", data=data)
    assert response.status_code == 422
    html = _page(response)
    assert 'name="items-29-title"' in html and 'name="items-30-title"' not in html
    assert 'name="items-0-actions-9-title"' in html
    assert 'name="items-0-actions-10-title"' not in html


def test_the_state_of_each_action_item_shows_on_the_meeting_page(login_as, users):
    meeting = make_meeting(_alpha(), starts_at=utcnow() - timedelta(days=10))
    item = meeting.items[0]
    make_action(item, "Late one", users["team_member"], due_on=date.today() - timedelta(days=2))
    make_action(item, "Finished one", users["team_member"], status=FollowUpStatus.DONE,
                completed_at=utcnow())
    make_action(item, "Upcoming one", users["team_member"],
                due_on=date.today() + timedelta(days=5))
    html = _page(login_as("team_member").get(f"/teams/meetings/{meeting.id}"))
    rows = {re.search(r"<td>(.*?)</td>", row).group(1): row for row in re.findall(
        r'<tr class="action-item[^"]*".*?</tr>', html, re.S)}
    assert "is-overdue" in rows["Late one"] and "Overdue" in rows["Late one"]
    assert "fu-done" in rows["Finished one"] and "Overdue" not in rows["Finished one"]
    assert "fu-open" in rows["Upcoming one"] and "is-overdue" not in rows["Upcoming one"]


# -- carry-over ---------------------------------------------------------------------------

@pytest.fixture
def earlier(users):
    """A week-old meeting of the series with open, done and cancelled action items, plus
    open action items elsewhere: another series of the team, the same series in another
    team, and an archived meeting of the series."""
    alpha, beta = _alpha(), factories.make_team("Beta")
    member = users["team_member"]
    week_ago = utcnow() - timedelta(days=7)
    first = make_meeting(alpha, "Weekly ops 1", starts_at=week_ago, items=("Volume", "Rota"))
    volume, rota = first.items
    kept = {
        "open": make_action(volume, "Post the job ad", member,
                            due_on=date.today() - timedelta(days=1)),
        "open2": make_action(rota, "Share the rota", users["manager"],
                             due_on=date.today() + timedelta(days=4)),
    }
    dropped = {
        "done": make_action(volume, "Book the room", member, status=FollowUpStatus.DONE,
                            completed_at=week_ago + timedelta(days=1)),
        "cancelled": make_action(volume, "Order cake", member, status=FollowUpStatus.CANCELLED),
        "other_series": make_action(make_meeting(alpha, "Monthly review", series="Monthly",
                                                 starts_at=week_ago).items[0],
                                    "Review budget", member),
        "other_team": make_action(make_meeting(beta, "Beta weekly", starts_at=week_ago)
                                  .items[0], "Beta thing", member),
        "no_series": make_action(make_meeting(alpha, "One-off", series="",
                                              starts_at=week_ago).items[0],
                                 "One-off thing", member),
    }
    gone = make_meeting(alpha, "Cancelled weekly", starts_at=week_ago)
    dropped["archived_meeting"] = make_action(gone.items[0], "Archived thing", member)
    archive(gone)
    db.session.commit()
    return {"meeting": first, "kept": kept, "dropped": dropped}


def test_open_action_items_are_carried_into_the_next_meeting_of_the_series(
        login_as, users, earlier):
    alpha = _alpha()
    http = login_as("manager")

    form = _page(http.get(f"/teams/{alpha.id}/meetings/new", query_string={"series": SERIES}))
    carried = _section(form, "carried")
    for followup in earlier["kept"].values():
        assert followup.title in carried
    for followup in earlier["dropped"].values():
        assert followup.title not in carried
    assert "Overdue" in carried  # "Post the job ad" was due yesterday
    assert 'value="Weekly ops 1"' in form  # the next meeting starts like the last one

    today = utcnow().date()
    response = http.post(f"/teams/{alpha.id}/meetings/new", data=_meeting_form(
        users, title="Weekly ops 2", starts_at=f"{today.isoformat()}T23:59",
        ends_at=None, **{"items-0-actions-0-title": "", "items-1-actions-0-title": ""}))
    assert response.status_code == 302, _page(response)
    second = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Weekly ops 2"))
    carried = _section(_page(http.get(f"/teams/meetings/{second.id}")), "carried")
    assert carried.count('class="action-item') == 2
    for followup in earlier["kept"].values():
        assert followup.title in carried
        assert f'data-followup="{followup.id}"' in carried
    for followup in earlier["dropped"].values():
        assert followup.title not in carried
    # Carried over, not copied: still the two follow-ups of the first meeting.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp).where(
        FollowUp.source_id.in_([i.id for i in second.items]),
        FollowUp.source_type == "agenda_items")) == 0

    # The earlier meeting carries nothing from itself or later meetings.
    first = earlier["meeting"]
    assert "Nothing open from earlier meetings" in _page(http.get(f"/teams/meetings/{first.id}"))


def test_an_item_done_after_the_meeting_started_stays_on_its_page_as_done(
        login_as, users, earlier):
    alpha = _alpha()
    second = make_meeting(alpha, "Weekly ops 2", starts_at=utcnow() - timedelta(hours=1))
    later = make_meeting(alpha, "Weekly ops 3", starts_at=utcnow() + timedelta(days=7))
    followup = earlier["kept"]["open"]
    followup.status = FollowUpStatus.DONE
    followup.completed_at = utcnow()
    db.session.commit()
    http = login_as("manager")
    during = _section(_page(http.get(f"/teams/meetings/{second.id}")), "carried")
    assert "Post the job ad" in during and "fu-done" in during
    after = _section(_page(http.get(f"/teams/meetings/{later.id}")), "carried")
    assert "Post the job ad" not in after and "Share the rota" in after


def test_carried_over_items_follow_what_the_user_may_see(login_as, users, earlier):
    """A reader of their own meetings only does not see action items of meetings they
    may not open; a reader of the team's meetings does."""
    from tracker.models import Grant, Role

    role = Role(name="own_meetings", label="Own meetings")
    role.grants.append(Grant(area="teams", read_level=1, write_level=1))
    db.session.add(role)
    db.session.commit()
    own_reader = factories.make_user(None, teams=(_alpha(),))
    own_reader.roles = [role]
    db.session.commit()
    second = make_meeting(_alpha(), "Weekly ops 2", starts_at=utcnow(), organizer=own_reader)
    html = _page(login_as(own_reader).get(f"/teams/meetings/{second.id}"))
    assert "Nothing open from earlier meetings" in _section(html, "carried")
    html = _page(login_as("team_member").get(f"/teams/meetings/{second.id}"))
    assert "Post the job ad" in _section(html, "carried")


# -- minutes ----------------------------------------------------------------------------

def test_minutes_page_is_printable_and_has_decisions_and_action_items(login_as, users):
    meeting = make_meeting(_alpha(), items=("Parcel volume",), organizer=users["manager"])
    meeting.attendees = [users["manager"], users["team_member"]]
    meeting.place = "Room 3 三号会议室"
    db.session.commit()
    make_action(meeting.items[0], "Post the job ad", users["team_member"],
                due_on=date(2026, 11, 30))
    response = login_as("team_member").get(f"/teams/meetings/{meeting.id}/minutes")
    assert response.status_code == 200
    html = _page(response)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css" media="print">', html)
    assert "Decided on Parcel volume" in html
    assert "Post the job ad" in html and "Nov 30, 2026" in html and "fu-open" in html
    assert "Manager, Team_Member" in html and "Room 3 三号会议室" in html
    assert "<style" not in html and " style=" not in html and "<script" not in html
    assert 'class="topbar"' not in html  # no navigation on paper
    css = login_as("team_member").get("/static/css/print.css")
    assert css.status_code == 200 and b"@page" in css.data


# -- editing ---------------------------------------------------------------------------

def _edit_form(http, meeting_id: int) -> dict[str, object]:
    """The edit form as the page fills it in (inputs, textareas and selected options)."""
    html = _page(http.get(f"/teams/meetings/{meeting_id}/edit"))
    data: dict[str, object] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>',
                                  html, re.S):
        data[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option selected value="([^"]*)"', body) or re.findall(
            r'<option value="([^"]*)" selected', body)
        data[name] = chosen if name == "attendees" else (chosen[0] if chosen else "")
    data.pop("csrf_token", None)
    return data


def test_editing_keeps_action_items_on_their_agenda_items(login_as, users):
    meeting = make_meeting(_alpha(), items=("First", "Second", "Third"))
    first, second, third = meeting.items
    action = make_action(second, "Linked to second", users["team_member"])
    http = login_as("manager")
    data = _edit_form(http, meeting.id)
    assert data["items-1-item_id"] == str(second.id) and data["items-1-title"] == "Second"
    # Clear the first item, rename the second, add an action to the third.
    data.update({"items-0-title": "", "items-0-decisions": "", "items-0-discussion": "",
                 "items-1-title": "Second, renamed",
                 "items-2-actions-0-title": "New for third",
                 "items-2-actions-0-owner_id": str(users["manager"].id),
                 "items-2-actions-0-due_on": "2026-12-01"})
    response = http.post(f"/teams/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 302, _page(response)
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert [(i.id, i.title, i.position) for i in meeting.items] == [
        (second.id, "Second, renamed", 0), (third.id, "Third", 1)]
    assert db.session.get(FollowUp, action.id).source_id == second.id
    new = db.session.scalar(sa.select(FollowUp).where(FollowUp.title == "New for third"))
    assert (new.source_id, new.team_id) == (third.id, meeting.team_id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 2
    assert db.session.get(AgendaItem, first.id) is None
    history = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.record_type == "meetings", AuditEvent.record_id == meeting.id)).all()
    assert "agenda_items.delete" in history


def test_an_agenda_item_with_action_items_cannot_be_cleared(login_as, users):
    meeting = make_meeting(_alpha(), items=("Keep me",))
    make_action(meeting.items[0], "Linked", users["team_member"])
    http = login_as("manager")
    data = _edit_form(http, meeting.id)
    data.update({"items-0-title": "", "items-0-decisions": ""})
    response = http.post(f"/teams/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 422
    assert "This agenda item has action items; it keeps a title." in _page(response)
    # Left out of the post altogether, it stays too.
    data = {k: v for k, v in _edit_form(http, meeting.id).items()
            if not k.startswith("items-")}
    assert http.post(f"/teams/meetings/{meeting.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert [i.title for i in db.session.get(Meeting, meeting.id).items] == ["Keep me"]


def test_an_agenda_item_of_another_meeting_cannot_be_taken_over(login_as, users):
    mine = make_meeting(_alpha(), "Mine", items=("Mine 1",))
    other = make_meeting(_alpha(), "Other", items=("Other 1",))
    http = login_as("manager")
    data = _edit_form(http, mine.id)
    data.update({"items-1-item_id": str(other.items[0].id), "items-1-title": "Hijack"})
    assert http.post(f"/teams/meetings/{mine.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaItem, other.items[0].id).title == "Other 1"
    assert [i.title for i in db.session.get(Meeting, mine.id).items] == ["Mine 1", "Hijack"]


def test_stale_meeting_form_is_refused(login_as, users):
    meeting = make_meeting(_alpha(), items=("Volume",))
    http = login_as("manager")
    data = _edit_form(http, meeting.id)
    meeting.title = "Renamed meanwhile"
    db.session.commit()
    data.update({"title": "My title", "items-0-actions-0-title": "Not created",
                 "items-0-actions-0-owner_id": str(users["manager"].id),
                 "items-0-actions-0-due_on": "2026-12-01"})
    response = http.post(f"/teams/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 409
    assert "Renamed meanwhile" in _page(response)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Renamed meanwhile"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0


def test_an_agenda_edit_alone_makes_a_new_version(login_as, users):
    meeting = make_meeting(_alpha(), items=("Volume",))
    http = login_as("manager")
    stale = _edit_form(http, meeting.id)
    fresh = dict(stale, **{"items-0-decisions": "Changed decision"})
    assert http.post(f"/teams/meetings/{meeting.id}/edit", data=fresh).status_code == 302
    assert http.post(f"/teams/meetings/{meeting.id}/edit", data=stale).status_code == 409


# -- retrospectives --------------------------------------------------------------------

def _retro_form(users, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Q4 peak retro", "held_on": "2026-11-20",
        "facilitator_id": users["manager"].id,
        "went_well": "No parcel lost.", "fell_short": "Overtime.", "lessons": "Plan temps early.",
        "actions-0-title": "Hire temps in October", "actions-0-owner_id": users["manager"].id,
        "actions-0-due_on": "2027-09-30",
        "actions-1-title": "", "actions-1-owner_id": "", "actions-1-due_on": "",
    }
    data.update(changes)
    return data


def test_retro_actions_become_followups_of_the_retro(login_as, users):
    alpha = _alpha()
    http = login_as("manager")
    response = http.post(f"/teams/{alpha.id}/retros/new", data=_retro_form(users))
    assert response.status_code == 302, _page(response)
    retro = db.session.scalar(sa.select(Retrospective))
    assert (retro.team_id, retro.held_on, retro.lessons) == (
        alpha.id, date(2026, 11, 20), "Plan temps early.")
    followup = db.session.scalar(sa.select(FollowUp))
    assert (followup.source_type, followup.source_id, followup.team_id, followup.owner_id,
            followup.due_on) == ("retrospectives", retro.id, alpha.id, users["manager"].id,
                                 date(2027, 9, 30))
    html = _page(http.get(f"/teams/retros/{retro.id}"))
    assert "Hire temps in October" in html and "No parcel lost." in html
    assert "Q4 peak retro" in _page(http.get(f"/teams/{alpha.id}/retros"))

    # Editing adds new actions; the earlier one stays as it is.
    response = http.post(f"/teams/retros/{retro.id}/edit", data=_retro_form(
        users, version=retro.version, **{"actions-0-title": "Second action"}))
    assert response.status_code == 302, _page(response)
    assert sorted(db.session.scalars(sa.select(FollowUp.title))) == [
        "Hire temps in October", "Second action"]


def test_stale_retro_form_is_refused(login_as, users):
    retro = Retrospective(team=_alpha(), title="Retro", held_on=date(2026, 11, 1))
    db.session.add(retro)
    db.session.commit()
    http = login_as("manager")
    old = retro.version
    retro.lessons = "Changed meanwhile"
    db.session.commit()
    response = http.post(f"/teams/retros/{retro.id}/edit",
                         data=_retro_form(users, version=old))
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0


# -- scope -----------------------------------------------------------------------------

def test_a_member_of_another_team_gets_404(login_as, users):
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", teams=(beta,))
    meeting = make_meeting(_alpha(), "Alpha weekly", organizer=users["manager"])
    make_action(meeting.items[0], "Alpha secret", users["team_member"])
    retro = Retrospective(team=_alpha(), title="Alpha retro", held_on=date(2026, 11, 1))
    db.session.add(retro)
    db.session.commit()
    http = login_as(outsider)
    for url in (f"/teams/meetings/{meeting.id}", f"/teams/meetings/{meeting.id}/minutes",
                f"/teams/meetings/{meeting.id}/edit", f"/teams/{_alpha().id}/meetings",
                f"/teams/{_alpha().id}/meetings/new", f"/teams/retros/{retro.id}",
                f"/teams/retros/{retro.id}/edit", f"/teams/{_alpha().id}/retros"):
        assert http.get(url).status_code == 404, url
    for url in (f"/teams/meetings/{meeting.id}/archive", f"/teams/retros/{retro.id}/archive"):
        assert http.post(url).status_code == 404, url
    # Their own team's meeting of the same series shows nothing of Alpha's.
    own = make_meeting(beta, "Beta weekly", starts_at=utcnow())
    html = _page(http.get(f"/teams/meetings/{own.id}"))
    assert "Alpha secret" not in html


def test_meeting_list_filters_by_series_and_is_newest_first(login_as, users):
    alpha = _alpha()
    make_meeting(alpha, "Old weekly", starts_at=utcnow() - timedelta(days=14))
    make_meeting(alpha, "New weekly", starts_at=utcnow() - timedelta(days=1))
    make_meeting(alpha, "Monthly", series="Monthly", starts_at=utcnow() - timedelta(days=3))
    gone = make_meeting(alpha, "Gone weekly")
    archive(gone)
    db.session.commit()
    http = login_as("team_member")
    html = _page(http.get(f"/teams/{alpha.id}/meetings"))
    table = html.split('<table class="meetings">')[1]
    assert table.index("New weekly") < table.index(">Monthly<") < table.index("Old weekly")
    assert "Gone weekly" not in html
    html = _page(http.get(f"/teams/{alpha.id}/meetings", query_string={"series": SERIES}))
    table = html.split('<table class="meetings">')[1]
    assert "New weekly" in table and "Old weekly" in table and "Monthly" not in table
    archived = _page(http.get(f"/teams/{alpha.id}/meetings", query_string={"archived": "1"}))
    assert "Gone weekly" in archived.split('<table class="meetings">')[1]


def test_archive_and_restore(login_as, users):
    meeting = make_meeting(_alpha())
    http = login_as("manager")
    assert http.post(f"/teams/meetings/{meeting.id}/archive").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).archived_at is not None
    assert http.post(f"/teams/meetings/{meeting.id}/restore").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).archived_at is None


# -- access rows (the ones offered for tests/test_access_matrix.py) ---------------------

COLUMNS = ("anonymous", "admin", "manager", "partner_manager", "account_manager",
           "support_agent", "team_member", "auditor")
ROWS = """
teams.meetings          GET  team              302 200 200 404 404 404 404 200
teams.meeting_create    GET  team              302 200 200 404 404 404 404 403
teams.meeting_create    POST team              302 422 422 404 404 404 404 403
teams.meeting_detail    GET  meeting           302 200 200 404 404 404 404 200
teams.meeting_minutes   GET  meeting           302 200 200 404 404 404 404 200
teams.meeting_edit      GET  meeting           302 200 200 404 404 404 404 403
teams.meeting_edit      POST meeting           302 422 422 404 404 404 404 403
teams.meeting_archive   POST meeting           302 302 302 404 404 404 404 403
teams.meeting_restore   POST archived_meeting  302 302 302 404 404 404 404 403
teams.meeting_history   GET  meeting           302 200 200 404 404 404 404 200
teams.retros            GET  team              302 200 200 404 404 404 404 200
teams.retro_create      GET  team              302 200 200 404 404 404 404 403
teams.retro_create      POST team              302 422 422 404 404 404 404 403
teams.retro_detail      GET  retro             302 200 200 404 404 404 404 200
teams.retro_edit        GET  retro             302 200 200 404 404 404 404 403
teams.retro_edit        POST retro             302 422 422 404 404 404 404 403
teams.retro_archive     POST retro             302 302 302 404 404 404 404 403
teams.retro_restore     POST archived_retro    302 302 302 404 404 404 404 403
teams.retro_history     GET  retro             302 200 200 404 404 404 404 200
"""


def _world() -> tuple[dict, dict]:
    """As tests/test_access_matrix.py builds it: role users in Alpha, records in Beta."""
    users = factories.role_users()
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", teams=(beta,))
    meeting = make_meeting(beta, "Beta weekly", organizer=outsider)
    gone_meeting = make_meeting(beta, "Beta gone", organizer=outsider)
    retro = Retrospective(team=beta, title="Beta retro", held_on=date(2026, 11, 1),
                          facilitator_id=outsider.id)
    gone_retro = Retrospective(team=beta, title="Beta gone retro", held_on=date(2026, 11, 1),
                               facilitator_id=outsider.id)
    db.session.add_all([retro, gone_retro])
    archive(gone_meeting)
    archive(gone_retro)
    db.session.commit()
    return users, {"team": {"team_id": beta.id}, "meeting": {"meeting_id": meeting.id},
                   "archived_meeting": {"meeting_id": gone_meeting.id},
                   "retro": {"retro_id": retro.id},
                   "archived_retro": {"retro_id": gone_retro.id}}


@pytest.mark.parametrize("row", ROWS.strip().splitlines(),
                         ids=[" ".join(r.split()[:2]) for r in ROWS.strip().splitlines()])
def test_access_rows(app, row):
    from flask import url_for

    endpoint, method, args, *codes = row.split()
    expected = dict(zip(COLUMNS, map(int, codes), strict=True))
    wrong = []
    for role in COLUMNS:
        factories.reset_database()
        users, ids = _world()
        http = app.test_client()
        if role != "anonymous":
            factories.sign_in(http, users[role])
        with app.test_request_context():
            url = url_for(endpoint, **ids[args])
        status = http.open(url, method=method, data={}).status_code
        if status != expected[role]:
            wrong.append(f"{role} {method} {url}: got {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)
