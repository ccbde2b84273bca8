"""Builders for test records; each commits, as a user's earlier request would have."""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask.testing import FlaskClient

from tracker.accounts.services import seed_default_roles
from tracker.extensions import db
from tracker.models import (
    Agreement,
    AgreementVersion,
    Attachment,
    Complaint,
    Contact,
    Conversation,
    Organization,
    Role,
    Team,
    TeamMembership,
    User,
)
from tracker.search import index as search_index

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def empty_tables() -> None:
    """Delete every row (DELETE beats TRUNCATE on PostgreSQL for tables this small)."""
    db.session.rollback()
    # agreements and their versions point at each other: cut that link first.
    db.session.execute(sa.text("UPDATE agreements SET signed_version_id = NULL"))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    search_index.clear_grams(db.session.connection())  # SQLite's FTS5 table: not in metadata
    db.session.commit()


def reset_database() -> None:
    """An empty database with the default roles and policy, as at the start of a test."""
    from flask import g

    g.pop("_login_user", None)  # the last request's user is gone with its row
    empty_tables()
    db.session.expunge_all()
    seed_roles()


def seed_roles() -> None:
    """The default roles and complaint deadline policy, as a migrated database has them."""
    from tracker.clients.complaints.deadline_rules import ensure_defaults

    seed_default_roles()
    ensure_defaults()
    db.session.commit()


def make_user(role: str | None = None, *, email: str | None = None, name: str | None = None,
              teams: tuple[Team, ...] = (), lead_of: tuple[Team, ...] = (),
              password: str = PASSWORD, **fields: object) -> User:
    n = next(_seq)
    user = User(email=email or f"user{n}@test.example", name=name or f"User {n}", **fields)
    user.set_password(password, "pbkdf2:sha256:1000")
    if role:
        user.roles = [db.session.scalar(sa.select(Role).where(Role.name == role))]
    for team in teams:
        user.memberships.append(TeamMembership(team=team, is_lead=team in lead_of))
    db.session.add(user)
    db.session.commit()
    return user


def make_team(name: str | None = None) -> Team:
    team = Team(name=name or f"Team {next(_seq)}")
    db.session.add(team)
    db.session.commit()
    return team


def make_org(kind: str = "partner", name: str | None = None, *, owner: User | None = None,
             team: Team | None = None, **fields: object) -> Organization:
    org = Organization(kind=kind, name=name or f"{kind.title()} {next(_seq)}",
                       owner=owner, team=team, **fields)
    db.session.add(org)
    db.session.commit()
    return org


def make_contact(org: Organization, name: str | None = None, **fields: object) -> Contact:
    contact = Contact(organization=org, name=name or f"Contact {next(_seq)}", **fields)
    db.session.add(contact)
    db.session.commit()
    return contact


def make_round(org: Organization, title: str | None = None, *, author: User | None = None,
               confidential: bool = False, our_people: tuple[User, ...] = (),
               **fields: object) -> Conversation:
    talk = Conversation(organization=org, title=title or f"Round {next(_seq)}",
                        author_id=author.id if author else None, is_confidential=confidential,
                        our_people=list(our_people), **fields)
    db.session.add(talk)
    db.session.commit()
    return talk


def make_agreement(org: Organization, title: str | None = None, *, owner: User | None = None,
                   team: Team | None = None, versions: int = 1, status: str = "draft",
                   fee: str = "120000.00", **terms: object) -> Agreement:
    agreement = Agreement(organization=org, title=title or f"Agreement {next(_seq)}",
                          owner=owner, team=team, status=status)
    for number in range(1, versions + 1):
        agreement.versions.append(AgreementVersion(
            number=number, fee_amount=Decimal(fee) + number - 1, currency="CNY",
            payment_terms=f"Net {30 * number}", scope="Joint marketing", **terms))
    db.session.add(agreement)
    db.session.commit()
    return agreement


def make_attachment(record: object, content: bytes = b"%PDF-1.4 test",
                    filename: str = "signed.pdf") -> Attachment:
    stored = secrets.token_hex(16)
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(content)
    attachment = Attachment(record_type=record.__tablename__, record_id=record.id,
                            filename=filename, content_type="application/pdf",
                            size=len(content), sha256="0" * 64, stored_name=stored)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def _category_id(word: str | None) -> int | None:
    from tracker.clients.complaints.categories import find_or_add

    found = find_or_add(word or "")
    return found.id if found else None


def make_complaint(org: Organization, title: str | None = None, *, severity: str = "medium",
                   assignee: User | None = None, received_at: datetime | None = None,
                   **fields: object) -> Complaint:
    """A complaint logged through the intake service, deadlines and first event included."""
    from tracker.clients.complaints.services import NewComplaint, intake

    complaint = intake(org, NewComplaint(
        title=title or "Late", description="Details", channel="phone", severity=severity,
        category_id=_category_id(fields.pop("category", "delivery")),
        is_confidential=fields.pop("is_confidential", False),
        assignee_id=assignee.id if assignee else None, received_at=received_at), None)
    for name, value in fields.items():
        setattr(complaint, name, value)
    db.session.commit()
    return complaint


def role_users() -> dict[str, User]:
    """admin … auditor, as ``<role>@test.example``; staff roles in team "Alpha"."""
    alpha = make_team("Alpha")
    users = {}
    for role in ("admin", "manager", "partner_manager", "account_manager", "support_agent",
                 "team_member", "auditor"):
        teams = (alpha,) if role in {"partner_manager", "account_manager", "support_agent",
                                     "team_member"} else ()
        users[role] = make_user(role, email=f"{role}@test.example", name=role.title(),
                                teams=teams)
    return users


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign in without the form (the sign-in form has tests of its own)."""
    from tracker.auth.loader import remember_access

    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    remember_access(user)  # as the sign-in form does
