"""Roles, teams, users (the bench's sign-ins among them), memberships and tags."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from bench.gen.base import DAY, Ctx
from bench.gen.words import CHINESE_SHARE, FUNCTIONS, REGIONS, TAGS, person
from tracker.accounts.services import seed_default_roles
from tracker.extensions import db
from tracker.models import Role
from tracker.search.names import sort_key

PASSWORD = "bench-password"
# Bench role key -> (email, name, team function it works in, leads that team?).
ACCOUNTS = {
    "admin": ("admin@bench.example", "王磊", None, False),
    "manager": ("manager@bench.example", "李娜", "ops", True),
    "partner_manager": ("partners@bench.example", "陈静", "partner", True),
    "account_manager": ("accounts@bench.example", "Emily Carter", "client", True),
    "support_agent": ("support@bench.example", "刘洋", "complaint", False),
    "team_member": ("member@bench.example", "Tom Harris", "ops", False),
    "auditor": ("auditor@bench.example", "Sarah Mitchell", None, False),
}
# The role of a team's lead and of its members (member roles drawn in turn).
LEAD_ROLE = {"partner": "partner_manager", "client": "account_manager",
             "complaint": "support_agent", "ops": "manager", "data": "team_member"}
MEMBER_ROLES = {"partner": ("partner_manager", "team_member", "team_member"),
                "client": ("account_manager", "team_member", "team_member"),
                "complaint": ("support_agent",) * 4 + ("team_member",),
                "ops": ("team_member",) * 4 + ("support_agent",),
                "data": ("team_member",)}
EXTRA_ROLES = ("admin", "manager", "auditor")  # a few more without a team


def seed_roles() -> dict[str, int]:
    """The default roles through the ORM (a handful of rows); returns name -> id."""
    seed_default_roles()
    db.session.commit()
    return {r.name: r.id for r in db.session.scalars(sa.select(Role))}


def _team_plan(n_teams: int) -> list[tuple[str, str]]:
    """(name, function) per team: every function before any region repeats."""
    plan = []
    for i in range(n_teams):
        zh_f, en_f, kind = FUNCTIONS[i % len(FUNCTIONS)]
        zh_r, en_r = REGIONS[(i // len(FUNCTIONS)) % len(REGIONS)]
        lap = i // (len(FUNCTIONS) * len(REGIONS))
        suffix = f" {lap + 1}" if lap else ""
        plan.append((f"{zh_r}{zh_f}{suffix} {en_r} {en_f}{suffix}", kind))
    return plan


def generate_people(ctx: Ctx, roles: dict[str, int]) -> None:
    """Teams, users, memberships and tags; fills ``ctx.people``."""
    L, P, rng = ctx.loader, ctx.people, ctx.rng("people")
    r = rng.random
    n_teams, n_users = ctx.n("teams", 5), ctx.n("users", 24)
    made = ctx.start - 30 * DAY
    team0, user0 = L.next_id("teams"), L.next_id("users")
    plan = _team_plan(n_teams)
    P.team_ids = [team0 + i for i in range(n_teams)]
    L.load("teams", ("id", "name", "sort_name", "description", "report_cadence", "created_at",
                     "updated_at", "version"),
           ((team0 + i, name, sort_key(name), "", "weekly", L.ts(made), L.ts(made), 1)
            for i, (name, _kind) in enumerate(plan)))
    for team_id, (_name, kind) in zip(P.team_ids, plan, strict=True):
        P.team_kind[team_id] = kind
        P.members[team_id] = []
    first_of = {kind: next(t for t in P.team_ids if P.team_kind[t] == kind)
                for kind in {k for _n, k in plan}}
    hashed = generate_password_hash(PASSWORD,
                                    method=current_app.config["PASSWORD_HASH_METHOD"])
    users, memberships, user_roles = [], [], []
    led: set[int] = set()

    def add(user_id: int, email: str, name: str, role: str, team: int | None, lead: bool,
            zh: bool) -> None:
        users.append((user_id, email, name, sort_key(name), hashed, secrets.token_urlsafe(24),
                      True, False, "zh" if zh else "en", "Asia/Shanghai", 8, True, L.ts(made),
                      L.ts(made), 1))
        user_roles.append((user_id, roles[role]))
        P.user_ids.append(user_id)
        P.lang[user_id] = "zh" if zh else "en"
        if team is not None:
            memberships.append((team, user_id, lead, L.ts(made)))
            P.members[team].append(user_id)
            if lead:
                P.leads[team] = user_id
                led.add(team)

    uid = user0
    for key, (email, name, kind, lead) in ACCOUNTS.items():
        team = first_of.get(kind) if kind else None
        add(uid, email, name, key, team, lead and team not in led, not name.isascii())
        P.accounts[key] = uid
        uid += 1
    for i in range(n_users - len(ACCOUNTS)):
        zh = r() < CHINESE_SHARE
        name, local = person(zh, r)
        email = f"{local}.{uid}@bench.example"
        if i < len(EXTRA_ROLES):
            add(uid, email, name, EXTRA_ROLES[i], None, False, zh)
        else:
            team = P.team_ids[i % n_teams]
            kind = P.team_kind[team]
            lead = team not in led
            roles_here = MEMBER_ROLES[kind]
            role = LEAD_ROLE[kind] if lead else roles_here[int(r() * len(roles_here))]
            add(uid, email, name, role, team, lead, zh)
        uid += 1
    # About one in ten also helps a second team (as a member).
    for user_id in list(P.user_ids[len(ACCOUNTS) + len(EXTRA_ROLES):]):
        if r() < 0.1:
            team = P.team_ids[int(r() * n_teams)]
            if user_id not in P.members[team]:
                memberships.append((team, user_id, False, L.ts(made)))
                P.members[team].append(user_id)
    L.load("users", ("id", "email", "name", "sort_name", "password_hash", "session_token",
                     "is_enabled",
                     "must_change_password", "locale", "timezone", "digest_hour",
                     "email_digest", "created_at", "updated_at", "version"), users)
    L.load("user_roles", ("user_id", "role_id"), user_roles)
    m0 = L.next_id("team_memberships")
    L.load("team_memberships", ("id", "team_id", "user_id", "is_lead", "joined_at"),
           ((m0 + i, *row) for i, row in enumerate(memberships)))
    _agents(ctx, roles, user_roles)
    tag0 = L.next_id("tags")
    L.load("tags", ("id", "name"), ((tag0 + i, name) for i, (name, _w) in enumerate(TAGS)))
    ctx.tag_ids = [tag0 + i for i in range(len(TAGS))]
    L.commit()


def _agents(ctx: Ctx, roles: dict[str, int], user_roles: list[tuple[int, int]]) -> None:
    """Who complaints go to: the support agents, the bench's agent three times as often."""
    P = ctx.people
    agent_role = roles["support_agent"]
    agents = [u for u, role in user_roles if role == agent_role]
    P.agents = agents + [P.accounts["support_agent"]] * 2

