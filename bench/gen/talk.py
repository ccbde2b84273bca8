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


def generate_conversations(ctx: Ctx) -> None:
    """Rounds and notes in time order (ids grow with time, as in life), with children."""
    L, og, rng = ctx.loader, ctx.orgs, ctx.rng("talk")
    r = rng.random
    n = ctx.n("conversations", 20)
    partners, clients = OrgPicker(ctx, 1, r), OrgPicker(ctx, 2, r)
    src = ctx.sources["conversations"] = Sources("conversations", L.next_id("conversations"))
    topic_id = L.next_id("conversation_topics")
    rounds_of = [0] * len(og)
    convs, topics, ours, theirs = [], [], [], []
    for i in range(n):
        cid = src.first_id + i
        t = spread(ctx, i, n, r)
        is_round = r() < ROUND_SHARE and partners.index
        oi = (partners if is_round or not clients.index else clients)(t, r)
        org, team, owner = og.first_id + oi, og.team[oi], og.owner[oi]
        lang = LANGS[og.lang[oi]]
        author = _team_people(ctx, team, owner, r)
        contacts = og.contact_first[oi], og.contact_count[oi]
        contact = contacts[0] + int(r() * contacts[1])
        people = {author}
        if is_round:
            rounds_of[oi] += 1
            topic_list = TOPICS[lang]
            subject, our, their, agreed = topic_list[int(r() * len(topic_list))]
            titles = ROUND_TITLES[lang]
            title = titles[int(r() * len(titles))].format(k=rounds_of[oi], topic=subject)
            bodies = ROUND_BODIES[lang]
            body = bodies[int(r() * len(bodies))].format(topic=subject, contact="对方" if lang ==
                                                         "zh" else "they")
            outcome = ROUND_OUTCOMES[lang][int(r() * 4)]
            kind = ROUND_KINDS[int(r() * len(ROUND_KINDS))]
            confidential, visibility = r() < 0.08, "internal"
            for k in range(1 + (r() < 0.3)):
                subject_k, our_k, their_k, agreed_k = (
                    (subject, our, their, agreed) if k == 0
                    else topic_list[int(r() * len(topic_list))])
                done = bool(agreed_k) and r() < 0.55
                topics.append((topic_id, cid, k, subject_k, our_k, their_k,
                               "agreed" if done else "open", agreed_k if done else ""))
                topic_id += 1
            for _ in range(int(r() * 2.2)):
                people.add(_team_people(ctx, team, 0, r))
            theirs.append((cid, contact))
            if contacts[1] > 1 and r() < 0.35:
                theirs.append((cid, contacts[0] + (contact - contacts[0] + 1) % contacts[1]))
        else:
            titles, bodies = NOTE_TITLES[lang], NOTE_BODIES[lang]
            values = {"m": 1 + int(r() * 12), "pct": 90 + int(r() * 10),
                      "pct2": 5 + int(r() * 30), "n": 500 + int(r() * 20000),
                      "contact": "客户" if lang == "zh" else "their lead"}
            title = titles[int(r() * len(titles))].format(**values)
            body = bodies[int(r() * len(bodies))].format(**values)
            outcome, kind = "", NOTE_KINDS[int(r() * len(NOTE_KINDS))]
            confidential = r() < 0.02
            visibility = "shared" if r() < 0.3 else "internal"
            if r() < 0.6:
                theirs.append((cid, contact))
            if r() < 0.5:
                people.clear()  # most notes name nobody on our side but their author
        ours.extend((cid, u) for u in sorted(people))
        logged = min(ctx.now, t + int(r() * 6 * 3600))
        edited = logged if r() < 0.8 else min(ctx.now, logged + int(r() * 20 * DAY))
        stamp = L.ts(logged)
        convs.append((cid, org, kind, L.ts(t), title, body, outcome, confidential, visibility,
                      author, stamp, L.ts(edited) if edited != logged else stamp, author,
                      author, 1 if edited == logged else 2))
        src.add(t, org, team, author)
        if len(convs) >= BLOCK:
            _flush(ctx, convs, topics, ours, theirs, n)
    _flush(ctx, convs, topics, ours, theirs, n)
    L.commit()


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
