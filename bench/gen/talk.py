"""A million conversations: negotiation rounds with partners (topics, both sides' people,
some confidential) and progress notes on clients; and the clients' requirements."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from bench.gen.base import DAY, Ctx, Sources, minute
from bench.gen.words import (
    NOTE_BODIES,
    NOTE_TITLES,
    REQ_STATUSES,
    REQ_WEIGHTS,
    REQUIREMENTS,
    ROUND_BODIES,
    ROUND_OUTCOMES,
    ROUND_TITLES,
    TOPICS,
)

BLOCK = 20_000
ROUND_SHARE = 0.45
ROUND_KINDS = ("meeting", "call", "email", "chat", "visit")
NOTE_KINDS = ("update", "update", "call", "email", "meeting", "visit")
LANGS = ("", "zh", "en")
CONVERSATION_COLUMNS = ("id", "organization_id", "kind", "occurred_at", "title", "body",
                        "outcome", "is_confidential", "visibility", "author_id", "created_at",
                        "updated_at", "created_by_id", "updated_by_id", "version")


class OrgPicker:
    """Draws organizations of one kind, busy ones more often, that exist at a given time."""

    def __init__(self, ctx: Ctx, kind: int, seed_r) -> None:
        og = ctx.orgs
        self.index = [i for i in range(len(og)) if og.kind[i] == kind]
        # A few organizations are far busier than most (skewed activity).
        self.cum = list(accumulate(0.3 + 6 * seed_r() ** 3 for _ in self.index))
        self.total = self.cum[-1] if self.cum else 0.0
        self.created = og.created

    def __call__(self, t: int, r) -> int:
        for _ in range(8):
            i = self.index[bisect_right(self.cum, r() * self.total)]
            if self.created[i] <= t:
                return i
        return self.index[0]  # the earliest of its kind: there since go-live


def spread(ctx: Ctx, i: int, n: int, r) -> int:
    """The time of the i-th of n records, the pace growing steadily over the history."""
    u = (i + r()) / n
    x = -0.5 + (0.25 + 2 * u) ** 0.5  # inverse of F(x) = (x + x^2) / 2: density 0.5 -> 1.5
    return minute(ctx.start + x * (ctx.now - ctx.start - 3600))


def _team_people(ctx: Ctx, team: int, owner: int, r) -> int:
    members = ctx.people.members.get(team) if team else None
    if owner and (r() < 0.7 or not members):
        return owner
    if members:
        return members[int(r() * len(members))]
    users = ctx.people.user_ids
    return users[int(r() * len(users))]


class Talk:
    """Builds conversations one at a time; rows of the four tables accumulate."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx, self.L, self.r = ctx, ctx.loader, ctx.rng("talk").random
        self.partners, self.clients = OrgPicker(ctx, 1, self.r), OrgPicker(ctx, 2, self.r)
        self.src = ctx.sources["conversations"] = Sources("conversations",
                                                          self.L.next_id("conversations"))
        self.topic_id = self.L.next_id("conversation_topics")
        self.rounds_of = [0] * len(ctx.orgs)
        self.convs: list[tuple] = []
        self.topics: list[tuple] = []
        self.ours: list[tuple] = []
        self.theirs: list[tuple] = []

    def generate(self) -> None:
        n = self.ctx.n("conversations", 20)
        for i in range(n):
            self.one(self.src.first_id + i, spread(self.ctx, i, n, self.r))
            if len(self.convs) >= BLOCK:
                _flush(self.ctx, self.convs, self.topics, self.ours, self.theirs, n)
        _flush(self.ctx, self.convs, self.topics, self.ours, self.theirs, n)
        self.L.commit()

    def one(self, cid: int, t: int) -> None:
        ctx, r, og, L = self.ctx, self.r, self.ctx.orgs, self.L
        is_round = r() < ROUND_SHARE and self.partners.index
        oi = (self.partners if is_round or not self.clients.index else self.clients)(t, r)
        org, team = og.first_id + oi, og.team[oi]
        author = _team_people(ctx, team, og.owner[oi], r)
        first, count = og.contact_first[oi], og.contact_count[oi]
        contact = first + int(r() * count)
        people = {author}
        if is_round:
            text = self.round(cid, oi, LANGS[og.lang[oi]])
            for _ in range(int(r() * 2.2)):
                people.add(_team_people(ctx, team, 0, r))
            self.theirs.append((cid, contact))
            if count > 1 and r() < 0.35:
                self.theirs.append((cid, first + (contact - first + 1) % count))
        else:
            text = self.note(LANGS[og.lang[oi]])
            if r() < 0.6:
                self.theirs.append((cid, contact))
            if r() < 0.5:
                people.clear()  # most notes name nobody on our side but their author
        self.ours.extend((cid, u) for u in sorted(people))
        logged = min(ctx.now, t + int(r() * 6 * 3600))
        edited = logged if r() < 0.8 else min(ctx.now, logged + int(r() * 20 * DAY))
        stamp = L.ts(logged)
        self.convs.append((cid, org, text[0], L.ts(t), *text[1:], author, stamp,
                           L.ts(edited) if edited != logged else stamp, author, author,
                           1 if edited == logged else 2))
        self.src.add(t, org, team, author)

    def round(self, cid: int, oi: int, lang: str) -> tuple:
        """A negotiation round's kind, title, body, outcome, confidential?, visibility;
        its topics (the first one named in the title) go to their table."""
        r = self.r
        self.rounds_of[oi] += 1
        topic_list = TOPICS[lang]
        first = topic_list[int(r() * len(topic_list))]
        titles, bodies = ROUND_TITLES[lang], ROUND_BODIES[lang]
        title = titles[int(r() * len(titles))].format(k=self.rounds_of[oi], topic=first[0])
        body = bodies[int(r() * len(bodies))].format(
            topic=first[0], contact="对方" if lang == "zh" else "they")
        for k in range(1 + (r() < 0.3)):
            subject, our, their, agreed = first if k == 0 else topic_list[
                int(r() * len(topic_list))]
            done = bool(agreed) and r() < 0.55
            self.topics.append((self.topic_id, cid, k, subject, our, their,
                                "agreed" if done else "open", agreed if done else ""))
            self.topic_id += 1
        return (ROUND_KINDS[int(r() * len(ROUND_KINDS))], title, body,
                ROUND_OUTCOMES[lang][int(r() * 4)], r() < 0.08, "internal")

    def note(self, lang: str) -> tuple:
        """A client note's kind, title, body, outcome, confidential?, visibility."""
        r = self.r
        titles, bodies = NOTE_TITLES[lang], NOTE_BODIES[lang]
        values = {"m": 1 + int(r() * 12), "pct": 90 + int(r() * 10),
                  "pct2": 5 + int(r() * 30), "n": 500 + int(r() * 20000),
                  "contact": "客户" if lang == "zh" else "their lead"}
        return (NOTE_KINDS[int(r() * len(NOTE_KINDS))],
                titles[int(r() * len(titles))].format(**values),
                bodies[int(r() * len(bodies))].format(**values), "", r() < 0.02,
                "shared" if r() < 0.3 else "internal")


