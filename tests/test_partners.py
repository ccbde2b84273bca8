"""Partners: logging rounds, stages and the board, the list, the expiring panel and
confidential rounds kept from those who may not see them."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    Agreement,
    AgreementVersion,
    AuditEvent,
    Conversation,
    FollowUp,
    Organization,
    PartnerStage,
    Team,
)

FIELD_ERROR = 'class="field-error"'
FLASH_ERROR = re.compile(r'<p class="flash flash-error"[^>]*>(.*?)</p>', re.S)


def _alpha() -> Team:
    return db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))


def _page(response) -> str:
    return response.get_data(as_text=True)


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# -- logging a round -------------------------------------------------------------------

@pytest.fixture
def partner(users):
    return factories.make_org("partner", "Yuntu Logistics", owner=users["partner_manager"],
                              team=_alpha(), stage="negotiating")


def _round_form(users, partner, **changes: object) -> dict[str, object]:
    contact = factories.make_contact(partner, "Zhang Wei") if not partner.contacts else (
        partner.contacts[0])
    data: dict[str, object] = {
        "kind": "meeting", "occurred_at": "2026-11-20T14:30", "title": "Pricing round",
        "our_people": [users["partner_manager"].id, users["team_member"].id],
        "their_people": [contact.id], "body": "Long talk about fees.", "outcome": "Close.",
        "topics-0-subject": "Fees", "topics-0-status": "open",
        "topics-0-our_position": "10%", "topics-0-their_position": "15%",
        "topics-0-resolution": "", "topics-1-subject": "Term", "topics-1-status": "agreed",
        "topics-1-our_position": "2 years", "topics-1-their_position": "2 years",
        "topics-1-resolution": "Two years from signing",
        "topics-2-subject": "", "topics-2-status": "open",  # a blank row is left out
        "next_steps-0-title": "Send the revised offer",
        "next_steps-0-owner_id": users["partner_manager"].id,
        "next_steps-0-due_on": "2026-11-27",
        "next_steps-1-title": "", "next_steps-1-owner_id": "", "next_steps-1-due_on": "",
    }
    data.update(changes)
    return data


def _rounds_of(org: Organization) -> list[Conversation]:
    return list(db.session.scalars(sa.select(Conversation).where(
        Conversation.organization_id == org.id)))


def test_logging_a_round_saves_topics_and_a_linked_followup(users, login_as, partner):
    http = login_as("partner_manager")
    response = http.post(f"/partners/{partner.id}/rounds/new", data=_round_form(users, partner))
    assert response.status_code == 302, _page(response)
    (talk,) = _rounds_of(partner)
    assert response.headers["Location"].endswith(f"/partners/rounds/{talk.id}")
    assert (talk.kind, talk.title, talk.author_id) == (
        "meeting", "Pricing round", users["partner_manager"].id)
    assert {p.id for p in talk.our_people} == {users["partner_manager"].id,
                                               users["team_member"].id}
    assert [c.name for c in talk.their_people] == ["Zhang Wei"]
    assert [(t.subject, t.status, t.our_position, t.their_position) for t in talk.topics] == [
        ("Fees", "open", "10%", "15%"), ("Term", "agreed", "2 years", "2 years")]
    (followup,) = db.session.scalars(sa.select(FollowUp))
    assert (followup.source_type, followup.source_id) == ("conversations", talk.id)
    assert followup.title == "Send the revised offer"
    assert followup.owner_id == users["partner_manager"].id
    assert followup.due_on == date(2026, 11, 27)
    assert followup.organization_id == partner.id and followup.team_id == _alpha().id
    page = _page(http.get(f"/partners/rounds/{talk.id}"))
    assert "Send the revised offer" in page and "Two years from signing" in page
    timeline = _page(http.get(f"/partners/{partner.id}"))
    assert "Pricing round" in timeline and "Send the revised offer" in timeline


@pytest.mark.parametrize(("zone", "stored"), [
    (None, datetime(2026, 11, 20, 6, 30, tzinfo=UTC)),  # the default zone, Asia/Shanghai
    ("Asia/Shanghai", datetime(2026, 11, 20, 6, 30, tzinfo=UTC)),
    ("Europe/London", datetime(2026, 11, 20, 14, 30, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 11, 20, 19, 30, tzinfo=UTC)),
])
def test_the_round_time_is_typed_in_the_users_zone_and_stored_as_utc(users, login_as, partner,
                                                                      zone, stored):
    users["partner_manager"].timezone = zone
    db.session.commit()
    http = login_as("partner_manager")
    response = http.post(f"/partners/{partner.id}/rounds/new", data=_round_form(users, partner))
    assert response.status_code == 302
    (talk,) = _rounds_of(partner)
    assert talk.occurred_at == stored
    # The edit form shows the time as it was typed, so saving it again changes nothing.
    edit = _page(http.get(f"/partners/rounds/{talk.id}/edit"))
    assert 'value="2026-11-20T14:30"' in edit


def test_a_next_step_without_a_due_date_is_refused_on_its_field(users, login_as, partner):
    data = _round_form(users, partner, **{"next_steps-0-due_on": ""})
    response = login_as("partner_manager").post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 422
    page = _page(response)
    assert FIELD_ERROR in page
    assert "A next step needs a due date." in page
    assert _rounds_of(partner) == []
    assert db.session.scalars(sa.select(FollowUp)).all() == []


def test_a_next_step_without_an_owner_is_refused_on_its_field(users, login_as, partner):
    data = _round_form(users, partner, **{"next_steps-0-owner_id": ""})
    response = login_as("partner_manager").post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 422
    assert "A next step needs an owner." in _page(response)
    assert _rounds_of(partner) == []


def test_a_round_without_a_title_or_time_is_refused(users, login_as, partner):
    data = _round_form(users, partner, title="", occurred_at="")
    response = login_as("partner_manager").post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 422
    assert _page(response).count(FIELD_ERROR) >= 2
    assert _rounds_of(partner) == []


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "2026-02-30T10:00", "tomorrow"])
def test_a_round_time_that_is_no_time_is_refused_on_its_field(users, login_as, partner, when):
    data = _round_form(users, partner, occurred_at=when)
    response = login_as("partner_manager").post(f"/partners/{partner.id}/rounds/new", data=data)
    assert response.status_code == 422
    assert FIELD_ERROR in _page(response)
    assert _rounds_of(partner) == []


# -- stages and the board --------------------------------------------------------------

def _stage_events(org: Organization) -> list[dict]:
    return [e.changes for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_type == "organizations", AuditEvent.record_id == org.id,
        AuditEvent.action == "update").order_by(AuditEvent.id)) if "stage" in e.changes]


@pytest.mark.parametrize("reason", ["", "   "])
def test_ending_a_partnership_without_a_reason_is_refused(login_as, partner, reason):
    response = login_as("partner_manager").post(
        f"/partners/{partner.id}/stage",
        data={"stage": "ended", "reason": reason, "version": partner.version},
        follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(partner)
    assert partner.stage == "negotiating"
    assert _stage_events(partner) == []
    (message,) = FLASH_ERROR.findall(_page(response))
    assert "Say why the partnership ended." in message


def test_ending_a_partnership_with_a_reason_moves_it_and_is_audited(users, login_as, partner):
    http = login_as("partner_manager")
    response = http.post(f"/partners/{partner.id}/stage",
                         data={"stage": "ended", "reason": "They were acquired",
                               "version": partner.version},
                         follow_redirects=True)
    assert response.status_code == 200
    assert "Yuntu Logistics moved to Ended." in _page(response)
    assert "Ended: They were acquired" in _page(response)
    db.session.refresh(partner)
    assert (partner.stage, partner.stage_reason) == ("ended", "They were acquired")
    (changes,) = _stage_events(partner)
    assert changes["stage"] == ["negotiating", "ended"]
    assert changes["stage_reason"] == ["", "They were acquired"]
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.record_id == partner.id, AuditEvent.record_type == "organizations")
        .order_by(AuditEvent.id.desc())).first()
    assert event.actor_id == users["partner_manager"].id
    # Moving on again clears the reason.
    http.post(f"/partners/{partner.id}/stage",
              data={"stage": "active", "back": "board", "version": partner.version})
    db.session.refresh(partner)
    assert (partner.stage, partner.stage_reason) == ("active", "")


def test_a_stage_move_needs_write_access(login_as, partner):
    response = login_as("auditor").post(f"/partners/{partner.id}/stage",
                                        data={"stage": "active"})
    assert response.status_code == 403
    assert login_as("team_member").post(f"/partners/{partner.id}/stage",
                                        data={"stage": "active"}).status_code == 403
    db.session.refresh(partner)
    assert partner.stage == "negotiating"


def test_an_unknown_stage_is_refused(login_as, partner):
    response = login_as("partner_manager").post(
        f"/partners/{partner.id}/stage", data={"stage": "bogus", "version": partner.version},
        follow_redirects=True)
    assert FLASH_ERROR.findall(_page(response))
    db.session.refresh(partner)
    assert partner.stage == "negotiating"


def _board_columns(page: str) -> dict[str, list[str]]:
    columns = {}
    for stage, body in re.findall(
            r'<section class="board-column" aria-labelledby="stage-(\w+)">(.*?)</section>',
            page, re.S):
        columns[stage] = re.findall(r"<strong>(.*?)</strong>", body)
    return columns


def test_the_board_shows_partners_under_their_stage(users, login_as):
    owner = users["partner_manager"]
    for name, stage in (("Alpha Prospect", "prospect"), ("Beta Talks", "negotiating"),
                        ("Gamma Live", "active"), ("Delta Gone", "ended"),
                        ("Epsilon Talks", "negotiating")):
        factories.make_org("partner", name, owner=owner, team=_alpha(), stage=stage)
    factories.make_org("client", "Client Not Here", owner=owner, stage="active")
    response = login_as("partner_manager").get("/partners/board")
    assert response.status_code == 200
    columns = _board_columns(_page(response))
    assert list(columns) == [s.value for s in PartnerStage]
    assert columns["prospect"] == ["Alpha Prospect"]
    assert columns["negotiating"] == ["Beta Talks", "Epsilon Talks"]
    assert columns["active"] == ["Gamma Live"]
    assert columns["ended"] == ["Delta Gone"]
    assert sum(map(len, columns.values())) == 5


def test_moving_on_the_board_goes_back_to_the_board(login_as, partner):
    response = login_as("partner_manager").post(
        f"/partners/{partner.id}/stage",
        data={"stage": "terms_agreed", "back": "board", "version": partner.version})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/partners/board")
    db.session.refresh(partner)
    assert partner.stage == "terms_agreed"


# -- the list --------------------------------------------------------------------------

def _list_names(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="/partners/\d+">(.*?)</a>', body)


def test_the_list_filters_by_stage(users, login_as):
    owner = users["partner_manager"]
    for name, stage in (("Anhui Trade", "negotiating"), ("Beijing Link", "active"),
                        ("Chengdu Food", "negotiating"), ("Dalian Port", "paused")):
        factories.make_org("partner", name, owner=owner, team=_alpha(), stage=stage)
    http = login_as("partner_manager")
    assert _list_names(_page(http.get("/partners/?stage=negotiating"))) == [
        "Anhui Trade", "Chengdu Food"]
    assert _list_names(_page(http.get("/partners/?stage=paused"))) == ["Dalian Port"]
    assert _list_names(_page(http.get("/partners/?stage=ended"))) == []
    assert len(_list_names(_page(http.get("/partners/?stage=bogus")))) == 4


def test_the_list_sorts_by_last_contact(users, login_as):
    owner = users["partner_manager"]
    orgs = {name: factories.make_org("partner", name, owner=owner, team=_alpha())
            for name in ("Old Friend", "Recent Friend", "Never Met", "Middle Friend")}
    factories.make_round(orgs["Old Friend"], occurred_at=_at(2024, 1, 5))
    factories.make_round(orgs["Old Friend"], occurred_at=_at(2024, 2, 5))
    factories.make_round(orgs["Recent Friend"], occurred_at=_at(2026, 3, 1))
    factories.make_round(orgs["Middle Friend"], occurred_at=_at(2025, 6, 1))
    http = login_as("partner_manager")
    newest = _list_names(_page(http.get("/partners/?sort=-last_contact")))
    assert newest == ["Recent Friend", "Middle Friend", "Old Friend", "Never Met"]
    oldest = _list_names(_page(http.get("/partners/?sort=last_contact")))
    assert oldest == ["Never Met", "Old Friend", "Middle Friend", "Recent Friend"]


def test_the_expiring_panel_lists_what_ends_within_60_days(users, login_as):
    owner = users["partner_manager"]
    org = factories.make_org("partner", "Expiry Partner", owner=owner, team=_alpha())
    today = date.today()
    cases = (("Ends In 40", "signed", 40), ("Ends In 90", "signed", 90),
             ("Active In 10", "active", 10), ("Draft In 10", "draft", 10),
             ("Ended Yesterday", "signed", -1))
    for title, status, days in cases:
        end = today + timedelta(days=days)
        agreement = Agreement(organization=org, title=title, owner=owner, team=_alpha(),
                              status=status, end_on=end)
        agreement.versions.append(AgreementVersion(number=1, end_on=end))
        db.session.add(agreement)
    db.session.commit()
    page = _page(login_as("partner_manager").get("/partners/"))
    assert 'data-testid="expiring"' in page
    panel = page.split('data-testid="expiring"', 1)[1].split("</article>", 1)[0]
    assert "Ends In 40" in panel and "Active In 10" in panel
    assert "Ends In 90" not in panel and "Draft In 10" not in panel
    assert "Ended Yesterday" not in panel
    # Nobody without the agreements area sees the panel.
    assert 'data-testid="expiring"' not in _page(login_as("team_member").get("/partners/"))


# -- confidential rounds ---------------------------------------------------------------

@pytest.fixture
def secret_talk(users):
    """A partner of team Alpha with an open round and a later confidential one.

    Everything is made before any request, so no record is stamped with a signed-in user.
    """
    author = users["partner_manager"]
    participant = factories.make_user("team_member", name="Insider", teams=(_alpha(),))
    org = factories.make_org("partner", "Secretive Partner", owner=author, team=_alpha(),
                             stage="negotiating")
    public = factories.make_round(org, "Open kickoff", author=author, our_people=(author,),
                                  occurred_at=_at(2024, 3, 10))
    secret = factories.make_round(org, "Secret pricing XQZ", author=author, confidential=True,
                                  our_people=(participant,), occurred_at=_at(2025, 8, 15))
    add_followup(secret, "Secret next step XQZ", author.id, date(2025, 8, 20), organization=org)
    add_followup(public, "Open next step", author.id, date(2026, 9, 30), organization=org)
    db.session.commit()
    return {"org": org, "public": public, "secret": secret, "participant": participant}


def _last_contact(page: str) -> str:
    match = re.search(r'data-testid="last-contact">(.*?)</dd>', page, re.S)
    assert match, "no last contact on the partner page"
    return match.group(1)


def _next_followup(page: str) -> str:
    match = re.search(r"<dt>Next follow-up</dt><dd>(.*?)</dd>", page, re.S)
    assert match, "no next follow-up on the partner page"
    return match.group(1)


def _list_row(page: str, name: str) -> str:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    (row,) = [r for r in body.split("<tr>") if f">{name}</a>" in r]
    return row


def test_a_confidential_round_is_hidden_from_those_without_access(login_as, secret_talk):
    org, secret = secret_talk["org"], secret_talk["secret"]
    http = login_as("team_member")  # sees the partner through team Alpha
    page = _page(http.get(f"/partners/{org.id}"))
    assert "Open kickoff" in page
    assert "Secret pricing XQZ" not in page and "Secret next step XQZ" not in page
    assert "3/10/24" in _last_contact(page)  # the open round, not the later secret one
    assert _next_followup(page) == "Sep 30, 2026"  # the secret round's step is not counted
    for show in ("round", "followup"):
        shown = _page(http.get(f"/partners/{org.id}?show={show}"))
        assert "XQZ" not in shown
    for url in (f"/partners/rounds/{secret.id}", f"/partners/rounds/{secret.id}/edit",
                f"/partners/rounds/{secret.id}/history"):
        assert http.get(url).status_code == 404, url
    row = _list_row(_page(http.get("/partners/")), "Secretive Partner")
    assert "Mar 10, 2024" in row and "Aug 15, 2025" not in row
    assert "Sep 30, 2026" in row and "Aug 20, 2025" not in row


def test_a_confidential_round_does_not_move_the_partner_in_sorted_lists(users, login_as,
                                                                        secret_talk):
    other = factories.make_org("partner", "Plain Partner", owner=users["partner_manager"],
                               team=_alpha())
    plain = factories.make_round(other, "Plain talk", occurred_at=_at(2024, 12, 1))
    add_followup(plain, "Plain step", None, date(2026, 1, 1), organization=other)
    db.session.commit()
    http = login_as("team_member")
    assert _list_names(_page(http.get("/partners/?sort=-last_contact"))) == [
        "Plain Partner", "Secretive Partner"]
    assert _list_names(_page(http.get("/partners/?sort=next_followup"))) == [
        "Plain Partner", "Secretive Partner"]
    manager = login_as("manager")
    assert _list_names(_page(manager.get("/partners/?sort=-last_contact"))) == [
        "Secretive Partner", "Plain Partner"]
    assert _list_names(_page(manager.get("/partners/?sort=next_followup"))) == [
        "Secretive Partner", "Plain Partner"]


@pytest.mark.parametrize("who", ["author", "participant", "manager", "auditor"])
def test_a_confidential_round_is_seen_by_its_author_participants_and_managers(
        users, login_as, secret_talk, who):
    user = {"author": users["partner_manager"], "participant": secret_talk["participant"],
            "manager": users["manager"], "auditor": users["auditor"]}[who]
    org, secret = secret_talk["org"], secret_talk["secret"]
    http = login_as(user)
    page = _page(http.get(f"/partners/{org.id}"))
    assert "Secret pricing XQZ" in page and "Secret next step XQZ" in page
    assert "8/15/25" in _last_contact(page)
    assert _next_followup(page) == "Aug 20, 2025"
    detail = http.get(f"/partners/rounds/{secret.id}")
    assert detail.status_code == 200 and "Secret next step XQZ" in _page(detail)
    row = _list_row(_page(http.get("/partners/")), "Secretive Partner")
    assert "Aug 15, 2025" in row and "Aug 20, 2025" in row


def test_a_confidential_rounds_files_follow_the_round(users, login_as, secret_talk):
    attachment = factories.make_attachment(secret_talk["secret"], filename="secret-offer.pdf")
    assert login_as("team_member").get(f"/attachments/{attachment.id}").status_code == 404
    assert login_as("team_member").post(
        f"/attachments/conversations/{secret_talk['secret'].id}",
        data={"file": (io.BytesIO(b"%PDF"), "more.pdf")},
        content_type="multipart/form-data").status_code == 404
    for who in (secret_talk["participant"], users["partner_manager"], users["manager"]):
        assert login_as(who).get(f"/attachments/{attachment.id}").status_code == 200
