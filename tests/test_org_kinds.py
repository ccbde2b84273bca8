"""Kinds of organization are data: every kind is registered in one place
(``tracker.models.ORG_KINDS``), and a stored kind nobody registered breaks no page."""

from __future__ import annotations

from datetime import date

from flask import Flask

from tests import factories
from tracker.access import Area
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import ORG_KINDS, Contact, Organization, OrgKind


def test_every_kind_is_registered_with_an_area_and_its_pages(app: Flask):
    assert set(ORG_KINDS) == {k.value for k in OrgKind}, (
        "register the new kind in tracker.models.organization.ORG_KINDS")
    for kind, info in ORG_KINDS.items():
        assert Area(info.area)
        for page in ("index", "detail", "create"):
            assert f"{info.blueprint}.{page}" in app.view_functions, (kind, page)
        assert str(info.plural)


def test_a_kind_nobody_registered_breaks_no_page(users, login_as):
    admin = users["admin"]
    stray = Organization(kind="supplier", name="Stray supplier 供应商", owner_id=admin.id)
    db.session.add(stray)
    db.session.flush()
    db.session.add(Contact(organization_id=stray.id, name="Stray contact",
                           email="stray@example.com"))
    known = factories.make_org("client", "Stray client", owner=admin)
    add_followup(known, "Call the stray", admin.id, date(2026, 12, 10), organization=known)
    db.session.commit()
    http = login_as("admin")
    for url in ("/search?q=Stray", "/", "/followups/", "/partners/", "/clients/"):
        response = http.get(url)
        assert response.status_code == 200, url
    page = http.get("/search?q=Stray").get_data(as_text=True)
    assert f'href="/clients/{known.id}"' in page  # the registered kind, linked
    # shown, with no page to link
    assert "<span><mark>Stray</mark> contact</span>" in page
    assert "<span><mark>Stray</mark> supplier 供应商</span>" in page
