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


def test_browser_post_needs_same_origin_even_with_no_check(sandbox):
    """§0.4 browser heuristic."""
    chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
    files = {"file": ("a.txt", b"x")}
    headers = {"X-Atlassian-Token": "no-check", "User-Agent": chrome, "Origin": "http://evil.example"}
    assert sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), files=files, headers=headers).status_code == 403
    headers["Origin"] = sandbox.url
    assert sandbox.http.post(sandbox.jira + ATTACH, auth=("admin", "admin"), files=files, headers=headers).status_code == 200


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
