"""What internal teams record: meetings, reports, problems, requests, goals, retros, praise."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.i18n import translate
from tracker.models.base import Base, Tracked, utcnow
from tracker.models.user import Team, User
from tracker.workflow import trait


class Urgency(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return translate(URGENCY_LABELS[self])

    @property
    def badge(self) -> str:
        return f"sev-badge-{self.value}"


URGENCY_LABELS = {Urgency.HIGH: _l("High"), Urgency.MEDIUM: _l("Medium"), Urgency.LOW: _l("Low")}


class RequestKind(StrEnum):
    PEOPLE = "people"
    BUDGET = "budget"
    EQUIPMENT = "equipment"

    @property
    def label(self) -> str:
        return translate(REQUEST_KIND_LABELS[self])


REQUEST_KIND_LABELS = {
    RequestKind.PEOPLE: _l("People"),
    RequestKind.BUDGET: _l("Budget"),
    RequestKind.EQUIPMENT: _l("Equipment"),
}


class PostKind(StrEnum):
    ANNOUNCEMENT = "announcement"
    FINDING = "finding"

    @property
    def label(self) -> str:
        return translate(POST_KIND_LABELS[self])


POST_KIND_LABELS = {
    PostKind.ANNOUNCEMENT: _l("Announcement"),
    PostKind.FINDING: _l("Shared finding"),
}


meeting_attendees = sa.Table(
    "meeting_attendees",
    Base.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(Tracked, Base):
    """A team meeting; meetings with the same ``series`` carry open action items over."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.Index("ix_meetings_team_series", "team_id", "series", "starts_at"),
        # The team's meeting list, newest first, a keyset page at a time.
        sa.Index("ix_meetings_team_starts_at", "team_id", "starts_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    series: Mapped[str] = mapped_column(sa.String(120), default="")
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    place: Mapped[str] = mapped_column(sa.String(255), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    organizer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    team: Mapped[Team] = relationship()
    organizer: Mapped[User | None] = relationship(foreign_keys=[organizer_id])
    attendees: Mapped[list[User]] = relationship(secondary=meeting_attendees,
                                                 order_by="User.sort_name")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position")

    def __str__(self) -> str:
        return self.title


class AgendaItem(Base):
    """One agenda item: what was discussed and decided; action items are its follow-ups."""

    __tablename__ = "agenda_items"
    __audited__ = True
    __audit_parent__ = ("meetings", "meeting_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    discussion: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    def __str__(self) -> str:
        return self.title


class ProgressReport(Tracked, Base):
    """A daily or weekly update: done, next, blockers; the lead replies."""

    __tablename__ = "progress_reports"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "author_id", "period_start", name="uq_report_period"),
        # The team's report list, newest period first.
        sa.Index("ix_progress_reports_team_period", "team_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    period_start: Mapped[date] = mapped_column(sa.Date)
    done: Mapped[str] = mapped_column(sa.Text, default="")
    next: Mapped[str] = mapped_column(sa.Text, default="")
    blockers: Mapped[str] = mapped_column(sa.Text, default="")
    lead_comment: Mapped[str] = mapped_column(sa.Text, default="")
    commented_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    commented_at: Mapped[datetime | None] = mapped_column(default=None)

    team: Mapped[Team] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    commented_by: Mapped[User | None] = relationship(foreign_keys=[commented_by_id])

    def __str__(self) -> str:
        return f"{self.author} · {self.period_start.isoformat()}"


class ProblemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    SOLVED = "solved"

    # Solved: its solution is kept (and editable); the others are "not solved yet".
    is_solved = trait(SOLVED)

    @property
    def label(self) -> str:
        return str(PROBLEM_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        return PROBLEM_BADGES[self]


PROBLEM_STATUS_LABELS = {
    ProblemStatus.OPEN: _l("Open"),
    ProblemStatus.IN_PROGRESS: _l("In progress"),
    ProblemStatus.SOLVED: _l("Solved"),
}
PROBLEM_BADGES = {
    ProblemStatus.OPEN: "status-prospect",
    ProblemStatus.IN_PROGRESS: "status-on_hold",
    ProblemStatus.SOLVED: "status-active",
}


class Problem(Tracked, Base):
    """A problem raised early by anyone, tracked to its solution."""

    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    impact: Mapped[str] = mapped_column(sa.Text, default="")
    urgency: Mapped[str] = mapped_column(sa.String(10), default="medium")
    status: Mapped[str] = mapped_column(sa.String(15), default="open")
    solution: Mapped[str] = mapped_column(sa.Text, default="")
    solved_at: Mapped[datetime | None] = mapped_column(default=None)

    team: Mapped[Team] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def __str__(self) -> str:
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.status in ProblemStatus.is_solved


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"
    REJECTED = "rejected"
    FULFILLED = "fulfilled"

    # Waiting for the approver's decision: still editable, listed first, counted as pending.
    awaits_decision = trait(REQUESTED)
    # What the approver may decide.
    is_decision = trait(APPROVED, PARTLY_APPROVED, REJECTED)
    # Granted in full or in part: what was granted can be marked fulfilled.
    is_granted = trait(APPROVED, PARTLY_APPROVED)

    @property
    def label(self) -> str:
        return str(REQUEST_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        return REQUEST_BADGES[self]


REQUEST_STATUS_LABELS = {
    RequestStatus.REQUESTED: _l("Requested"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.PARTLY_APPROVED: _l("Partly approved"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.FULFILLED: _l("Fulfilled"),
}
REQUEST_BADGES = {
    RequestStatus.REQUESTED: "status-prospect",
    RequestStatus.APPROVED: "status-active",
    RequestStatus.PARTLY_APPROVED: "status-on_hold",
    RequestStatus.REJECTED: "stage-ended",
    RequestStatus.FULFILLED: "status-inactive",
}
class ResourceRequest(Tracked, Base):
    """A request for people, budget or equipment, and what the approver granted."""

    __tablename__ = "resource_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    requester_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(12), default="budget")
    title: Mapped[str] = mapped_column(sa.String(200))
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="requested")
    granted_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    approver_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    fulfilled_at: Mapped[datetime | None] = mapped_column(default=None)

    team: Mapped[Team] = relationship()
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])

    def __str__(self) -> str:
        return self.title

    @property
    def awaits_decision(self) -> bool:
        return self.status in RequestStatus.awaits_decision

    @property
    def is_granted(self) -> bool:
        return self.status in RequestStatus.is_granted


class Goal(Tracked, Base):
    """A SMART goal: what exactly, the metric from baseline to target, why, by when."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("goals.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    metric: Mapped[str] = mapped_column(sa.String(120), default="")
    unit: Mapped[str] = mapped_column(sa.String(20), default="")
    baseline: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=0)
    target: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=0)
    why: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    due_on: Mapped[date | None] = mapped_column(sa.Date)

    team: Mapped[Team] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    parent: Mapped[Goal | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Goal]] = relationship(back_populates="parent")
    checkins: Mapped[list[GoalCheckIn]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalCheckIn.at")

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(Base):
    """A progress check-in on a goal: the metric's value and a note."""

    __tablename__ = "goal_checkins"
    __audited__ = True
    __audit_parent__ = ("goals", "goal_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id", ondelete="CASCADE"),
                                         index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    goal: Mapped[Goal] = relationship(back_populates="checkins")
    author: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return str(self.value)


class Retrospective(Tracked, Base):
    """What went well, what fell short, the lessons; actions are its follow-ups."""

    __tablename__ = "retrospectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    held_on: Mapped[date] = mapped_column(sa.Date)
    went_well: Mapped[str] = mapped_column(sa.Text, default="")
    fell_short: Mapped[str] = mapped_column(sa.Text, default="")
    lessons: Mapped[str] = mapped_column(sa.Text, default="")
    facilitator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    team: Mapped[Team] = relationship()
    facilitator: Mapped[User | None] = relationship(foreign_keys=[facilitator_id])

    def __str__(self) -> str:
        return self.title


class Recognition(Tracked, Base):
    """Praise for something specific someone did, visible to the team."""

    __tablename__ = "recognitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    giver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    message: Mapped[str] = mapped_column(sa.Text)

    team: Mapped[Team] = relationship()
    giver: Mapped[User | None] = relationship(foreign_keys=[giver_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])

    def __str__(self) -> str:
        return self.message[:80]


class Post(Tracked, Base):
    """A team announcement or a shared finding (industry news, competitor moves)."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(15), default="announcement")
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")

    team: Mapped[Team] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    comments: Mapped[list[PostComment]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostComment.id")

    def __str__(self) -> str:
        return self.title


class PostComment(Base):
    """One reply in a post's short discussion."""

    __tablename__ = "post_comments"
    __audited__ = True
    __audit_parent__ = ("posts", "post_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"),
                                         index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(sa.Text)

    post: Mapped[Post] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.body[:80]


class FollowUpComment(Base):
    """A comment on a follow-up, or the note of a snooze or a reassignment."""

    __tablename__ = "followup_comments"
    __audited__ = True
    __audit_parent__ = ("followups", "followup_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(sa.ForeignKey("followups.id", ondelete="CASCADE"),
                                             index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(12), default="comment")
    body: Mapped[str] = mapped_column(sa.Text, default="")

    author: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.body[:80]


class ReminderLog(Base):
    """One follow-up reminded to one user on one day (email or in-app): never twice."""

    __tablename__ = "reminder_log"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "followup_id", "day", name="uq_reminder_once"),
        # The reminder log, newest first: one's own, and everybody's for auditors.
        sa.Index("ix_reminder_log_user_sent_at", "user_id", "sent_at", "id"),
        sa.Index("ix_reminder_log_sent_at", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    followup_id: Mapped[int] = mapped_column(sa.ForeignKey("followups.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(sa.String(10), default="app")
    overdue: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()
