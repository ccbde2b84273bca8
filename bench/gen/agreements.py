"""Partner agreements with 2–5 versions of their terms; most signed, many since expired."""

from __future__ import annotations

from bisect import bisect_right
from datetime import timedelta
from decimal import Decimal
from itertools import accumulate

from bench.gen.base import DAY, Ctx, Sources, to_date
from bench.gen.talk import LANGS, OrgPicker, spread
from bench.gen.words_work import AGREEMENT_TITLES, COOPERATION, CURRENCIES, PAYMENT_TERMS, SERVICES

SIGNED = ("signed", "active", "expired", "terminated", "renewed")
CURRENCY_CUM = list(accumulate(w for _c, w in CURRENCIES))
AGREEMENT_COLUMNS = ("id", "organization_id", "title", "owner_id", "team_id", "status",
                     "status_reason", "signed_on", "signatories", "end_on", "notice_on",
                     "created_at", "updated_at", "version", "created_by_id", "updated_by_id")
VERSION_COLUMNS = ("id", "agreement_id", "number", "proposed_by", "proposed_at", "scope",
                   "cooperation", "fee_amount", "currency", "payment_terms", "start_on",
                   "end_on", "notice_on", "auto_renew", "notes", "created_at", "created_by_id")


def generate_agreements(ctx: Ctx) -> None:
    """Agreements in the order they were drafted, then the signed version of each."""
    L, og, r = ctx.loader, ctx.orgs, ctx.rng("agreements").random
    n = ctx.n("agreements", 6)
    partners = OrgPicker(ctx, 1, r)
    if not partners.index:
        return
    src = ctx.sources["agreements"] = Sources("agreements", L.next_id("agreements"))
    version_id = L.next_id("agreement_versions")
    today = to_date(ctx.now)
    versions: list[tuple] = []  # ~70k small tuples at full scale: kept until the parents are in

    def rows():
        nonlocal version_id
        for i in range(n):
            aid, t = src.first_id + i, spread(ctx, i, n, r)
            oi = partners(t, r)
            lang = LANGS[og.lang[oi]]
            owner, team = og.owner[oi] or None, og.team[oi] or None
            service = SERVICES[lang][int(r() * len(SERVICES[lang]))]
            year = to_date(t).year + (r() < 0.3)
            titles = AGREEMENT_TITLES[lang]
            title = titles[int(r() * len(titles))].format(y=year, service=service)
            currency = CURRENCIES[bisect_right(CURRENCY_CUM, r() * CURRENCY_CUM[-1])][0]
            fee = (50 + int(r() * r() * 20000)) * 250
            terms = PAYMENT_TERMS[lang]
            count = 2 + int(r() * 4)
            at = t
            start = to_date(t) + timedelta(days=20 + int(r() * 40))
            years = 1 + int(r() * 3)
            end = start + timedelta(days=365 * years - 1)
            notice = end - timedelta(days=(30, 60, 90)[int(r() * 3)])
            for k in range(count):
                at = min(ctx.now - 3600, at + (3 + int(r() * 18)) * DAY if k else at)
                fee = int(fee * (0.9 + r() * 0.15)) // 100 * 100 or 100
                versions.append((version_id, aid, k + 1, "us" if k % 2 == 0 else "them",
                                 L.ts(at), service, COOPERATION[lang][int(r() * 3)],
                                 L.money(Decimal(fee)), currency, terms[int(r() * len(terms))],
                                 L.day(start), L.day(end), L.day(notice), r() < 0.4, "",
                                 L.ts(at), owner))
                version_id += 1
            recent = ctx.now - at < 90 * DAY
            if recent and r() < 0.6:
                status = ("draft", "proposed", "countered", "agreed")[int(r() * 4)]
                signed_on = None
            else:
                signed_on = min(today, to_date(at) + timedelta(days=1 + int(r() * 10)))
                status = ("terminated" if r() < 0.05 else "signed" if start > today
                          else "active" if end >= today
                          else "renewed" if r() < 0.25 else "expired")
            reason = "" if status != "terminated" else (
                "对方业务调整，提前终止。" if lang == "zh" else "Ended early by mutual consent.")
            src.add(t, og.first_id + oi, og.team[oi], owner or 0)
            changed = L.ts(min(ctx.now - 60, at + DAY))
            yield (aid, og.first_id + oi, title, owner, team, status, reason,
                   signed_on and L.day(signed_on),
                   ("双方法定代表人" if lang == "zh" else "Both managing directors")
                   if signed_on else "", L.day(end), L.day(notice), L.ts(t), changed, count,
                   owner, owner)

    L.load("agreements", AGREEMENT_COLUMNS, rows(), total=n)
    L.load("agreement_versions", VERSION_COLUMNS, versions)
    # The last version is the signed one; set after both tables are in (they point at
    # each other), in one statement. A join, not a correlated max(): without statistics
    # PostgreSQL would answer each max() by walking the primary key backwards.
    marks = ", ".join("?" * len(SIGNED))
    L.execute(f"UPDATE agreements SET signed_version_id = last.id FROM "
              f"(SELECT agreement_id, max(id) AS id FROM agreement_versions "
              f"GROUP BY agreement_id) AS last "
              f"WHERE last.agreement_id = agreements.id AND agreements.status IN ({marks})",
              SIGNED)
    L.commit()