def generate_conversations(ctx: Ctx) -> None:
    """Rounds and notes in time order (ids grow with time, as in life), with children."""
    Talk(ctx).generate()


def _flush(ctx: Ctx, convs: list, topics: list, ours: list, theirs: list, total: int) -> None:
    L = ctx.loader
    L.load("conversations", CONVERSATION_COLUMNS, convs, total=total)
    L.load("conversation_topics", ("id", "conversation_id", "position", "subject",
                                   "our_position", "their_position", "status", "resolution"),
           topics)
    L.load("conversation_users", ("conversation_id", "user_id"), ours)
    L.load("conversation_contacts", ("conversation_id", "contact_id"), theirs)
    for rows in (convs, topics, ours, theirs):
        rows.clear()


def generate_requirements(ctx: Ctx) -> None:
    """What clients asked for, most of it confirmed by one of their contacts."""
    L, og, rng = ctx.loader, ctx.orgs, ctx.rng("requirements")
    r = rng.random
    n = ctx.n("requirements", 6)
    clients = OrgPicker(ctx, 2, r)
    if not clients.index:
        return
    src = ctx.sources["requirements"] = Sources("requirements", L.next_id("requirements"))
    cum = list(accumulate(REQ_WEIGHTS))

    def rows():
        for i in range(n):
            t = spread(ctx, i, n, r)
            oi = clients(t, r)
            lang = LANGS[og.lang[oi]]
            title, wording = REQUIREMENTS[lang][int(r() * len(REQUIREMENTS[lang]))]
            status = REQ_STATUSES[bisect_right(cum, r() * cum[-1])]
            asked = og.contact_first[oi] + int(r() * og.contact_count[oi])
            confirmed = status in ("confirmed", "changed")
            when = min(ctx.now, t + int(r() * 10 * DAY)) if confirmed else None
            owner = og.owner[oi] or None
            src.add(t, og.first_id + oi, og.team[oi], owner or 0)
            yield (src.first_id + i, og.first_id + oi, title, wording, status, asked,
                   asked if confirmed else None, L.ts(when) if when else None, owner, "",
                   L.ts(t), L.ts(when or t), owner, owner, 1 + confirmed)

    L.load("requirements", ("id", "organization_id", "title", "wording", "status",
                            "asked_by_id", "confirmed_by_id", "confirmed_at", "owner_id",
                            "status_reason", "created_at", "updated_at", "created_by_id",
                            "updated_by_id", "version"), rows(), total=n)
    L.commit()
