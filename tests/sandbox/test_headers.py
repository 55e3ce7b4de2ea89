"""Response headers (server-behaviour.md §0.2, §4.1)."""

import re


def test_dc_tracking_and_security_headers(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo")
    assert r.headers["content-type"] == "application/json;charset=UTF-8"
    assert re.fullmatch(r"\d{1,4}x\d+x1", r.headers["x-arequestid"])
    assert r.headers["x-ausername"] == "anonymous"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-xss-protection"] == "1; mode=block"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert r.headers["cache-control"] == "no-cache, no-store, no-transform"
    assert r.headers["x-asen"].startswith("SEN-")
    assert "server" not in r.headers


def test_request_ids_count_up(sandbox):
    first = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo").headers["x-arequestid"]
    second = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo").headers["x-arequestid"]
    assert int(second.split("x")[1]) == int(first.split("x")[1]) + 1


def test_username_header_is_url_encoded(sandbox):
    """§0.2: X-AUSERNAME carries the URL-encoded username."""
    user = {"name": "łtestł", "password": "pw", "emailAddress": "l@example.com", "displayName": "Łukasz"}
    assert sandbox.http.post(sandbox.jira + "/rest/api/2/user", json=user, auth=("admin", "admin")).status_code == 201
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("łtestł", "pw"))  # UTF-8 in the Basic header
    assert r.status_code == 200
    assert r.headers["x-ausername"] == "%C5%82test%C5%82"


def test_username_header_is_encoded_like_javas_url_encoder(sandbox):
    """Jira encodes with java.net.URLEncoder: a space is +, / is %2F, ~ is %7E, * stays."""
    user = {"name": "a b/c~d*e", "password": "pw", "emailAddress": "ab@example.com"}
    assert sandbox.http.post(sandbox.jira + "/rest/api/2/user", json=user, auth=("admin", "admin")).status_code == 201
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("a b/c~d*e", "pw"))
    assert r.headers["x-ausername"] == "a+b%2Fc%7Ed*e"


def test_cloud_headers(sandbox):
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo")
    assert r.headers["content-type"] == "application/json;charset=UTF-8"
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-arequestid"])
    assert r.headers["server"] == "AtlassianEdge"
    assert "x-ausername" not in r.headers and "x-asen" not in r.headers


def test_method_not_allowed(sandbox):
    r = sandbox.http.patch(sandbox.jira + "/rest/api/2/myself", auth=("admin", "admin"))
    assert r.status_code == 405 and r.headers["allow"] == "GET"


def test_unknown_rest_path(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/nothing-here")
    assert r.status_code == 404
    assert r.json() == {"message": f"null for uri: {sandbox.jira}/rest/api/2/nothing-here", "status-code": 404}
