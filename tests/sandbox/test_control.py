"""The control API under /_sandbox/ and fault injection."""

import time

import httpx
import pytest

ADMIN = ("admin", "admin")


def jira_only(products: dict) -> dict:
    """Jira's entries (the other products have tests of their own)."""
    return {key: value for key, value in products.items() if key.startswith("jira")}


def test_settings_defaults(sandbox):
    assert jira_only(sandbox.settings()) == {
        "jira": {
            "version": "9.12.4",
            "websudo": True,
            "websudo_idle_seconds": 600,
            "basic_auth": True,
            "session_idle_seconds": 18000,
            "captcha_threshold": 3,
            "xsrf_legacy": False,
            "rate_limit": None,
            "faults": [],
            "latency_ms": 0,
        },
        "jira_cloud": {"rate_limit": None, "faults": [], "latency_ms": 0},
    }


def test_settings_change_and_reset(sandbox):
    changed = sandbox.settings(
        {"jira": {"websudo": False, "version": "8.20.1"}, "jira_cloud": {"rate_limit": {"requests": 5, "interval_seconds": 1.5}}}
    )
    assert changed["jira"]["websudo"] is False and changed["jira"]["version"] == "8.20.1"
    assert changed["jira_cloud"]["rate_limit"] == {"requests": 5, "interval_seconds": 1.5}
    info = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo").json()
    assert info["version"] == "8.20.1" and info["versionNumbers"] == [8, 20, 1] and info["buildNumber"] == 820001
    sandbox.reset()
    assert sandbox.settings()["jira"]["version"] == "9.12.4"


@pytest.mark.parametrize(
    "body,message",
    [
        ({"nosuchproduct": {}}, "unknown product 'nosuchproduct'"),
        ({"jira": {"websduo": False}}, "jira: unknown setting 'websduo'"),
        ({"jira": {"websudo": "no"}}, "jira: websudo: must be true or false"),
        ({"jira": {"version": "9.12"}}, "jira: version: version must look like 9.12.4"),
        ({"jira": {"captcha_threshold": 0}}, "jira: captcha_threshold: must be a whole number from 1 to 1000"),
        ({"jira": {"rate_limit": {"requests": 5}}}, "jira: rate_limit: must be null or"),
        ({"jira_cloud": {"websudo": False}}, "jira_cloud: unknown setting 'websudo'"),
        ({"jira_cloud": {"xsrf_legacy": True}}, "jira_cloud: unknown setting 'xsrf_legacy'"),
        # Bitbucket Cloud has no sessions or CAPTCHA, so no such settings that would do nothing
        ({"bitbucket_cloud": {"captcha_threshold": 5}}, "bitbucket_cloud: unknown setting 'captcha_threshold'"),
        ({"bitbucket_cloud": {"session_idle_seconds": 60}}, "bitbucket_cloud: unknown setting 'session_idle_seconds'"),
        ({"jira": {"faults": [{"path": "/x", "kind": "explode"}]}}, 'fault "kind" must be one of'),
        ({"jira": {"faults": [{"path": "/x", "kind": "status", "status": 404}]}}, "5xx"),
        ({"jira": {"faults": [{"path": "x", "kind": "drop"}]}}, 'fault "path"'),
        ({"jira": {"faults": [{"path": "/x", "kind": "drop", "colour": "red"}]}}, "unknown fault field(s): colour"),
        ({"jira": []}, "must be a JSON object"),
    ],
)
def test_bad_settings_are_400_and_change_nothing(sandbox, body, message):
    r = sandbox.http.post(sandbox.url + "/_sandbox/settings", json=body)
    assert r.status_code == 400
    assert message in r.json()["error"]
    assert sandbox.settings()["jira"]["websudo"] is True


def test_settings_are_all_or_nothing_across_products(sandbox):
    r = sandbox.http.post(sandbox.url + "/_sandbox/settings", json={"jira": {"websudo": False}, "jira_cloud": {"nope": 1}})
    assert r.status_code == 400
    assert sandbox.settings()["jira"]["websudo"] is True


def test_settings_body_must_be_json(sandbox):
    r = sandbox.http.post(sandbox.url + "/_sandbox/settings", content=b"websudo=false")
    assert r.status_code == 400 and "JSON object" in r.json()["error"]


def test_reset_restores_seed_data_and_drops_sessions(sandbox):
    with sandbox.client() as client:
        client.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"})
        client.delete(sandbox.jira + "/rest/api/2/issue/DEMO-1")
        sandbox.reset()
        assert client.get(sandbox.jira + "/rest/api/2/myself").status_code == 401  # session gone
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", auth=ADMIN).status_code == 200
    assert sandbox.stats()["password_checks"] == 1


def test_stats_shape(sandbox):
    sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=ADMIN)
    sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo")
    stats = sandbox.stats()
    stats["products"] = jira_only(stats["products"])
    assert stats == {
        "password_checks": 1,
        "logins": 0,
        "requests_by_auth": {"basic": 1, "session": 0, "bearer": 0, "anonymous": 1},
        "products": {
            "jira": {"password_checks": 1, "logins": 0, "requests_by_auth": {"basic": 1, "session": 0, "bearer": 0, "anonymous": 0}},
            "jira_cloud": {"password_checks": 0, "logins": 0, "requests_by_auth": {"basic": 0, "session": 0, "bearer": 0, "anonymous": 1}},
        },
    }


