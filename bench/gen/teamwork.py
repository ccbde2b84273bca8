"""Three years of team life, week by week: meetings with agenda items, weekly reports,
problems, requests, goals with check-ins, retrospectives, praise, posts, notifications."""

from __future__ import annotations

from decimal import Decimal

from bench.gen.base import DAY, Ctx, Sources, to_date
from bench.gen.words_work import (
    AGENDA,
    DECISIONS,
    GOALS,
    MEETING_SERIES,
    NOTIFICATIONS,
    POSTS,
    PRAISE,
    PROBLEMS,
    REPORT_BLOCKERS,
    REPORT_DONE,
    REPORT_NEXT,
    RETRO,
)

WEEK = 7 * DAY
TABLES = {
    "meetings": ("id", "team_id", "title", "series", "starts_at", "ends_at", "place", "notes",
                 "organizer_id", "created_at", "updated_at", "version", "created_by_id"),
    "agenda_items": ("id", "meeting_id", "position", "title", "discussion", "decisions"),
    "meeting_attendees": ("meeting_id", "user_id"),
    "progress_reports": ("id", "team_id", "author_id", "period_start", "done", "next",
                         "blockers", "lead_comment", "commented_by_id", "commented_at",
                         "created_at", "updated_at", "version", "created_by_id"),
    "problems": ("id", "team_id", "reporter_id", "owner_id", "title", "impact", "urgency",
                 "status", "solution", "solved_at", "created_at", "updated_at", "version",
                 "created_by_id"),
    "resource_requests": ("id", "team_id", "requester_id", "approver_id", "kind", "title",
                          "amount", "unit", "reason", "status", "granted_amount",
                          "approver_note", "decided_at", "created_at", "updated_at", "version"),
    "goals": ("id", "team_id", "owner_id", "title", "metric", "unit", "baseline", "target",
              "why", "starts_on", "due_on", "created_at", "updated_at", "version",
              "created_by_id"),
    "goal_checkins": ("id", "goal_id", "at", "value", "note", "author_id"),
    "retrospectives": ("id", "team_id", "title", "held_on", "went_well", "fell_short",
                       "lessons", "facilitator_id", "created_at", "updated_at", "version",
                       "created_by_id"),
    "recognitions": ("id", "team_id", "giver_id", "recipient_id", "message", "created_at",
                     "updated_at", "version", "created_by_id"),
    "posts": ("id", "team_id", "author_id", "kind", "title", "body", "link", "created_at",
              "updated_at", "version", "created_by_id"),
    "post_comments": ("id", "post_id", "author_id", "at", "body"),
    "notifications": ("id", "user_id", "created_at", "read_at", "kind", "subject", "body",
                      "link", "source_type", "source_id"),
}


