"""The XSRF filter on REST POSTs (server-behaviour.md §0.4)."""

import pytest

COMMENT = "/rest/api/2/issue/DEMO-1/comment"
ATTACH = "/rest/api/2/issue/DEMO-1/attachments"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": {"body": "x"}},  # application/x-www-form-urlencoded
        {"files": {"file": ("a.txt", b"hello")}},  # multipart/form-data
        {"content": b"x", "headers": {"Content-Type": "text/plain"}},
        {"content": b""},  # no media type at all
    ],
    ids=["form", "multipart", "text", "none"],
)
def test_xsrfable_post_without_token_header_fails(sandbox, kwargs):
    r = sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), **kwargs)
    assert r.status_code == 403
    assert r.text == "XSRF check failed"


def test_attachment_upload_with_no_check_header(sandbox):
    r = sandbox.http.post(
        sandbox.jira + ATTACH, auth=("admin", "admin"), files={"file": ("a.txt", b"hello")}, headers={"X-Atlassian-Token": "no-check"}
    )
    assert r.status_code == 200
    assert r.json()[0]["filename"] == "a.txt"


def test_legacy_nocheck_value_is_accepted(sandbox):
    r = sandbox.http.post(
        sandbox.jira + ATTACH, auth=("admin", "admin"), files={"file": ("a.txt", b"x")}, headers={"X-Atlassian-Token": "NoCheck"}
    )
    assert r.status_code == 200


def test_json_posts_pass_without_header(sandbox):
    r = sandbox.http.post(sandbox.jira + COMMENT, auth=("admin", "admin"), json={"body": "hi"})
    assert r.status_code == 201


def test_put_and_delete_are_not_enforced(sandbox):
    """§0.4: on PUT/DELETE the filter only logs."""
    r = sandbox.http.put(
        sandbox.jira + "/rest/api/2/issue/DEMO-1",
        auth=("admin", "admin"),
        content=b'{"fields":{"summary":"s"}}',
        headers={"Content-Type": "text/plain"},
    )
    assert r.status_code == 415  # past the XSRF filter, refused by the JSON resource
    r = sandbox.http.delete(sandbox.jira + "/rest/api/2/issue/DEMO-3", auth=("admin", "admin"))
    assert r.status_code == 204


CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def test_browser_post_needs_same_origin_even_with_no_check(sandbox):
    """§0.4 browser heuristic."""
    files = {"file": ("a.txt", b"x")}
    headers = {"X-Atlassian-Token": "no-check", "User-Agent": CHROME, "Origin": "http://evil.example"}
    assert sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), files=files, headers=headers).status_code == 403
    headers["Origin"] = sandbox.url
    assert sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), files=files, headers=headers).status_code == 200


def test_browser_json_post_gets_the_origin_check_too(sandbox):
    """§0.4: the browser check runs first, for any POST whatever its media type."""
    r = sandbox.http.post(sandbox.jira + COMMENT, auth=("admin", "admin"), json={"body": "hi"}, headers={"User-Agent": CHROME})
    assert r.status_code == 403 and r.text == "XSRF check failed"
    r = sandbox.http.post(
        sandbox.jira + COMMENT, auth=("admin", "admin"), json={"body": "hi"}, headers={"User-Agent": CHROME, "Origin": sandbox.url}
    )
    assert r.status_code == 201


@pytest.mark.parametrize(
    "origin_headers",
    [
        {"Referer": "{url}/jira/browse/DEMO-1?q=http://evil.example"},  # query stripped
        {"Referer": "{url}/jira/browse/DEMO-1", "Origin": "http://evil.example"},  # the Referer is checked first
        {"Referer": "http://evil.example/", "Origin": "{url}"},
        {"Origin": "chrome-extension://abcdefghijklmnop"},
        {"Origin": "safari-extension://com.example.ext"},
    ],
    ids=["referer", "referer-first", "origin", "chrome-extension", "safari-extension"],
)
def test_browser_origins_that_pass(sandbox, origin_headers):
    headers = {"User-Agent": CHROME, **{k: v.format(url=sandbox.url) for k, v in origin_headers.items()}}
    r = sandbox.http.post(sandbox.jira + COMMENT, auth=("admin", "admin"), json={"body": "hi"}, headers=headers)
    assert r.status_code == 201


@pytest.mark.parametrize(
    "origin_headers",
    [
        {"Referer": "https://{host}/jira/"},  # another scheme is another origin
        {"Origin": "http://evil.example", "Referer": "http://evil.example/"},
        {"Origin": "moz-extension://abc"},  # not on the filter's list
        {"Origin": "chrome-extension:opaque"},
        {"Referer": "http://[::1"},  # unparseable
    ],
    ids=["scheme", "cross-site", "moz-extension", "opaque-extension", "unparseable"],
)
def test_browser_origins_that_fail(sandbox, origin_headers):
    host = sandbox.url.split("://", 1)[1]
    headers = {"User-Agent": CHROME, **{k: v.format(host=host) for k, v in origin_headers.items()}}
    r = sandbox.http.post(sandbox.jira + COMMENT, auth=("admin", "admin"), json={"body": "hi"}, headers=headers)
    assert r.status_code == 403


def test_browser_check_is_not_enforced_on_put(sandbox):
    """§0.4: PUT/DELETE from a browser without a same origin are only logged."""
    r = sandbox.http.put(
        sandbox.jira + "/rest/api/2/issue/DEMO-1",
        auth=("admin", "admin"),
        json={"fields": {"summary": "from a browser"}},
        headers={"User-Agent": CHROME, "Origin": "http://evil.example"},
    )
    assert r.status_code == 204


def test_form_token_passes_instead_of_header(sandbox):
    """§0.4: SAL's form token (atl_token = the xsrf cookie) also satisfies the filter."""
    with sandbox.client(auth=("admin", "admin")) as client:
        client.get(sandbox.jira + "/rest/api/2/myself")
        token = client.cookies["atlassian.xsrf.token"]
        r = client.post(sandbox.jira + ATTACH, params={"atl_token": token}, files={"file": ("a.txt", b"x")})
        assert r.status_code == 200
        r = client.post(sandbox.jira + ATTACH, params={"atl_token": "WRONG"}, files={"file": ("a.txt", b"x")})
        assert r.status_code == 403


def test_cloud_failure_string(sandbox):
    r = sandbox.http.post(
        sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/attachments",
        auth=("admin@example.com", "sandbox-token-admin"),
        files={"file": ("a.txt", b"x")},
    )
    assert r.status_code == 403
    assert r.text == "XSRF check failed. More information at https://confluence.atlassian.com/x/DhpJMQ"


def test_legacy_mode_answers_404(sandbox):
    """§0.4, §9.7: with atlassian.rest.xsrf.legacy.enabled the failure status is 404."""
    sandbox.settings({"jira": {"xsrf_legacy": True}})
    r = sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), files={"file": ("a.txt", b"x")})
    assert r.status_code == 404 and r.text == "XSRF check failed"
    r = sandbox.http.post(sandbox.jira + COMMENT, auth=("admin", "admin"), json={"body": "hi"}, headers={"User-Agent": CHROME})
    assert r.status_code == 404
    sandbox.reset()
    r = sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), files={"file": ("a.txt", b"x")})
    assert r.status_code == 403  # the default is the normal mode
