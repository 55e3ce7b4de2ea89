"""The sandbox product contract, proved with a product that is not Jira (fake_sandbox.py), mounted
through the same mechanism as the real ones and driven over HTTP in-process."""

import warnings

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from atlctl.sandbox import registry
from atlctl.sandbox.app import create_app
from atlctl.sandbox.settings import SettingsError
from tests.contract.fake_sandbox import NAME

with warnings.catch_warnings():
    # Starlette 1.10 would rather drive its TestClient with httpx2; the pinned httpx works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

ANN = ("ann", "s3cret-Ann-pw")
TOKEN = {"Authorization": "Bearer fake-token-ann"}


def serve(declarations=(NAME,), **options):
    app = create_app(declarations=declarations, **options)
    return app, TestClient(app, base_url="http://sandbox.test")


@pytest.fixture
def app_client():
    app, client = serve()
    with client:
        yield app, client
    app.close()


@pytest.fixture
def client(app_client):
    return app_client[1]


def product_stats(client, key):
    return client.get("/_sandbox/stats").json()["products"][key]


def test_served_without_jira(app_client):
    app, client = app_client
    assert set(app.products) == {"fake", "fake_twin"}
    r = client.get("/fake/api/hello")
    assert r.json() == {"greeting": "hello", "user": None}
    assert r.headers["x-fake-product"] == "fake"  # the product's finish hook
    assert client.get("/jira/rest/api/2/serverInfo").json() == {"error": "no such path: /jira/rest/api/2/serverInfo"}
    index = client.get("/").text
    assert "Fake product" in index and "http://sandbox.test/fake-twin" in index
    assert "ann / password s3cret-Ann-pw (administrator), bot fake-token-ann" in index


def test_basic_login_opens_a_session_that_the_next_request_rides(client):
    r = client.get("/fake/api/me", auth=ANN)
    assert r.json() == {"login": "ann", "scheme": "basic"}
    assert r.headers["set-cookie"].startswith("FAKESESSION=") and r.headers["set-cookie"].endswith("; Path=/fake; HttpOnly")
    assert client.get("/fake/api/me").json() == {"login": "ann", "scheme": "session"}
    stats = product_stats(client, "fake")
    assert stats["password_checks"] == 1 and stats["requests_by_auth"] == {"basic": 1, "session": 1, "bearer": 0, "anonymous": 0}