class Teamwork:
    """Rows per table, ids per table, sources for follow-ups."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx, self.L, self.r = ctx, ctx.loader, ctx.rng("teamwork").random
        self.rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
        self.ids = {name: self.L.next_id(name) for name in TABLES if TABLES[name][0] == "id"}
        for name in ("meetings", "agenda_items", "progress_reports", "problems",
                     "retrospectives", "goals"):
            ctx.sources[name] = Sources(name, self.ids[name])

    def new_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def lang(self, user: int) -> str:
        return self.ctx.people.lang[user]

    def generate(self) -> None:
        ctx, P = self.ctx, self.ctx.people
        monday = ctx.start - (ctx.start // DAY + 3) % 7 * DAY  # epoch day 0 was a Thursday
        week = 0
        while monday + WEEK < ctx.now:
            for k, team in enumerate(P.team_ids):
                members = P.members[team]
                if not members:
                    continue
                lead = P.leads.get(team, members[0])
                base = monday + k * 60
                self.meeting(team, lead, members, base + DAY + 2 * 3600)
                self.reports(team, lead, members, monday, base + 4 * DAY + 9 * 3600)
                if (week + k) % 2 == 0:
                    self.problem(team, lead, members, base + 2 * DAY)
                if (week + k) % 4 == 0:
                    self.month(team, lead, members, base + 3 * DAY + 8 * 3600)
                if (week + k) % 13 == 0:
                    self.goals(team, lead, members, base + 3 * 3600)
            monday += WEEK
            week += 1
        self.notifications()
        for table, columns in TABLES.items():
            self.L.load(table, columns, self.rows[table])
        self.L.commit()

    def meeting(self, team: int, lead: int, members: list[int], t: int) -> None:
        r, ts, lang = self.r, self.L.ts, self.lang(lead)
        mid = self.new_id("meetings")
        series = MEETING_SERIES[lang]
        self.rows["meetings"].append((
            mid, team, f"{series} {to_date(t).isoformat()}", series, ts(t), ts(t + 3600),
            "3楼会议室" if lang == "zh" else "Room 3", "", lead, ts(t), ts(t + 2 * 3600), 1, lead))
        self.ctx.sources["meetings"].add(t, 0, team, lead)
        for user in sorted(set(members[: 2 + int(r() * 6)])):
            self.rows["meeting_attendees"].append((mid, user))
        for position in range(3 + (r() < 0.5)):
            item = self.new_id("agenda_items")
            self.rows["agenda_items"].append((
                item, mid, position, AGENDA[lang][int(r() * len(AGENDA[lang]))], "",
                DECISIONS[lang][int(r() * len(DECISIONS[lang]))]))
            owner = members[int(r() * len(members))]
            self.ctx.sources["agenda_items"].add(t + position, 0, team, owner)

    def reports(self, team: int, lead: int, members: list[int], monday: int, t: int) -> None:
        r, ts, L = self.r, self.L.ts, self.L
        for user in members:
            if r() > 0.8 or t > self.ctx.now:
                continue
            lang, rid = self.lang(user), self.new_id("progress_reports")
            commented = t + int(r() * 2 * DAY) if r() < 0.5 and t + 2 * DAY < self.ctx.now \
                else None
            self.rows["progress_reports"].append((
                rid, team, user, L.day(to_date(monday)),
                REPORT_DONE[lang][int(r() * 2)].format(n=2 + int(r() * 12)),
                REPORT_NEXT[lang][int(r() * 2)], REPORT_BLOCKERS[lang][int(r() * 3)],
                ("收到，辛苦。" if self.lang(lead) == "zh" else "Thanks, good week.")
                if commented else "", lead if commented else None,
                commented and ts(commented), ts(t), ts(commented or t), 1 + bool(commented),
                user))
            self.ctx.sources["progress_reports"].add(t, 0, team, user)

    def problem(self, team: int, lead: int, members: list[int], t: int) -> None:
        r, ts = self.r, self.L.ts
        reporter = members[int(r() * len(members))]
        lang, pid = self.lang(reporter), self.new_id("problems")
        solved = t + int((2 + r() * 30) * DAY)
        status = "solved" if solved < self.ctx.now else ("open", "in_progress")[int(r() * 2)]
        self.rows["problems"].append((
            pid, team, reporter, lead, PROBLEMS[lang][int(r() * 3)], "", ("high", "medium",
                                                                          "low")[int(r() * 3)],
            status, "已解决。" if status == "solved" and lang == "zh" else
            "Fixed." if status == "solved" else "", ts(solved) if status == "solved" else None,
            ts(t), ts(min(solved, self.ctx.now - 60)), 2, reporter))
        self.ctx.sources["problems"].add(t, 0, team, lead)

    def month(self, team: int, lead: int, members: list[int], t: int) -> None:
        r, ts, L, lang = self.r, self.L.ts, self.L, self.lang(lead)
        title, well, short, lessons = RETRO[lang]
        rid = self.new_id("retrospectives")
        self.rows["retrospectives"].append((
            rid, team, title.format(m=to_date(t).strftime("%Y-%m")), L.day(to_date(t)), well,
            short, lessons, lead, ts(t), ts(t), 1, lead))
        self.ctx.sources["retrospectives"].add(t, 0, team, lead)
        for _ in range(1 + int(r() * 3)):
            giver, recipient = (members[int(r() * len(members))] for _ in range(2))
            text = PRAISE[self.lang(giver)][int(r() * 2)].format(name="")
            self.rows["recognitions"].append((self.new_id("recognitions"), team, giver,
                                              recipient, text, ts(t), ts(t), 1, giver))
        pid = self.new_id("posts")
        self.rows["posts"].append((pid, team, lead, "announcement", POSTS[lang][int(r() * 3)],
                                   "", "", ts(t), ts(t), 1, lead))
        for k in range(int(r() * 3)):
            self.rows["post_comments"].append((self.new_id("post_comments"), pid,
                                               members[int(r() * len(members))],
                                               ts(t + (k + 1) * 3600), "👍"))
        if r() < 0.5:
            amount = Decimal((1 + int(r() * 50)) * 1000)
            decided = t + 3 * DAY
            self.rows["resource_requests"].append((
                self.new_id("resource_requests"), team, lead, None, "budget",
                "大促临时人手预算" if lang == "zh" else "Peak season temp staff", L.money(amount),
                "CNY", "", "approved" if decided < self.ctx.now else "requested",
                L.money(amount) if decided < self.ctx.now else None, "",
                ts(decided) if decided < self.ctx.now else None, ts(t), ts(t), 1))

    def goals(self, team: int, lead: int, members: list[int], t: int) -> None:
        r, ts, L = self.r, self.L.ts, self.L
        for _ in range(1 + int(r() * 3)):
            owner = members[int(r() * len(members))]
            lang, gid = self.lang(owner), self.new_id("goals")
            name, unit, baseline, target = GOALS[lang][int(r() * len(GOALS[lang]))]
            due = t + 90 * DAY
            self.rows["goals"].append((
                gid, team, owner, name, name, unit, L.money(Decimal(str(baseline))),
                L.money(Decimal(str(target))), "", L.day(to_date(t)), L.day(to_date(due)),
                ts(t), ts(t), 1, lead))
            self.ctx.sources["goals"].add(t, 0, team, owner)
            at, value = t + 14 * DAY, baseline
            while at < min(due, self.ctx.now):
                value = round(value + (target - value) * r() * 0.4, 2)
                self.rows["goal_checkins"].append((self.new_id("goal_checkins"), gid, ts(at),
                                                   L.money(Decimal(str(value))), "", owner))
                at += 14 * DAY

    def notifications(self) -> None:
        """About 40 per person over the last months, the newest few unread."""
        ctx, r, ts = self.ctx, self.r, self.L.ts
        for user in ctx.people.user_ids:
            lang = self.lang(user)
            count = 30 + int(r() * 20)
            unread = 2 + int(r() * 6)
            for k in range(count):
                t = ctx.now - (count - k) * int(DAY * (1 + r()))
                name = "同事" if lang == "zh" else "A colleague"
                text = NOTIFICATIONS[lang][k % 2].format(name=name, title="…")
                read = None if k >= count - unread else ts(t + 3600)
                self.rows["notifications"].append((
                    self.new_id("notifications"), user, ts(t), read,
                    ("followup", "escalation")[k % 2], text, "", "", "", None))


def generate_teamwork(ctx: Ctx) -> None:
    """Everything internal teams record."""
    Teamwork(ctx).generate()
