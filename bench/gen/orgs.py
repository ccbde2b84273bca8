"""Partners and clients with their contacts and tags."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from bench.gen.base import DAY, Ctx
from bench.gen.words import (
    BRANDS,
    CHINESE_SHARE,
    CITIES,
    EN_SUFFIXES,
    ENGLISH_BRANDS,
    INDUSTRIES,
    MOBILE_PREFIXES,
    ORG_NOTES,
    TAG_COUNT_WEIGHTS,
    TAGS,
    TITLES,
    ZH_SUFFIXES,
    person,
)
from tracker.search.names import sort_key

CLIENT_SHARE = 0.55
ARCHIVED_SHARE = 0.03
NO_TEAM_SHARE = 0.04
STAGES = (("prospect", 8), ("first_contact", 7), ("negotiating", 12), ("terms_agreed", 5),
          ("signed", 5), ("active", 45), ("paused", 8), ("ended", 10))
STATUSES = (("active", 70), ("prospect", 13), ("on_hold", 10), ("inactive", 7))
CONTACT_COUNTS = (2, 3, 3, 4)


def _weighted(pairs: tuple) -> tuple[list, list[float]]:
    values = [p[0] for p in pairs]
    cum = list(accumulate(p[-1] for p in pairs))
    return values, [c / cum[-1] for c in cum]


def pick(values: list, cum: list[float], x: float):
    """The value whose cumulative share first exceeds ``x`` (0 <= x < 1)."""
    return values[bisect_right(cum, x)]


def _name(zh: bool, r) -> tuple[str, str, str]:
    """Name, website and industry of one organization."""
    zh_word, en_word, industry = INDUSTRIES[int(r() * len(INDUSTRIES))]
    brand, pinyin = BRANDS[int(r() * len(BRANDS))]
    slug = en_word.lower().replace(" ", "-")
    if zh:
        city = CITIES[int(r() * len(CITIES))]
        name = f"{city}{brand}{zh_word}{ZH_SUFFIXES[int(r() * len(ZH_SUFFIXES))]}"
        return name, f"https://www.{pinyin}-{slug}.cn", industry
    stem = pinyin.title() if r() < 0.5 else ENGLISH_BRANDS[int(r() * len(ENGLISH_BRANDS))]
    name = f"{stem} {en_word} {EN_SUFFIXES[int(r() * len(EN_SUFFIXES))]}"
    return name, f"https://www.{stem.lower().replace(' ', '')}-{slug}.com", industry


def _teams_for(ctx: Ctx, kind: str) -> list[int]:
    P = ctx.people
    own = [t for t in P.team_ids if P.team_kind[t] == kind]
    ops = [t for t in P.team_ids if P.team_kind[t] == "ops"]
    return own * 2 + ops  # the kind's own teams hold two thirds, operations the rest


def generate_orgs(ctx: Ctx) -> None:
    """Organizations (created mostly at go-live, then steadily), contacts and tag links."""
    L, og, P, rng = ctx.loader, ctx.orgs, ctx.people, ctx.rng("orgs")
    r = rng.random
    n = ctx.n("organizations", 8)
    og.first_id = L.next_id("organizations")
    created = sorted(ctx.start + int(r() * (30 * DAY if r() < 0.5 else (ctx.now - ctx.start)
                                           - 7 * DAY)) for _ in range(n))
    stages, stage_cum = _weighted(STAGES)
    statuses, status_cum = _weighted(STATUSES)
    teams = {"partner": _teams_for(ctx, "partner"), "client": _teams_for(ctx, "client")}
    contact0 = L.next_id("contacts")
    contacts: list[tuple] = []
    cid = contact0

    def orgs():
        nonlocal cid
        for i, t in enumerate(created):
            org_id = og.first_id + i
            is_client = i % 2 == 0 if n < 20 else r() < CLIENT_SHARE
            kind = "client" if is_client else "partner"
            zh = r() < CHINESE_SHARE
            name, website, industry = _name(zh, r)
            team = 0 if r() < NO_TEAM_SHARE else teams[kind][int(r() * len(teams[kind]))]
            owner = (P.members[team][int(r() * len(P.members[team]))]
                     if team and P.members[team] and r() < 0.92 else 0)
            archived = r() < ARCHIVED_SHARE
            stage = None if is_client else pick(stages, stage_cum, r())
            status = ("inactive" if archived or stage == "ended"
                      else pick(statuses, status_cum, r()))
            updated = t + int((ctx.now - t) * r())
            og.kind.append(2 if is_client else 1)
            og.lang.append(1 if zh else 2)
            og.team.append(team)
            og.owner.append(owner)
            og.created.append(t)
            count = CONTACT_COUNTS[int(r() * len(CONTACT_COUNTS))]
            og.contact_first.append(cid)
            og.contact_count.append(count)
            _contacts(ctx, contacts, cid, org_id, kind, zh, count, t, r)
            cid += count
            yield (org_id, kind, name, sort_key(name), status, industry, website,
                   ORG_NOTES["zh" if zh else "en"][int(r() * 7) % len(ORG_NOTES["en"])],
                   owner or None, team or None, stage, "", L.ts(t), L.ts(updated),
                   L.ts(updated) if archived else None, owner or None, owner or None,
                   1 + int(r() * 4))

    L.load("organizations", ("id", "kind", "name", "sort_name", "status", "industry", "website",
                             "notes", "owner_id", "team_id", "stage", "stage_reason",
                             "created_at", "updated_at", "archived_at", "created_by_id",
                             "updated_by_id", "version"), orgs(), total=n)
    L.load("contacts", ("id", "organization_id", "name", "sort_name", "title", "email", "phone",
                        "notes", "created_at", "updated_at", "version", "created_by_id"),
           contacts)
    contacts.clear()
    _tag_links(ctx, r)
    L.commit()


def _contacts(ctx: Ctx, out: list, first: int, org_id: int, kind: str, zh: bool, count: int,
              t: int, r) -> None:
    titles = TITLES["zh" if zh else "en", kind]
    owner = ctx.orgs.owner[-1] or None
    for k in range(count):
        name, local = person(zh, r)
        prefix = MOBILE_PREFIXES[int(r() * len(MOBILE_PREFIXES))]
        made = ctx.loader.ts(min(ctx.now, t + int(r() * 30 * DAY)) if k else t)
        out.append((first + k, org_id, name, sort_key(name), titles[int(r() * len(titles))],
                    f"{local}{int(r() * 99) + 1}@org{org_id}.example",
                    f"+86 {prefix} {int(r() * 10000):04d} {int(r() * 10000):04d}", "",
                    made, made, 1, owner))


def _tag_links(ctx: Ctx, r) -> None:
    tags, cum = _weighted(tuple(zip(ctx.tag_ids, (w for _n, w in TAGS), strict=True)))
    counts, count_cum = _weighted(TAG_COUNT_WEIGHTS)

    def links():
        for i in range(len(ctx.orgs)):
            chosen = {pick(tags, cum, r()) for _ in range(pick(counts, count_cum, r()))}
            for tag in sorted(chosen):
                yield ctx.orgs.first_id + i, tag

    ctx.loader.load("organization_tags", ("organization_id", "tag_id"), links())
