"""Rate limiting (server-behaviour.md §1.9 DC, §4.7 Cloud)."""

import re

LIMIT = {"requests": 3, "interval_seconds": 60}


def test_dc_token_bucket(sandbox):
    sandbox.settings({"jira": {"rate_limit": LIMIT}})
    with sandbox.client(auth=("admin", "admin")) as client:
        seen = [client.get(sandbox.jira + "/rest/api/2/myself") for _ in range(3)]
        assert [r.status_code for r in seen] == [200, 200, 200]
        assert [r.headers["x-ratelimit-remaining"] for r in seen] == ["2", "1", "0"]
        first = seen[0].headers
        assert first["x-ratelimit-limit"] == "3"
        assert first["x-ratelimit-interval-seconds"] == "60"
        assert first["x-ratelimit-fillrate"] == "3"
        assert first["retry-after"] == "0"  # tokens left
        limited = client.get(sandbox.jira + "/rest/api/2/myself")
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert limited.headers["x-ratelimit-remaining"] == "0"
        sandbox.advance_clock(60)
        assert client.get(sandbox.jira + "/rest/api/2/myself").status_code == 200


def test_dc_buckets_are_per_user_and_skip_anonymous(sandbox):
    sandbox.settings({"jira": {"rate_limit": {"requests": 1, "interval_seconds": 60}}})
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("admin", "admin")).status_code == 200
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("admin", "admin")).status_code == 429
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("alice", "alice")).status_code == 200
    for _ in range(3):
        r = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo")
        assert r.status_code == 200 and "x-ratelimit-limit" not in r.headers


def test_cloud_burst_limit(sandbox):
    sandbox.settings({"jira_cloud": {"rate_limit": {"requests": 2, "interval_seconds": 10}}})
    auth = ("admin@example.com", "sandbox-token-admin")
    ok = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=auth)
    assert ok.headers["x-ratelimit-limit"] == "2" and ok.headers["x-ratelimit-remaining"] == "1"
    assert "retry-after" not in ok.headers
    sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=auth)
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=auth)
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 10
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", r.headers["x-ratelimit-reset"])
    assert r.headers["ratelimit-reason"] == "jira-burst-based"
    assert r.headers["x-ratelimit-nearlimit"] == "true"


def test_cloud_near_limit_only_under_a_fifth_left(sandbox):
    """§4.7: X-RateLimit-NearLimit appears once fewer than 20 % of the requests are left."""
    sandbox.settings({"jira_cloud": {"rate_limit": {"requests": 10, "interval_seconds": 60}}})
    auth = ("admin@example.com", "sandbox-token-admin")
    seen = [sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=auth).headers for _ in range(10)]
    assert [h["x-ratelimit-remaining"] for h in seen] == [str(n) for n in range(9, -1, -1)]
    assert [h.get("x-ratelimit-nearlimit") for h in seen] == [None] * 8 + ["true"] * 2


def test_rate_limit_off_again(sandbox):
    sandbox.settings({"jira": {"rate_limit": {"requests": 1, "interval_seconds": 60}}})
    sandbox.settings({"jira": {"rate_limit": None}})
    for _ in range(3):
        r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("admin", "admin"))
        assert r.status_code == 200 and "x-ratelimit-limit" not in r.headers