def test_clock(sandbox):
    r = sandbox.http.post(sandbox.url + "/_sandbox/clock", json={"advance_seconds": 30})
    assert r.json() == {"offset_seconds": 30}
    for bad in (b'{"advance_seconds": -1}', b'{"advance_seconds": NaN}', b'{"advance_seconds": Infinity}', b'{"advance_seconds": true}'):
        assert sandbox.http.post(sandbox.url + "/_sandbox/clock", content=bad).status_code == 400
    century = 100 * 365 * 86400
    assert sandbox.http.post(sandbox.url + "/_sandbox/clock", json={"advance_seconds": century}).status_code == 400  # 30 s used
    r = sandbox.http.post(sandbox.url + "/_sandbox/clock", json={"advance_seconds": century - 30})
    assert r.json() == {"offset_seconds": century}
    token = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "t", "expirationDuration": 3650}, auth=ADMIN)
    assert token.json()["expiringAt"].startswith("21")  # dates still print


def test_index_and_unknown_paths(sandbox):
    index = sandbox.http.get(sandbox.url + "/")
    assert index.status_code == 200 and "/jira-cloud" in index.text and "sandbox-token-admin" in index.text
    jira_cloud = index.text.split("Jira Cloud", 1)[1].split("Confluence", 1)[0]
    confluence_cloud = index.text.split("Confluence Cloud", 1)[1].split("Bitbucket", 1)[0]
    assert "bob@example.com" in jira_cloud and "bob@example.com" not in confluence_cloud  # Jira, no Confluence
    assert sandbox.http.get(sandbox.url + "/_sandbox/nothing").status_code == 404
    assert sandbox.http.get(sandbox.url + "/_sandbox/reset").status_code == 405


# ---- faults --------------------------------------------------------------------------------


def test_status_fault(sandbox):
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/myself", "kind": "status", "status": 503, "count": 1}]}})
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=ADMIN)
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "text/html;charset=UTF-8" and "503 Service Unavailable" in r.text
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=ADMIN).status_code == 200  # count used up
    assert sandbox.settings()["jira"]["faults"] == []


def test_status_500_is_a_jira_error_collection(sandbox):
    sandbox.settings({"jira_cloud": {"faults": [{"path": "/rest/api/3", "kind": "status", "status": 500}]}})
    for _ in range(2):  # count null: until reset
        r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo")
        assert r.status_code == 500 and r.json() == {"errorMessages": ["Internal server error"], "errors": {}}
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/2/serverInfo").status_code == 200  # other prefix
    sandbox.reset()
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo").status_code == 200


def test_fault_method_filter(sandbox):
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "post", "kind": "status", "status": 502}]}})
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", auth=ADMIN).status_code == 200
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "x"}}
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue", json=body, auth=ADMIN)
    assert r.status_code == 502 and "retry-after" not in r.headers
    assert "<title>502 Bad Gateway</title>" in r.text


def test_unnamed_5xx_fault(sandbox):
    sandbox.settings({"jira": {"faults": [{"path": "/", "kind": "status", "status": 599}]}})
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo")
    assert r.status_code == 599 and "<title>599 Server Error</title>" in r.text


def test_slow_fault(sandbox):
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/serverInfo", "kind": "slow", "seconds": 0.3, "count": 1}]}})
    started = time.monotonic()
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo")
    assert r.status_code == 200 and r.json()["version"] == "9.12.4"
    assert time.monotonic() - started >= 0.3


def test_slow_fault_finishes_a_write_the_client_gave_up_on(sandbox):
    """As a real server does: the request was received in full, so it is done even after the client left."""
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "slow",
                                           "seconds": 1, "count": 1}]}})
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "gave up on"}}
    with pytest.raises(httpx.ReadTimeout):
        sandbox.http.post(sandbox.jira + "/rest/api/2/issue", json=body, auth=ADMIN, timeout=0.2)
    jql = {"jql": 'summary ~ "gave up on"'}
    for _ in range(200):  # until the sandbox has finished it (bounded: a broken sandbox fails, never hangs)
        found = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params=jql, auth=ADMIN).json()["issues"]
        if found:
            break
        time.sleep(0.05)
    assert [issue["fields"]["summary"] for issue in found] == ["gave up on"]


def test_drop_fault(sandbox):
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/myself", "kind": "drop", "count": 1}]}})
    with pytest.raises(httpx.RemoteProtocolError):
        sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=ADMIN)
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=ADMIN).status_code == 200


def test_html_login_fault(sandbox):
    """An SSO proxy in front: 200 text/html with a login form, whatever the credentials."""
    sandbox.settings({"jira": {"faults": [{"path": "/", "kind": "html_login"}]}})
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=ADMIN)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<form" in r.text and 'type="password"' in r.text
    with pytest.raises(ValueError):
        r.json()
    assert sandbox.stats()["password_checks"] == 0  # the product never saw the request
