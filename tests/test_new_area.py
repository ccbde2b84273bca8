"""A new area reaches the roles that exist already, as their defaults say (issue 9: areas
are data-driven), through the helper a migration calls."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.access.defaults import grant_new_areas
from tracker.extensions import db
from tracker.models import Generations, Grant, Role


def _levels(area: str) -> dict[str, tuple[int, int]]:
    return {name: (read, write) for name, read, write in db.session.execute(
        sa.select(Role.name, Grant.read_level, Grant.write_level).join(Grant)
        .where(Grant.area == area))}


def test_a_new_area_is_granted_to_existing_roles_as_their_defaults_say(users):
    # As if "complaints" were new in this release: the roles exist, their rows do not.
    db.session.execute(sa.delete(Grant).where(Grant.area == "complaints"))
    custom = Role(name="custom", label="Custom")
    db.session.add(custom)
    db.session.commit()
    before = db.session.scalar(sa.select(Generations.access))
    # An administrator had already opened it to the auditor by hand: left as set.
    auditor = db.session.scalar(sa.select(Role).where(Role.name == "auditor"))
    db.session.add(Grant(role_id=auditor.id, area="complaints", read_level=1, write_level=0))
    db.session.commit()

    with db.engine.begin() as connection:
        added = grant_new_areas(connection, ["complaints"])
    db.session.expire_all()
    levels = _levels("complaints")
    assert levels["admin"] == (3, 3) and levels["support_agent"] == (3, 3)
    assert levels["account_manager"] == (2, 2) and levels["auditor"] == (1, 0)
    assert "custom" not in levels and "team_member" not in levels  # none by default
    assert added == 4  # admin, manager, account manager, support agent
    assert db.session.scalar(sa.select(Generations.access)) > before
    with db.engine.begin() as connection:
        assert grant_new_areas(connection, ["complaints"]) == 0  # once
