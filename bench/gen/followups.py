"""Follow-ups produced by every kind of source, in time order, mostly long done; and the
bench accounts' own lists (some overdue, some due today, more coming)."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from bench.gen.base import DAY, Ctx, Sources, to_date
from bench.gen.talk import LANGS, spread
from bench.gen.words_work import FOLLOWUP_TITLES, FOLLOWUP_TOPICS

BLOCK = 20_000
# Share of follow-ups per source (source_type as tracker.followups.sources names them).
SHARES = (("conversations", 55), ("complaints", 14), ("agenda_items", 10), ("agreements", 6),
          ("requirements", 5), ("manual", 3), ("progress_reports", 2), ("problems", 2),
          ("meetings", 1), ("retrospectives", 1), ("goals", 1))
COLUMNS = ("id", "title", "notes", "owner_id", "due_on", "status", "completed_at",
           "source_type", "source_id", "organization_id", "team_id", "repeat_every",
           "repeat_unit", "created_at", "updated_at", "archived_at", "created_by_id",
           "updated_by_id", "version")
SHANGHAI = 8 * 3600  # the bench accounts' zone: "today" is their today
# Bench role key -> (overdue, due today, upcoming, done) follow-ups of their own.
LOADS = {"team_member": (12, 5, 25, 60), "account_manager": (8, 4, 20, 40),
         "partner_manager": (6, 3, 15, 40), "support_agent": (5, 3, 10, 30),
         "manager": (4, 2, 10, 20)}


class FollowUps:
    """Streams follow-ups; ``add`` builds one row."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx, self.L = ctx, ctx.loader
        self.r = ctx.rng("followups").random
        self.next_id = self.L.next_id("followups")
        self.comment_id = self.L.next_id("followup_comments")
        self.rows: list[tuple] = []
        self.comments: list[tuple] = []
        self.today = to_date(ctx.now + SHANGHAI)

    def generate(self) -> None:
        ctx, r = self.ctx, self.r
        n = ctx.n("followups", 40)
        kinds = [k for k, _w in SHARES if k == "manual" or len(ctx.sources.get(k, ()))]
        cum = list(accumulate(w for k, w in SHARES if k in kinds))
        windows = {k: max(1, len(ctx.sources[k]) * 60 // 1095) for k in kinds if k != "manual"}
        for i in range(n):
            t = spread(ctx, i, n, r)
            kind = kinds[bisect_right(cum, r() * cum[-1])]
            src = ctx.sources.get(kind)
            index = src.recent_index(t, r(), windows[kind]) if src else -1
            due = t + DAY + int(r() * 20 * DAY)
            self.add(t, due, kind, src, index, self._status(due), None)
            if len(self.rows) >= BLOCK:
                self.flush(n)
        self._bench_loads()
        self.flush(n)
        self.L.commit()

    def _status(self, due: int) -> str:
        x, age = self.r(), self.ctx.now - due
        if age > 45 * DAY:
            return "done" if x < 0.94 else "cancelled" if x < 0.997 else "open"
        if age > 0:
            return "done" if x < 0.75 else "cancelled" if x < 0.8 else "open"
        return "open" if x < 0.85 else "done"

    def add(self, t: int, due: int, kind: str, src: Sources | None, index: int, status: str,
            owner: int | None) -> None:
        ctx, r, L = self.ctx, self.r, self.L
        P, og = ctx.people, ctx.orgs
        if src is None or index < 0:
            kind, source_id, org, team, src_owner = "manual", 0, 0, 0, 0
        else:
            source_id = src.first_id + index
            org, team, src_owner = src.orgs[index], src.teams[index], src.owners[index]
        if owner is None:
            members = P.members.get(team) if team else None
            owner = (src_owner if src_owner and (r() < 0.7 or not members)
                     else members[int(r() * len(members))] if members
                     else P.user_ids[int(r() * len(P.user_ids))])
        lang = LANGS[og.lang[org - og.first_id]] if org else P.lang[owner]
        titles = FOLLOWUP_TITLES[kind][lang]
        topics = FOLLOWUP_TOPICS[lang]
        title = titles[int(r() * len(titles))].format(topic=topics[int(r() * len(topics))])
        completed = None
        if status == "done":
            completed = min(ctx.now - 60, t + int(r() * (due - t + 3 * DAY)))
        elif status == "cancelled":
            completed = None
        changed = completed or (min(ctx.now, t + int(r() * 5 * DAY)) if status != "open" else t)
        repeat = r() < 0.02
        fid = self.next_id
        self.next_id += 1
        creator = src_owner or owner
        self.rows.append((
            fid, title, "", owner, L.day(to_date(due)), status, completed and L.ts(completed),
            kind, source_id, org or None, team or None, 1 if repeat else None,
            "week" if repeat else None, L.ts(t), L.ts(changed),
            L.ts(changed) if status != "open" and r() < 0.005 else None, creator, owner,
            1 if status == "open" else 2))
        if r() < 0.04:
            at = min(ctx.now - 60, t + int(r() * 3 * DAY))
            body = ("已与对方确认，本周内完成。" if lang == "zh"
                    else "Confirmed with them; done this week.")
            self.comments.append((self.comment_id, fid, owner, L.ts(at), "comment", body))
            self.comment_id += 1

    def _bench_loads(self) -> None:
        """Each signed-in bench account's own list: overdue, due today, upcoming, done."""
        ctx, r = self.ctx, self.r
        now, today_start = ctx.now, ctx.now - (ctx.now + SHANGHAI) % DAY + 12 * 3600
        for key, (overdue, today, upcoming, done) in LOADS.items():
            user = ctx.people.accounts[key]
            kind = "complaints" if key == "support_agent" else "conversations"
            src = ctx.sources.get(kind)
            plan = ([("open", now - (2 + int(r() * 20)) * DAY)] * overdue
                    + [("open", today_start)] * today
                    + [("open", now + (1 + int(r() * 14)) * DAY)] * upcoming
                    + [("done", now - (3 + int(r() * 300)) * DAY)] * done)
            for status, due in plan:
                t = min(now - 3600, due - int(r() * 10 * DAY))
                index = self._near(src, user, key, t) if src else -1
                self.add(t, due, kind, src, index, status, user)

    def _near(self, src: Sources, user: int, key: str, t: int) -> int:
        """A record of ``src`` before ``t`` that the account works on (or any recent one)."""
        teams = {team for team, members in self.ctx.people.members.items() if user in members}
        hi = bisect_right(src.times, t)
        for i in range(hi - 1 - int(self.r() * 50), max(-1, hi - 5000), -1):
            if i >= 0 and (src.owners[i] == user or src.teams[i] in teams):
                return i
        return max(-1, hi - 1)

    def flush(self, total: int) -> None:
        self.L.load("followups", COLUMNS, self.rows, total=total)
        self.L.load("followup_comments", ("id", "followup_id", "author_id", "at", "kind",
                                          "body"), self.comments)
        self.rows, self.comments = [], []


def generate_followups(ctx: Ctx) -> None:
    """Every follow-up, after all their sources exist."""
    FollowUps(ctx).generate()
