"""The demo's teamwork: weekly meetings (agenda first, minutes and action items after),
progress reports with the lead's replies, problems, resource requests, goals with
check-ins, retrospectives, recognition and posts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from tracker.demo.orgs import complete_done
from tracker.demo.story import Story
from tracker.models import Meeting, Team
from tracker.teams.feed.services import PostInput, add_comment, recognize, save_post
from tracker.teams.goals.services import GoalInput, add_checkin, save_goal
from tracker.teams.meetings.services import (
    ActionRow,
    AgendaRow,
    MeetingInput,
    RetroInput,
    save_meeting,
    save_retro,
)
from tracker.teams.reports.queries import period_start
from tracker.teams.reports.services import (
    ProblemInput,
    ReportInput,
    RequestInput,
    comment_report,
    decide_request,
    fulfil_request,
    move_problem,
    save_problem,
    save_report,
    save_request,
)


def load(story: Story, data: dict) -> None:
    """Each team's records, kind by kind; each record's own steps stay in time order."""
    for row in data["teams"]:
        team = story.teams[row["team"]]
        for meeting in row.get("meetings", ()):
            _meeting(story, team, row, meeting)
        for report in row.get("reports", ()):
            _report(story, team, report)
        for problem in row.get("problems", ()):
            _problem(story, team, row["lead"], problem)
        for request in row.get("requests", ()):
            _request(story, team, request)
        _goals(story, team, row["lead"], row.get("goals", []))
        for retro in row.get("retrospectives", ()):
            _retro(story, team, retro)
        for praise in row.get("recognition", ()):
            with story.step(story.user(praise["from"]), story.clock.at(praise["at"])):
                recognize(team, story.uid(praise["to"]), praise["message"],
                          story.user(praise["from"]))
        for post in row.get("posts", ()):
            _post(story, team, post)


# -- meetings --------------------------------------------------------------------------

def _meeting(story: Story, team: Team, row: dict, data: dict) -> Meeting:
    """The lead sends the agenda; once the meeting is held, the minutes and the action
    items (follow-ups), and the owners complete theirs."""
    clock, lead = story.clock, story.user(row["lead"])
    slot = row["meeting_slot"]
    upcoming = clock.today + timedelta(days=(slot["weekday"] - clock.today.weekday()) % 7)
    if clock.local(upcoming, slot["time"]) <= clock.now:
        upcoming += timedelta(days=7)
    day = upcoming + timedelta(weeks=data["week"])
    starts = clock.local(day, slot["time"])
    ends = starts + timedelta(minutes=data["minutes"])
    held = "minutes_written" in data
    meeting_input = {
        "title": clock.fill(data["title"], starts, "zh"), "series": slot["series"],
        "starts_at": starts, "ends_at": ends, "place": slot["place"],
        "organizer_id": lead.id,
        "attendee_ids": tuple(story.uid(email) for email in data["attendees"])}
    sent = clock.at(data["agenda_sent"], base=starts)
    with story.step(lead, sent):
        meeting = save_meeting(team, MeetingInput(
            **meeting_input, notes="" if held else data.get("notes", ""),
            items=tuple(AgendaRow(title=item["title"]) for item in data["items"])))
    if not held:
        return meeting
    written = clock.at(data["minutes_written"], base=ends, after=sent)
    stored = sorted(meeting.items, key=lambda item: item.position)
    with story.step(lead, written):
        save_meeting(team, MeetingInput(
            **meeting_input, notes=data.get("notes", ""),
            items=tuple(AgendaRow(
                title=item["title"], discussion=item.get("discussion", ""),
                decisions=item.get("decisions", ""), item_id=kept.id,
                actions=tuple(_action(story, action, day) for action in item.get("actions", ())))
                for item, kept in zip(data["items"], stored, strict=True))),
            meeting, version=meeting.version)
    for item, kept in zip(data["items"], stored, strict=True):
        complete_done(story, kept, item.get("actions", []), written, base=ends)
    return meeting


def _action(story: Story, action: dict, day: date) -> ActionRow:
    every, unit = action.get("repeat") or (None, None)
    return ActionRow(title=action["title"], owner_id=story.uid(action["owner"]),
                     due_on=story.clock.day(action["due"], base=day),
                     repeat_every=every, repeat_unit=unit)


# -- reports, problems, requests ---------------------------------------------------------

def _report(story: Story, team: Team, data: dict) -> None:
    """A member's report for a period (0 this one, -1 the one before …), and the lead's
    reply."""
    clock = story.clock
    start = _period(team.report_cadence, clock.today, -data["period"])
    opened = clock.local(start, "00:00")
    written = clock.at(data["written"], base=start if data["period"] else None, after=opened)
    author = story.user(data["author"])
    with story.step(author, written):
        report = save_report(ReportInput(done=data["done"], next=data["next"],
                                         blockers=data.get("blockers", "")),
                             team=team, author=author, start=start)
    reply = data.get("reply")
    if reply:
        with story.step(story.user(reply["by"]),
                        clock.at(reply["after"], base=written, after=written)):
            comment_report(report, reply["text"], story.user(reply["by"]),
                           version=report.version)


def _period(cadence: str, today: date, back: int) -> date:
    """The start of the period ``back`` periods before the current one (a daily team's
    earlier periods are working days)."""
    day = period_start(cadence, today)
    for _ in range(back):
        day -= timedelta(days=1 if cadence == "daily" else 7)
        while cadence == "daily" and day.weekday() >= 5:
            day -= timedelta(days=1)
    return day


def _problem(story: Story, team: Team, lead_email: str, data: dict) -> None:
    """Raised by a member; its owner (else the lead) starts on it or solves it."""
    clock = story.clock
    raised = clock.at(data["raised"])
    with story.step(story.user(data["raised_by"]), raised):
        problem = save_problem(ProblemInput(
            title=data["title"], impact=data.get("impact", ""), urgency=data["urgency"],
            owner_id=story.uid(data.get("owner"))), team=team,
            reporter=story.user(data["raised_by"]))
    worker, when = story.user(data.get("owner") or lead_email), raised
    if data.get("started"):
        when = clock.at(data["started"], after=when)
        with story.step(worker, when):
            move_problem(problem, "in_progress")
    if data.get("solved"):
        with story.step(worker, clock.at(data["solved"], after=when)):
            move_problem(problem, "solved", data["solution"])


def _request(story: Story, team: Team, data: dict) -> None:
    """Asked for by a member; the named approver decides, and marks it fulfilled."""
    clock = story.clock
    asked = clock.at(data["requested"])
    requester, approver = story.user(data["requested_by"]), story.user(data["approver"])
    with story.step(requester, asked):
        request = save_request(RequestInput(
            kind=data["kind"], title=data["title"], amount=Decimal(data["amount"]),
            unit=data["unit"], reason=data["reason"], approver_id=approver.id),
            team=team, requester=requester)
    decision = data.get("decision")
    if decision:
        decided = clock.at(decision["at"], after=asked)
        with story.step(approver, decided):
            granted = decision.get("granted")
            decide_request(request, decision["to"], Decimal(granted) if granted else None,
                           decision.get("note", ""), version=request.version)
        if data.get("fulfilled"):
            with story.step(approver, clock.at(data["fulfilled"], after=decided)):
                fulfil_request(request)


# -- goals, retrospectives, posts ----------------------------------------------------------

def _goals(story: Story, team: Team, lead_email: str, rows: list[dict]) -> None:
    """Set by the lead (a sub-goal names its parent by position); check-ins by owners."""
    clock, lead = story.clock, story.user(lead_email)
    goals = []
    for data in rows:
        set_at = clock.at(data["set"])
        parent = data.get("parent")
        with story.step(lead, set_at):
            goal = save_goal(GoalInput(
                title=data["title"], metric=data["metric"], unit=data.get("unit", ""),
                baseline=Decimal(data["baseline"]), target=Decimal(data["target"]),
                why=data["why"], parent_id=goals[parent].id if parent is not None else None,
                starts_on=clock.day(data.get("starts")), due_on=clock.day(data["due"]),
                owner_id=story.uid(data["owner"])), team)
        goals.append(goal)
        when = set_at
        for checkin in data.get("checkins", ()):
            when = clock.at(checkin["at"], after=when)
            with story.step(story.user(data["owner"]), when):
                add_checkin(goal, Decimal(checkin["value"]), checkin.get("note", ""),
                            story.user(data["owner"]))


def _retro(story: Story, team: Team, data: dict) -> None:
    clock = story.clock
    written = clock.at(data["written"])
    actions = data.get("actions", [])
    with story.step(story.user(data["facilitator"]), written):
        retro = save_retro(team, RetroInput(
            title=data["title"], held_on=clock.day(data["held_on"]),
            facilitator_id=story.uid(data["facilitator"]), went_well=data["went_well"],
            fell_short=data["fell_short"], lessons=data["lessons"],
            actions=tuple(ActionRow(title=a["title"], owner_id=story.uid(a["owner"]),
                                    due_on=clock.day(a["due"])) for a in actions)))
    complete_done(story, retro, actions, written)


def _post(story: Story, team: Team, data: dict) -> None:
    clock, author = story.clock, story.user(data["author"])
    when = clock.at(data["at"])
    with story.step(author, when):
        post = save_post(PostInput(kind=data["kind"], title=data["title"],
                                   body=data.get("body", ""), link=data.get("link", "")),
                         team, author)
    for comment in data.get("comments", ()):
        when = clock.at(comment["at"], after=when)
        with story.step(story.user(comment["by"]), when):
            add_comment(post, comment["text"], story.user(comment["by"]))
