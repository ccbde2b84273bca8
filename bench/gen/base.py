"""What every part of the generator shares: the clock, the scale, seeded randomness, and
the facts later parts need about earlier ones (people, organizations, sources)."""

from __future__ import annotations

import random
import time
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from bench.gen.load import Loader

DAY = 86_400
HISTORY_DAYS = 3 * 365
# Full-scale sizes (scale=1.0); everything else is proportionate to these.
FULL = {"users": 300, "teams": 30, "organizations": 20_000, "contacts": 60_000,
        "conversations": 1_000_000, "complaints": 200_000, "complaint_events": 1_500_000,
        "followups": 500_000, "agreements": 20_000, "requirements": 30_000}


def minute(t: float) -> int:
    """``t`` (epoch seconds) floored to the whole minute, as the deadline clock counts."""
    return int(t) // 60 * 60


def to_date(t: int) -> date:
    """The UTC calendar date of epoch second ``t``."""
    return date(*time.gmtime(t)[:3])


@dataclass
class Sources:
    """Records of one kind in id order (which is time order): what follow-ups point at."""

    name: str
    first_id: int = 1
    times: array = field(default_factory=lambda: array("q"))
    orgs: array = field(default_factory=lambda: array("i"))  # 0: no organization
    teams: array = field(default_factory=lambda: array("i"))  # 0: no team
    owners: array = field(default_factory=lambda: array("i"))  # 0: nobody

    def add(self, t: int, org: int, team: int, owner: int) -> None:
        self.times.append(t)
        self.orgs.append(org)
        self.teams.append(team)
        self.owners.append(owner)

    def __len__(self) -> int:
        return len(self.times)

    def recent_index(self, t: int, r: float, window: int) -> int:
        """An index of a record made before ``t``, more likely a recent one; -1 if none."""
        hi = bisect_right(self.times, t)
        if hi == 0:
            return -1
        return max(0, hi - 1 - int(r * r * window))


@dataclass
class People:
    """Users and teams, and who may own or work what."""

    user_ids: list[int] = field(default_factory=list)
    team_ids: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)  # team -> user ids
    leads: dict[int, int] = field(default_factory=dict)  # team -> lead's user id
    team_kind: dict[int, str] = field(default_factory=dict)  # partner/client/complaint/ops/data
    accounts: dict[str, int] = field(default_factory=dict)  # bench role key -> user id
    agents: list[int] = field(default_factory=list)  # complaint assignees, weighted
    lang: dict[int, str] = field(default_factory=dict)  # user -> "zh" / "en"


@dataclass
class Orgs:
    """Organizations in id order, with what their children need."""

    first_id: int = 1
    kind: bytearray = field(default_factory=bytearray)  # 1 partner, 2 client
    lang: bytearray = field(default_factory=bytearray)  # 1 zh, 2 en
    team: array = field(default_factory=lambda: array("i"))
    owner: array = field(default_factory=lambda: array("i"))
    created: array = field(default_factory=lambda: array("q"))
    contact_first: array = field(default_factory=lambda: array("i"))
    contact_count: bytearray = field(default_factory=bytearray)

    def __len__(self) -> int:
        return len(self.kind)


@dataclass
class Ctx:
    """The generator's shared state."""

    scale: float
    seed: int
    loader: Loader
    now: int  # epoch seconds, whole minute: every generated time is relative to it
    people: People = field(default_factory=People)
    orgs: Orgs = field(default_factory=Orgs)
    sources: dict[str, Sources] = field(default_factory=dict)
    tag_ids: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        """When the department's history begins."""
        return self.now - HISTORY_DAYS * DAY

    def rng(self, section: str) -> random.Random:
        """Independent, seeded randomness per section: one part's change leaves the rest."""
        return random.Random(f"{self.seed}:{section}")

    def n(self, what: str, floor: int = 1) -> int:
        """How many rows of ``what`` at this scale (never fewer than ``floor``)."""
        return max(floor, round(FULL[what] * self.scale))

    def ts(self, t: int) -> str:
        return self.loader.ts(t)
