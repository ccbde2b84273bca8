"""One complaint's story through the workflow, as events at whole minutes.

Moves follow ``tracker.clients.complaints.workflow.TRANSITIONS``; nothing happens after
now; most deadlines are met, some are missed and escalated.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.gen.base import DAY
from bench.gen.words_work import (
    ACK_REPLIES,
    ASK_REPLIES,
    ESCALATION,
    INTERNAL_NOTES,
    REJECTIONS,
    RESOLUTIONS,
    SATISFACTION,
    WAIT_REASONS,
)

H = 3600
# event: (at, kind, actor, from status, to status, assignee, body)
Event = tuple[int, str, int | None, str, str, int | None, str]


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


class Life:
    """Builds the events, pauses and milestones of one complaint."""

    def __init__(self, r: Callable[[], float], lang: str, received: int, now: int,
                 creator: int, assignee: int, ack_due: int, cause: str) -> None:
        self.r, self.lang, self.received, self.now = r, lang, received, now
        self.limit = now - 60  # nothing happens after now
        self.creator, self.assignee, self.ack_due, self.cause_of = (creator, assignee,
                                                                    ack_due, cause)
        self.is_open = r() < open_chance(now - received)
        self.target = (open_state(now - received, r()) if self.is_open
                       else "rejected" if r() < 0.04 else "resolved")
        self.events: list[Event] = [(received, "status", creator, "", "new", None, "")]
        self.pauses: list[tuple[int, int | None]] = []
        self.status, self.t = "new", received
        self.acked = self.resolved = self.closed = self.ack_esc = self.res_esc = None
        self.summary = self.cause = self.rejection = ""
        self.score: int | None = None

    @property
    def actor(self) -> int:
        return self.assignee or self.creator

    def at(self, t: int) -> int:
        """``t`` kept before now, on the minute."""
        return min(self.limit, t) // 60 * 60

    def move(self, t: int, to: str, body: str = "") -> None:
        self.events.append((t, "status", self.actor, self.status, to, None, body))
        self.status, self.t = to, t

    def run(self) -> None:
        """Intake, acknowledgement and the work up to resolving."""
        r = self.r
        at_intake = r() < 0.6
        if self.target == "new" and self.is_open and r() < 0.8:
            self.assignee = None  # nobody has taken it yet
        if self.assignee and at_intake:
            self.events.append((self.received, "assignment", self.creator, "", "",
                                self.assignee, ""))
        if self.target == "new":
            return
        self.acknowledge(not at_intake)
        if self.target == "rejected":
            self.move(self.at(self.t + int(r() * 2 * DAY)), "rejected",
                      REJECTIONS[self.lang][int(r() * 2)])
            self.resolved, self.rejection = self.t, self.events[-1][-1]
        elif self.target != "acknowledged":
            self.work()

    def acknowledge(self, take: bool) -> None:
        r, window = self.r, max(60, self.ack_due - self.received)
        late = r() < 0.08
        acked = self.ack_due + int(r() * window * 2) if late else self.received + int(
            r() * window)
        self.acked = acked = max(self.received + 60, self.at(acked))
        if acked > self.ack_due and r() < 0.7:
            self.ack_esc = min(self.ack_due + 300 + int(r() * H), acked)
        if self.assignee and take:
            self.events.append((acked, "assignment", self.assignee, "", "", self.assignee, ""))
        if r() < 0.5:
            self.events.append((acked, "reply", self.actor, "", "", None,
                                ACK_REPLIES[self.lang][int(r() * 2)]))
        self.move(acked, "acknowledged")

    def work(self) -> None:
        """Investigating, maybe waiting on the client (a pause), internal notes."""
        r, lang = self.r, self.lang
        if r() < 0.55 or self.target == "investigating":
            self.move(self.at(self.t + 600 + int(r() * 2 * H)), "investigating")
        if self.target == "waiting_on_client" or r() < 0.25:
            start = self.at(self.t + 600 + int(r() * DAY))
            end = None if self.target == "waiting_on_client" else max(
                start + 60, self.at(start + H + int(r() * r() * 4 * DAY)))
            self.pauses.append((start, end))
            self.move(start, "waiting_on_client", WAIT_REASONS[lang])
            self.events.append((start, "reply", self.actor, "", "", None,
                                ASK_REPLIES[lang][int(r() * 2)]))
            if end is not None:
                self.move(end, "investigating")
        for _ in range(int(r() * 1.4)):
            self.events.append((self.at(self.t + int(r() * 6 * H)), "note", self.actor, "", "",
                                None, INTERNAL_NOTES[lang][int(r() * 4)]))

    def resolve(self, due: int | None, minutes: int) -> None:
        """Resolved in time mostly (late now and then), rated, closed a few days later."""
        if self.target != "resolved":
            return
        r, lang, base = self.r, self.lang, self.t
        late = due is None or base >= due or r() < 0.12
        res = base + 600 + int(r() * minutes * 60) if late else base + int(r() * (due - base))
        self.resolved = resolved = self.at(max(res, base + 60))
        if due is not None and resolved > due and r() < 0.7:
            self.res_esc = min(due + 600 + int(r() * 2 * H), resolved)
        self.summary, self.cause = RESOLUTIONS[lang][int(r() * 4)], self.cause_of
        self.move(resolved, "resolved", self.summary)
        if r() < 0.45:
            self.score = (5, 4, 4, 3, 5, 2, 4, 1)[int(r() * 8)]
            self.events.append((self.at(resolved + int(r() * DAY)), "note", self.actor, "", "",
                                None, SATISFACTION[lang].format(s=self.score)))
        closing = (resolved + DAY + int(r() * 6 * DAY)) // 60 * 60
        if closing < self.now:
            self.closed = closing
            self.move(closing, "closed")

    def escalate(self, due: int | None) -> None:
        """Missed deadlines of open complaints escalate too; events end in time order."""
        r, now = self.r, self.now
        if self.is_open and self.acked is None and self.ack_due < now - 300 and r() < 0.6:
            self.ack_esc = self.ack_due + 300
        if self.is_open and due is not None and due < now - 600 and r() < 0.6:
            self.res_esc = due + 600
        for esc in (self.ack_esc, self.res_esc):
            if esc is not None and esc <= now:
                self.events.append((esc, "escalation", None, "", "", None,
                                    ESCALATION[self.lang]))
        self.events.sort(key=lambda e: e[0])
