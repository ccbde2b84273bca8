"""Complaints worked through the workflow: events, pauses, deadlines kept or missed.

About 97% are over (resolved, closed or rejected, most of them long ago); the open ones
are the most recent, some overdue, some due soon, some nobody has taken yet.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from bench.gen.base import DAY, Ctx, Sources
from bench.gen.clock import POLICY_CHANGE_DAYS, Policy, ack_due, resolve_due
from bench.gen.talk import LANGS, OrgPicker, spread
from bench.gen.words_work import (
    ACK_REPLIES,
    ASK_REPLIES,
    CATEGORIES,
    DESCRIPTIONS,
    ESCALATION,
    INTERNAL_NOTES,
    REJECTIONS,
    RESOLUTIONS,
    SATISFACTION,
    WAIT_REASONS,
)

BLOCK = 10_000
H = 3600
SEVERITIES = ("critical", "high", "medium", "low")
SEVERITY_CUM = list(accumulate((5, 20, 50, 25)))
CHANNELS = ("phone", "email", "chat", "web", "in_person")
CHANNEL_CUM = list(accumulate((30, 30, 15, 20, 5)))
CATEGORY_CUM = list(accumulate(c[2] for c in CATEGORIES))
COMPLAINT_COLUMNS = (
    "id", "organization_id", "contact_id", "title", "description", "channel", "category",
    "severity", "status", "is_confidential", "assignee_id", "team_id", "received_at",
    "ack_minutes", "resolve_minutes", "business_hours", "ack_due_at", "resolve_due_at",
    "acknowledged_at", "resolved_at", "closed_at", "ack_escalated_at", "resolve_escalated_at",
    "resolution_summary", "root_cause", "rejection_reason", "satisfaction",
    "satisfaction_comment", "reopen_count", "created_at", "updated_at", "version",
    "created_by_id", "updated_by_id")
EVENT_COLUMNS = ("id", "complaint_id", "kind", "at", "actor_id", "from_status", "to_status",
                 "assignee_id", "body")


def open_chance(age: int) -> float:
    """How likely a complaint received ``age`` seconds ago is still open."""
    days = age / DAY
    for limit, chance in ((1, 0.97), (3, 0.8), (7, 0.5), (30, 0.2), (90, 0.03)):
        if days < limit:
            return chance
    return 0.0004  # the odd one stuck for months


def open_state(age: int, x: float) -> str:
    """Where an open complaint stands: fresh ones are new or being worked, and the few
    still open after a week are mostly waiting on the client (their clock stopped)."""
    if age > 7 * DAY:
        return ("waiting_on_client" if x < 0.6 else "investigating" if x < 0.95
                else "acknowledged")
    if age < DAY:
        return "new" if x < 0.45 else "acknowledged" if x < 0.65 else "investigating"
    return ("new" if x < 0.05 else "acknowledged" if x < 0.25 else "investigating" if x < 0.8
            else "waiting_on_client")


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
        ctx, r, og, P = self.ctx, self.r, self.ctx.orgs, self.ctx.people
        now = ctx.now
        oi = self.clients(received, r)
        lang = LANGS[og.lang[oi]]
        zh = lang == "zh"
        severity = _pick(SEVERITIES, SEVERITY_CUM, r)
        cat = CATEGORIES[bisect_right(CATEGORY_CUM, r() * CATEGORY_CUM[-1])]
        titles = cat[4] if zh else cat[5]
        day = f"{1 + int(r() * 12)}月{1 + int(r() * 28)}日" if zh else ""
        title = titles[int(r() * len(titles))].format(md=day, m=1 + int(r() * 12))
        descriptions = DESCRIPTIONS[lang]
        n_orders = 20 + int(r() * 500)
        description = descriptions[int(r() * len(descriptions))].format(
            contact="客户" if zh else "The client", md="上周" if zh else "last week",
            n=n_orders, k=1 + int(r() * n_orders // 4))
        ack_min, res_min, business = self.policy.of(severity, received < self.change)
        a_due = ack_due(received, ack_min, business, self.policy)
        agents = P.agents or P.user_ids
        assignee = agents[int(r() * len(agents))]
        creator = (og.owner[oi] if og.owner[oi] and r() < 0.3 else
                   agents[int(r() * len(agents))])
        is_open = r() < open_chance(now - received)
        state = (open_state(now - received, r()) if is_open
                 else "rejected" if r() < 0.04 else "resolved")
        ev: list[tuple] = [(received, "status", creator, "", "new", None, "")]
        assigned_at_intake = r() < 0.6
        if is_open and state == "new" and r() < 0.8:
            assignee = None  # nobody has taken it yet
        if assignee and assigned_at_intake:
            ev.append((received, "assignment", creator, "", "", assignee, ""))
        pauses: list[tuple[int, int | None]] = []
        acked = resolved = closed = ack_esc = res_esc = None
        status = "new"
        limit = now - 60  # nothing happens after now
        window = max(60, a_due - received)
        if state != "new":
            late = r() < 0.08
            acked = (a_due + int(r() * window * 2) if late else received + int(r() * window))
            acked = max(received + 60, min(acked, limit)) // 60 * 60
            if acked > a_due and r() < 0.7:
                ack_esc = min(a_due + 300 + int(r() * 3600), acked)
            actor = assignee or creator
            if assignee and not assigned_at_intake:
                ev.append((acked, "assignment", assignee, "", "", assignee, ""))
            if r() < 0.5:
                ev.append((acked, "reply", actor, "", "", None,
                           ACK_REPLIES[lang][int(r() * 2)]))
            ev.append((acked, "status", actor, "new", "acknowledged", None, ""))
            status, t = "acknowledged", acked
            if state == "rejected":
                t = min(limit, t + int(r() * 2 * DAY)) // 60 * 60
                reason = REJECTIONS[lang][int(r() * 2)]
                ev.append((t, "status", actor, status, "rejected", None, reason))
                status, resolved = "rejected", t
            elif state != "acknowledged":
                if r() < 0.55 or state == "investigating":
                    t = min(limit, t + 600 + int(r() * 2 * H)) // 60 * 60
                    ev.append((t, "status", actor, status, "investigating", None, ""))
                    status = "investigating"
                if state == "waiting_on_client" or r() < 0.25:
                    start = min(limit, t + 600 + int(r() * DAY)) // 60 * 60
                    end = None if state == "waiting_on_client" else max(
                        start + 60, min(limit, start + H + int(r() * r() * 4 * DAY)) // 60 * 60)
                    pauses.append((start, end))
                    ev.append((start, "status", actor, status, "waiting_on_client", None,
                               WAIT_REASONS[lang]))
                    ev.append((start, "reply", actor, "", "", None,
                               ASK_REPLIES[lang][int(r() * 2)]))
                    status = "waiting_on_client"
                    if end is not None:
                        ev.append((end, "status", actor, status, "investigating", None, ""))
                        status, t = "investigating", end
                for _ in range(int(r() * 1.4)):
                    at = min(limit, t + int(r() * 6 * H)) // 60 * 60
                    ev.append((at, "note", actor, "", "", None,
                               INTERNAL_NOTES[lang][int(r() * 4)]))
        r_due = resolve_due(received, res_min, business, pauses, self.policy)
        summary = cause = rejection = comment = ""
        score = None
        if state == "resolved":
            actor = assignee or creator
            base = max(t, pauses[-1][1] if pauses else t)
            late = r_due is None or base >= r_due or r() < 0.12
            res = (base + 600 + int(r() * res_min * 60) if late
                   else base + int(r() * (r_due - base)))
            resolved = min(max(res, base + 60), limit) // 60 * 60
            if r_due is not None and resolved > r_due and r() < 0.7:
                res_esc = min(r_due + 600 + int(r() * 2 * H), resolved)
            summary, cause = RESOLUTIONS[lang][int(r() * 4)], cat[3]
            ev.append((resolved, "status", actor, status, "resolved", None, summary))
            status = "resolved"
            if r() < 0.45:
                score = (5, 4, 4, 3, 5, 2, 4, 1)[int(r() * 8)]
                ev.append((min(limit, resolved + int(r() * DAY)), "note", actor, "", "", None,
                           SATISFACTION[lang].format(s=score)))
            closing = (resolved + DAY + int(r() * 6 * DAY)) // 60 * 60
            if closing < now:
                closed = closing
                ev.append((closed, "status", actor, status, "closed", None, ""))
                status = "closed"
        elif status == "rejected":
            rejection = ev[-1][-1]
        if is_open and acked is None and a_due < now - 300 and r() < 0.6:
            ack_esc = a_due + 300
        if is_open and r_due is not None and r_due < now - 600 and r() < 0.6:
            res_esc = r_due + 600
        for esc in (ack_esc, res_esc):
            if esc is not None and esc <= now:
                ev.append((esc, "escalation", None, "", "", None, ESCALATION[lang]))
        ev.sort(key=lambda e: e[0])
        self._emit(cid, ev, pauses)
        last = ev[-1]
        contact = og.contact_first[oi] + int(r() * og.contact_count[oi])
        ts = self.L.ts
        self.rows.append((
            cid, og.first_id + oi, contact, title, description, _pick(CHANNELS, CHANNEL_CUM, r),
            cat[0] if zh else cat[1], severity, status, r() < 0.02, assignee, og.team[oi] or None,
            ts(received), ack_min, res_min, business, ts(a_due),
            None if r_due is None else ts(r_due), acked and ts(acked), resolved and ts(resolved),
            closed and ts(closed), ack_esc and ts(ack_esc), res_esc and ts(res_esc), summary,
            cause, rejection, score, comment, 0, ts(received), ts(last[0]), len(ev), creator,
            last[2] or creator))
        self.src.add(received, og.first_id + oi, og.team[oi], assignee or 0)

    def _emit(self, cid: int, ev: list[tuple], pauses: list) -> None:
        ts = self.L.ts
        for at, kind, actor, frm, to, assignee, body in ev:
            self.events.append((self.event_id, cid, kind, ts(at), actor, frm, to, assignee, body))
            self.event_id += 1
        for start, end in pauses:
            self.pauses.append((self.pause_id, cid, ts(start), None if end is None else ts(end)))
            self.pause_id += 1


def generate_complaints(ctx: Ctx, policy: Policy) -> None:
    """All complaints, their events and pauses, in the order they were received."""
    Complaints(ctx, policy).generate()