def test_bearer_token(client):
    assert client.get("/fake/api/me", headers=TOKEN).json() == {"login": "ann", "scheme": "bearer"}
    r = client.get("/fake/api/me", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json() == {"fake_error": "unknown token", "status": 401}
    assert product_stats(client, "fake")["password_checks"] == 0


def test_refusals_use_the_products_error_body(client):
    r = client.get("/fake/api/me", auth=("ann", "wrong"))
    assert r.status_code == 401 and r.json() == {"fake_error": "wrong login or password", "status": 401}
    assert "set-cookie" not in r.headers
    assert client.get("/fake/api/me").json() == {"fake_error": "log in first", "status": 401}
    assert client.get("/fake/nothing").json() == {"fake_error": "no such path: /nothing", "status": 404}
    r = client.post("/fake/api/hello")
    assert r.status_code == 405 and r.headers["allow"] == "GET"


def test_settings_are_the_products_plus_the_shared_ones(client):
    fresh = {"session_idle_seconds": 60, "captcha_threshold": 3, "rate_limit": None, "faults": [], "latency_ms": 0}
    assert client.get("/_sandbox/settings").json() == {"fake": fresh, "fake_twin": fresh}
    r = client.post("/_sandbox/settings", json={"fake": {"captcha_threshold": 0}})
    assert r.status_code == 400 and r.json() == {"error": "fake: captcha_threshold: must be a whole number from 1 to 100"}
    # The product's settings are its realm's policy: after one failure, CAPTCHA refuses even the right password.
    assert client.post("/_sandbox/settings", json={"fake": {"captcha_threshold": 1}}).json()["fake"]["captcha_threshold"] == 1
    client.get("/fake/api/me", auth=("ann", "wrong"))
    assert client.get("/fake/api/me", auth=ANN).status_code == 401
    assert product_stats(client, "fake")["password_checks"] == 1  # the refusal checked no password


def test_sessions_expire_with_the_products_idle_setting(client):
    client.get("/fake/api/me", auth=ANN)
    client.post("/_sandbox/clock", json={"advance_seconds": 61})
    r = client.get("/fake/api/me")
    assert r.status_code == 401 and r.json()["fake_error"] == "your session has ended"
    assert product_stats(client, "fake")["requests_by_auth"]["session"] == 1


def test_faults_answer_with_the_products_error_body(client):
    faults = [{"path": "/api/hello", "kind": "status", "status": 500, "count": 1}, {"path": "/api/me", "kind": "status"}]
    client.post("/_sandbox/settings", json={"fake": {"faults": faults}})
    r = client.get("/fake/api/hello")
    assert r.status_code == 500 and r.json() == {"fake_error": "Internal server error", "status": 500}
    assert client.get("/fake/api/hello").status_code == 200  # count used up
    r = client.get("/fake/api/me", headers=TOKEN)
    assert r.status_code == 503 and r.headers["retry-after"] == "1" and "<title>503 Service Unavailable</title>" in r.text
    assert client.get("/fake-twin/api/me", headers=TOKEN).status_code == 200  # the other product has none
    assert product_stats(client, "fake")["requests_by_auth"]["bearer"] == 0  # the product never saw it


def test_rate_limit_uses_the_products_headers(client):
    client.post("/_sandbox/settings", json={"fake": {"rate_limit": {"requests": 1, "interval_seconds": 60}}})
    r = client.get("/fake/api/me", headers=TOKEN)
    assert r.status_code == 200 and r.headers["x-fake-requests-left"] == "0"
    r = client.get("/fake/api/me", headers=TOKEN)
    assert r.status_code == 429 and r.json() == {"fake_error": "slow down", "status": 429}
    assert client.get("/fake/api/hello").status_code == 200  # anonymous requests are not limited


def test_control_route_and_reset(client):
    client.get("/fake/api/me", auth=ANN)
    client.post("/_sandbox/settings", json={"fake": {"captcha_threshold": 5}})
    assert client.get("/_sandbox/fake/sessions").json() == {"sessions": 1}
    assert client.get("/_sandbox/fake_twin/sessions").json() == {"sessions": 1}  # the same realm
    assert client.post("/_sandbox/fake/sessions").status_code == 405

    assert client.post("/_sandbox/reset").status_code == 204
    assert client.get("/_sandbox/fake/sessions").json() == {"sessions": 0}
    assert client.get("/_sandbox/settings").json()["fake"]["captcha_threshold"] == 3
    assert product_stats(client, "fake")["password_checks"] == 0
    assert client.get("/fake/api/me").json()["fake_error"] == "your session has ended"  # the cookie is stale now
    client.cookies.clear()
    assert client.get("/fake/api/me", headers=TOKEN).status_code == 200  # the seeded token is back


def test_products_that_share_a_realm_count_their_own_stats(app_client):
    app, client = app_client
    realm = app.products["fake"].realm
    assert app.products["fake_twin"].realm is realm and list(realm.users) == ["u-1"]  # seeded once
    client.get("/fake-twin/api/me", auth=ANN)
    assert product_stats(client, "fake_twin")["password_checks"] == 1
    assert product_stats(client, "fake")["password_checks"] == 0


def test_start_up_options():
    app, client = serve(fake_greeting="hi")
    assert client.get("/fake/api/hello").json()["greeting"] == "hi"
    app.close()
    with pytest.raises(SettingsError, match="the greeting must not be empty"):
        create_app(declarations=[NAME], fake_greeting=" ")
    with pytest.raises(TypeError, match="unknown sandbox option"):
        create_app(declarations=[NAME], jira_version="9.12.4")  # Jira is not mounted


def test_beside_the_real_products():
    app, client = serve(declarations=(*registry.DECLARATIONS, NAME))
    keys = list(client.get("/_sandbox/settings").json())
    assert keys[:2] == ["jira", "jira_cloud"] and keys[-2:] == ["fake", "fake_twin"]  # the registry's order, then the fake
    assert client.get("/jira/rest/api/2/myself", auth=("admin", "admin")).json()["name"] == "admin"
    assert client.get("/fake/api/me", auth=ANN).json()["login"] == "ann"
    stats = client.get("/_sandbox/stats").json()
    assert stats["password_checks"] == 2 and stats["products"]["jira"]["password_checks"] == 1
    app.close()


def test_latency_is_a_setting_every_product_has(client, monkeypatch):
    """latency_ms holds every answer back (a real server is never on the client's CPUs); measured by
    what the pipeline asks to sleep, not by a clock."""
    from atlctl.sandbox import pipeline

    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(pipeline.anyio, "sleep", sleep)
    client.get("/fake/api/hello")
    assert slept == []
    assert client.post("/_sandbox/settings", json={"fake": {"latency_ms": 50}}).json()["fake"]["latency_ms"] == 50
    client.get("/fake/api/hello")
    client.get("/fake-twin/api/hello")  # another product: its own setting
    assert slept == [0.05]
    refused = client.post("/_sandbox/settings", json={"fake": {"latency_ms": -1}})
    assert refused.status_code == 400 and "latency_ms" in refused.json()["error"]
