"""Complaints worked through the workflow: events, pauses, deadlines kept or missed.

About 97% are over (resolved, closed or rejected, most of them long ago); the open ones
are the most recent, some overdue, some due soon, some nobody has taken yet.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from bench.gen.base import DAY, Ctx, Sources
from bench.gen.clock import POLICY_CHANGE_DAYS, Policy, ack_due, resolve_due
from bench.gen.lifecycle import Life
from bench.gen.talk import LANGS, OrgPicker, spread
from bench.gen.words_work import CATEGORIES, DESCRIPTIONS

BLOCK = 10_000
SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_CUM = list(accumulate((5, 20, 50, 25)))
CHANNELS = ("phone", "email", "chat", "web", "in_person")
CHANNEL_CUM = list(accumulate((30, 30, 15, 20, 5)))
CATEGORY_CUM = list(accumulate(c[2] for c in CATEGORIES))
COMPLAINT_COLUMNS = (
    "id", "organization_id", "contact_id", "title", "description", "channel", "category_id",
    "severity", "status", "is_confidential", "assignee_id", "team_id", "received_at",
    "ack_minutes", "resolve_minutes", "business_hours", "ack_due_at", "resolve_due_at",
    "acknowledged_at", "resolved_at", "closed_at", "ack_escalated_at", "resolve_escalated_at",
    "resolution_summary", "root_cause", "rejection_reason", "satisfaction",
    "satisfaction_comment", "reopen_count", "created_at", "updated_at", "version",
    "created_by_id", "updated_by_id")
EVENT_COLUMNS = ("id", "complaint_id", "kind", "at", "actor_id", "from_status", "to_status",
                 "assignee_id", "body")


def _pick(values: tuple, cum: list[int], r) -> str:
    return values[bisect_right(cum, r() * cum[-1])]


class Complaints:
    """Builds one complaint at a time; rows accumulate until flushed."""

    def __init__(self, ctx: Ctx, policy: Policy) -> None:
        self.ctx, self.policy, self.L = ctx, policy, ctx.loader
        self.rng = ctx.rng("complaints")
        self.r = self.rng.random
        self.clients = OrgPicker(ctx, 2, self.r)
        self.src = ctx.sources["complaints"] = Sources("complaints", self.L.next_id("complaints"))
        self.event_id = self.L.next_id("complaint_events")
        self.pause_id = self.L.next_id("complaint_pauses")
        self.rows: list[tuple] = []
        self.events: list[tuple] = []
        self.pauses: list[tuple] = []
        self.change = ctx.now - POLICY_CHANGE_DAYS * DAY
        self.category_ids = _category_ids(self.L, CATEGORIES)

    def generate(self) -> None:
        n = self.ctx.n("complaints", 60)
        if not self.clients.index:
            return
        for i in range(n):
            self.one(self.src.first_id + i, spread(self.ctx, i, n, self.r))
            if len(self.rows) >= BLOCK:
                self.flush(n)
        self.flush(n)
        self.L.commit()

    def flush(self, total: int) -> None:
        L = self.L
        L.load("complaints", COMPLAINT_COLUMNS, self.rows, total=total)
        L.load("complaint_events", EVENT_COLUMNS, self.events)
        L.load("complaint_pauses", ("id", "complaint_id", "started_at", "ended_at"), self.pauses)
        self.rows, self.events, self.pauses = [], [], []

    def one(self, cid: int, received: int) -> None:
        """One complaint from intake to where it stands now."""
        r, og, P = self.r, self.ctx.orgs, self.ctx.people
        oi = self.clients(received, r)
        lang = LANGS[og.lang[oi]]
        severity = _pick(SEVERITIES, SEVERITY_CUM, r)
        cat = CATEGORIES[bisect_right(CATEGORY_CUM, r() * CATEGORY_CUM[-1])]
        ack_min, res_min, business = self.policy.of(severity, received < self.change)
        agents = P.agents or P.user_ids
        creator = (og.owner[oi] if og.owner[oi] and r() < 0.3 else
                   agents[int(r() * len(agents))])
        life = Life(r, lang, received, self.ctx.now, creator, agents[int(r() * len(agents))],
                    ack_due(received, ack_min, business, self.policy), cat[3])
        life.run()
        r_due = resolve_due(received, res_min, business, life.pauses, self.policy)
        life.resolve(r_due, res_min)
        life.escalate(r_due)
        self._emit(cid, life.events, life.pauses)
        last = life.events[-1]
        ts = self.L.ts
        title, description = _texts(cat, lang, r)
        self.rows.append((
            cid, og.first_id + oi, og.contact_first[oi] + int(r() * og.contact_count[oi]),
            title, description, _pick(CHANNELS, CHANNEL_CUM, r), self.category_ids[cat[1]],
            severity, life.status, r() < 0.02, life.assignee,
            og.team[oi] or None, ts(received), ack_min, res_min, business, ts(life.ack_due),
            None if r_due is None else ts(r_due), *(t and ts(t) for t in (
                life.acked, life.resolved, life.closed, life.ack_esc, life.res_esc)),
            life.summary, life.cause, life.rejection, life.score, "", 0, ts(received),
            ts(last[0]), len(life.events), creator, last[2] or creator))
        self.src.add(received, og.first_id + oi, og.team[oi], life.assignee or 0)

    def _emit(self, cid: int, ev: list[tuple], pauses: list) -> None:
        ts = self.L.ts
        for at, kind, actor, frm, to, assignee, body in ev:
            self.events.append((self.event_id, cid, kind, ts(at), actor, frm, to, assignee, body))
            self.event_id += 1
        for start, end in pauses:
            self.pauses.append((self.pause_id, cid, ts(start), None if end is None else ts(end)))
            self.pause_id += 1


def _category_ids(loader, categories: tuple) -> dict[str, int]:
    """Each generated category's id by English label: the migration's defaults, and any
    the defaults lack added (a complaint is filed under a managed category, not a word)."""
    cur = loader.raw.cursor()
    cur.execute("SELECT id, name FROM complaint_categories")
    found = {name: row_id for row_id, name in cur.fetchall()}
    position = len(found)
    for zh, en, *_rest in categories:
        if en not in found:
            position += 1
            found[en] = loader.next_id("complaint_categories")
            cur.execute("INSERT INTO complaint_categories (id, name, name_zh, position, "
                        "created_at, updated_at, version) VALUES "
                        f"({found[en]}, '{en}', '{zh}', {position}, CURRENT_TIMESTAMP, "
                        "CURRENT_TIMESTAMP, 1)")
    cur.close()
    loader.commit()
    return found


def _texts(cat: tuple, lang: str, r) -> tuple[str, str]:
    """A complaint's title and description in its client's language."""
    zh = lang == "zh"
    titles = cat[4] if zh else cat[5]
    day = f"{1 + int(r() * 12)}月{1 + int(r() * 28)}日" if zh else ""
    title = titles[int(r() * len(titles))].format(md=day, m=1 + int(r() * 12))
    descriptions = DESCRIPTIONS[lang]
    n_orders = 20 + int(r() * 500)
    description = descriptions[int(r() * len(descriptions))].format(
        contact="客户" if zh else "The client", md="上周" if zh else "last week",
        n=n_orders, k=1 + int(r() * n_orders // 4))
    return title, description


def generate_complaints(ctx: Ctx, policy: Policy) -> None:
    """All complaints, their events and pauses, in the order they were received."""
    Complaints(ctx, policy).generate()
