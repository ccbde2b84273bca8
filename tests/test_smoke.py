"""The app starts, answers its health check and shows the sign-in page."""


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_dashboard_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_signed_in_dashboard(login_as):
    response = login_as("manager").get("/")
    assert response.status_code == 200
    assert b"Partners" in response.data


def test_login_shortcut_leads_to_the_sign_in_form(client):
    response = client.get("/login?next=/clients/")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/auth/login?next=/clients/")
    assert client.get("/login", follow_redirects=True).status_code == 200
