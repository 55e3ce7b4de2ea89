"""The Confluence sandbox over plain HTTP: Seraph's answers on DC, the Cloud edge's, the REST shapes
and errors the clients depend on (server-behaviour.md §2, §4; products.md §1, §2)."""

import httpx
import pytest

from tests.confluence.conftest import ALICE_TOKEN, BOB_TOKEN, ERIN_PASSWORD, NO_CHECK

ERIN = ("erin", ERIN_PASSWORD)
ALICE = ("alice@example.com", ALICE_TOKEN)


def test_first_basic_request_opens_a_session_ridden_without_a_password_check(cf):
    with cf.sandbox.client() as client:
        first = client.get(cf.dc + "/rest/api/user/current", auth=ERIN)
        assert first.status_code == 200 and first.headers["x-seraph-loginreason"] == "OK"
        assert first.cookies.get("JSESSIONID") and first.headers["x-ausername"] == "erin"
        for _ in range(3):
            assert client.get(cf.dc + "/rest/api/space/DEMO").json()["key"] == "DEMO"
    assert cf.checks() == 1 and cf.stats()["requests_by_auth"]["session"] == 3


def test_wrong_password_and_pat_as_basic_are_tomcat_401s(cf):
    token = cf.pat()
    for auth in (("erin", "nope"), ("erin", token)):
        r = cf.http.get(cf.dc + "/rest/api/space", auth=auth)
        assert r.status_code == 401 and r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
        assert "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED" in r.text and "JSESSIONID" not in r.headers.get("set-cookie", "")
        assert r.headers["www-authenticate"].startswith('OAuth realm="http%3A%2F%2F')


def test_captcha_after_three_failures(cf):
    for _ in range(3):
        cf.http.get(cf.dc + "/rest/api/user/current", auth=("erin", "nope"))
    r = cf.http.get(cf.dc + "/rest/api/user/current", auth=ERIN)
    assert r.status_code == 403 and r.headers["x-seraph-loginreason"] == "AUTHENTICATION_DENIED"
    assert r.headers["x-authentication-denied-reason"] == f"CAPTCHA_CHALLENGE; login-url={cf.dc}/login.action"
    assert cf.checks() == 3
    form = cf.http.post(cf.dc + "/dologin.action", data={"os_username": "erin", "os_password": ERIN_PASSWORD})
    assert form.status_code == 302 and "JSESSIONID" in form.headers["set-cookie"]  # a person solves it in the browser
    assert cf.http.get(cf.dc + "/rest/api/user/current", auth=ERIN).json()["username"] == "erin"


def test_pat_is_bearer_only_and_needs_7_9(cf):
    token = cf.pat()
    r = cf.http.get(cf.dc + "/rest/api/user/current", headers={"Authorization": f"Bearer {token}"})
    assert r.json()["username"] == "erin" and "set-cookie" not in r.headers  # a PAT request opens no session
    cf.settings(version="7.8.3")
    assert cf.http.get(cf.dc + "/rest/pat/latest/tokens", auth=ERIN).status_code == 404
    ignored = cf.http.get(cf.dc + "/rest/api/user/current", headers={"Authorization": f"Bearer {token}"})
    assert ignored.status_code == 200 and ignored.json()["type"] == "anonymous"  # nobody reads Bearer before 7.9


def test_stale_session_is_401_and_anonymous_reads_are_404(cf):
    with cf.sandbox.client(cookies={"JSESSIONID": "gone"}) as stale:
        assert stale.get(cf.dc + "/rest/api/space/DEMO").status_code == 401
    r = cf.http.get(cf.dc + "/rest/api/space/DEMO")
    assert r.status_code == 404 and r.json() == {
        "statusCode": 404, "reason": "Not Found", "message": "No space with key : DEMO",
        "data": {"authorized": False, "valid": True, "allowedInReadOnlyMode": True, "errors": [], "successful": False}}
    assert cf.http.get(cf.dc + "/rest/api/user/current").json()["type"] == "anonymous"


def test_basic_auth_switch_needs_7_16_and_keeps_pats(cf):
    token = cf.pat()
    with pytest.raises(ValueError, match="7.16"):
        cf.settings(version="7.13.0", basic_auth=False)
    cf.settings(basic_auth=False)
    r = cf.http.get(cf.dc + "/rest/api/space", auth=ERIN)
    assert r.status_code == 403 and r.json() == {"message": "Basic Authentication has been disabled on this instance."}
    assert cf.http.get(cf.dc + "/rest/api/space", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_websudo_for_cookie_sessions_only(cf):
    body = {"userName": "kim", "fullName": "Kim", "email": "kim@example.com", "password": "k1m-pw-xx"}
    with cf.sandbox.client() as client:
        client.get(cf.dc + "/rest/api/user/current", auth=("admin", "admin"))
        r = client.post(cf.dc + "/rest/api/admin/user", json=body)
        assert r.status_code == 401 and r.json() == {"status-code": 401, "message": "This resource requires WebSudo."}
        grant = client.post(cf.dc + "/doauthenticate.action", headers=NO_CHECK,
                            data={"password": "admin", "authenticate": "Confirm", "destination": "/"})
        assert grant.status_code == 302 and grant.headers["x-atlassian-websudo"] == "Has-Authentication"
        assert client.post(cf.dc + "/rest/api/admin/user", json=body).status_code == 201
    alice = cf.http.post(cf.dc + "/rest/api/admin/user", json={**body, "userName": "lee"}, auth=("alice", "alice"))
    assert alice.status_code == 403  # basic skips websudo; alice is no administrator


def test_xsrf_on_multipart_uploads(cf):
    files = {"file": ("a.txt", b"x", "text/plain")}
    r = cf.http.post(cf.dc + "/rest/api/content/65538/child/attachment", files=files, auth=ERIN)
    assert (r.status_code, r.text) == (403, "XSRF check failed")
    cloud = cf.http.post(cf.cloud + "/rest/api/content/65538/child/attachment", files=files, auth=ALICE)
    assert cloud.status_code == 403 and cloud.text.startswith("XSRF check failed. More information at")
    ok = cf.http.post(cf.dc + "/rest/api/content/65538/child/attachment", files=files, auth=ERIN, headers=NO_CHECK)
    assert ok.status_code == 200 and ok.json()["results"][0]["title"] == "a.txt"
    dup = cf.http.post(cf.dc + "/rest/api/content/65538/child/attachment", files=files, auth=ERIN, headers=NO_CHECK)
    assert dup.status_code == 400 and dup.json()["message"].endswith(
        "Cannot add a new attachment with same file name as an existing attachment: a.txt")
    att = ok.json()["results"][0]
    again = cf.http.post(cf.dc + f"/rest/api/content/65538/child/attachment/{att['id']}/data", files={"file": ("a.txt", b"yy")},
                         auth=ERIN, headers=NO_CHECK)
    assert again.json()["version"]["number"] == 2
    assert cf.http.get(cf.url + att["_links"]["download"].replace("/download", "/confluence/download", 1), auth=ERIN).content == b"yy"


def test_page_versions_and_verbatim_errors(cf):
    page = cf.http.post(cf.dc + "/rest/api/content/", auth=ERIN, json={
        "type": "page", "title": "V", "space": {"key": "DEMO"}, "body": {"storage": {"value": "<p>1</p>", "representation": "storage"}}}).json()
    assert page["version"]["number"] == 1 and page["ancestors"][-1]["title"] == "Demo Home"
    url = cf.dc + f"/rest/api/content/{page['id']}"
    no_version = cf.http.put(url, auth=ERIN, json={"type": "page", "title": "V"})
    assert no_version.status_code == 400 and no_version.json()["message"] == (
        "Must supply an incremented version when updating Content. No version supplied.")
    same = cf.http.put(url, auth=ERIN, json={"type": "page", "title": "V", "version": {"number": 1}})
    assert same.status_code == 409 and same.json()["message"] == "Version must be incremented on update. Current version is: 1"
    assert same.json()["reason"] == "Conflict"
    ok = cf.http.put(url, auth=ERIN, json={"type": "page", "title": "V2", "version": {"number": 2}})
    assert ok.json()["version"]["number"] == 2
    assert cf.http.get(url + "/history", auth=ERIN).json()["lastUpdated"]["number"] == 2
    dup = cf.http.post(cf.dc + "/rest/api/content", auth=ERIN, json={"type": "page", "title": "Getting started", "space": {"key": "DEMO"}})
    assert dup.status_code == 400 and "A page already exists with the title Getting started in the space with key DEMO" in dup.json()["message"]
    assert cf.http.delete(url, auth=ERIN).status_code == 204
    assert cf.http.get(url, auth=ERIN).status_code == 404
    assert cf.http.get(url, params={"status": "trashed"}, auth=ERIN).json()["status"] == "trashed"


@pytest.mark.parametrize("cql,titles", [
    ("space = DEMO and type = page order by title desc", ["Getting started", "Demo Home"]),
    ('title = "Getting started"', ["Getting started"]),
    ('title ~ "start"', ["Getting started"]),
    ('text ~ "welcome" and space = DEMO', ["Demo Home"]),
    ("label = howto", ["Getting started"]),
    ("space in (DEMO, NOPE) and type = page and not title ~ home", ["Getting started"]),
])
def test_cql(cf, cql, titles):
    cf.http.post(cf.dc + "/rest/api/content/65538/label", json=[{"prefix": "global", "name": "howto"}], auth=ERIN)
    r = cf.http.get(cf.dc + "/rest/api/search", params={"cql": cql}, auth=ERIN)
    assert [x["title"] for x in r.json()["results"]] == titles
    assert r.json()["totalSize"] == len(titles) and r.json()["cqlQuery"] == cql


def test_bad_cql_and_paging_links(cf):
    bad = cf.http.get(cf.dc + "/rest/api/content/search", params={"cql": "space = "}, auth=ERIN)
    assert bad.status_code == 400 and bad.json()["message"] == "Could not parse cql : space = "
    page = cf.http.get(cf.dc + "/rest/api/content/search", params={"cql": "type = page", "limit": 1}, auth=ERIN).json()
    assert page["size"] == 1 and page["_links"]["next"].startswith("/rest/api/content/search?")
    assert page["_links"]["base"] == cf.dc and page["_links"]["context"] == "/confluence"
    nxt = cf.http.get(cf.dc + page["_links"]["next"], auth=ERIN).json()
    assert nxt["start"] == 1 and "next" not in nxt["_links"] and nxt["_links"]["prev"]


def test_cloud_edge(cf):
    assert cf.http.get(cf.cloud + "/rest/api/user/current", auth=ALICE).json()["accountId"] == "5f8e3c2a1b0d4e0069a1b2c4"
    password = cf.http.get(cf.cloud + "/rest/api/space", auth=("alice@example.com", "alice"))
    assert password.status_code == 401 and password.text.startswith("Basic authentication with passwords is deprecated.  For")
    bearer = cf.http.get(cf.cloud + "/rest/api/space", headers={"Authorization": f"Bearer {ALICE_TOKEN}"})
    assert bearer.status_code == 403 and bearer.json() == {"error": "Failed to parse Connect Session Auth Token"}
    bob = cf.http.get(cf.cloud + "/rest/api/space", auth=("bob@example.com", BOB_TOKEN))
    assert bob.status_code == 403 and bob.json() == {"message": "Current user not permitted to use Confluence", "statusCode": 403}
    anonymous = cf.http.get(cf.cloud + "/rest/api/space")
    assert anonymous.status_code == 403 and "Request rejected because caller cannot access Confluence" in anonymous.json()["message"]
    assert "set-cookie" not in cf.http.get(cf.cloud + "/rest/api/space", auth=ALICE).headers  # no cookie sessions
    assert cf.http.get(cf.cloud + "/rest/api/settings/systemInfo", auth=ALICE).json()["baseUrl"] == cf.cloud


def test_one_cloud_site_one_set_of_accounts(cf):
    for base in (cf.url + "/cloud", cf.url + "/jira-cloud"):
        info = cf.http.get(base + "/rest/api/3/serverInfo").json()
        assert info["baseUrl"] == base
        assert cf.http.get(base + "/rest/api/3/myself", auth=("bob@example.com", BOB_TOKEN)).status_code == 200
    stats = cf.sandbox.stats()["products"]
    assert stats["jira_cloud"]["requests_by_auth"]["basic"] >= 2 and cf.stats("confluence_cloud")["requests_by_auth"]["basic"] == 0


def test_cloud_v2_cursor_paging(cf):
    for n in range(3):
        cf.http.post(cf.cloud + "/api/v2/pages", auth=ALICE, json={"spaceId": "98305", "status": "current", "title": f"P{n}",
                                                                   "body": {"representation": "storage", "value": "<p/>"}})
    first = cf.http.get(cf.cloud + "/api/v2/pages", params={"limit": 2}, auth=ALICE)
    body = first.json()
    assert len(body["results"]) == 2 and body["_links"]["next"].startswith("/cloud/wiki/api/v2/pages?")
    assert first.headers["link"].endswith(f'<{cf.cloud}>; rel="base"')
    second = cf.http.get(cf.url + body["_links"]["next"], auth=ALICE).json()
    assert [p["title"] for p in second["results"]] == ["P0", "P1"] and "next" in second["_links"]  # five pages in all
    page = cf.http.get(cf.cloud + "/api/v2/pages", params={"title": "P0"}, auth=ALICE).json()["results"][0]
    conflict = cf.http.put(cf.cloud + f"/api/v2/pages/{page['id']}", auth=ALICE,
                           json={"id": page["id"], "status": "current", "title": "P0", "version": {"number": 1}})
    assert conflict.status_code == 409 and conflict.json()["errors"][0]["title"] == (
        "Version must be incremented when updating a page. Current Version: [1]. Provided version: [1]")
    comment = cf.http.post(cf.cloud + "/api/v2/footer-comments", auth=ALICE,
                           json={"pageId": page["id"], "body": {"representation": "storage", "value": "<p>c</p>"}})
    assert comment.status_code == 201
    space = cf.http.post(cf.cloud + "/api/v2/spaces", auth=ALICE, json={"key": "NEW", "name": "New"})
    assert space.status_code == 201 and space.json()["key"] == "NEW"
    assert cf.http.get(cf.cloud + "/api/v2/search", auth=ALICE).status_code == 404


def test_reset_brings_the_seeds_back(cf):
    cf.http.delete(cf.dc + "/rest/api/content/65538", auth=("admin", "admin"))
    cf.sandbox.reset()
    assert cf.http.get(cf.dc + "/rest/api/content/65538", auth=("alice", "alice")).json()["title"] == "Getting started"
    assert httpx.get(cf.dc + "/rest/api/user/current", auth=ERIN).status_code == 401  # erin is gone


def test_rate_limit_headers(cf):
    cf.sandbox.settings({"confluence": {"rate_limit": {"requests": 2, "interval_seconds": 60}},
                         "confluence_cloud": {"rate_limit": {"requests": 1, "interval_seconds": 60}}})
    first = cf.http.get(cf.dc + "/rest/api/space", auth=ERIN)
    assert first.headers["x-ratelimit-limit"] == "2" and first.headers["x-ratelimit-remaining"] == "1"
    cf.http.get(cf.dc + "/rest/api/space", auth=ERIN)
    limited = cf.http.get(cf.dc + "/rest/api/space", auth=ERIN)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert cf.http.get(cf.dc + "/rest/api/user/current").status_code == 200  # anonymous requests are not limited
    cf.http.get(cf.cloud + "/rest/api/space", auth=ALICE)
    cloud = cf.http.get(cf.cloud + "/rest/api/space", auth=ALICE)
    assert cloud.status_code == 429 and cloud.headers["x-ratelimit-reset"] and cloud.headers["ratelimit-reason"]


@pytest.mark.parametrize("site,auth", [("dc", ERIN), ("cloud", ALICE)])
def test_a_page_moved_under_itself_or_below_it_is_a_400_and_the_sandbox_goes_on(cf, site, auth):
    """Finding 1 (round 2): P1 moved under its child P2 hung the whole sandbox (the ancestor walk
    went round forever). Confluence refuses the move; nothing changes and the next request is answered."""
    base = getattr(cf, site) + "/rest/api/content"

    def add(title, parent=None):
        body = {"type": "page", "title": title, "space": {"key": "DEMO"}, **({"ancestors": [{"id": parent}]} if parent else {})}
        r = cf.http.post(base, auth=auth, json=body)
        assert r.status_code == 200, r.text
        return r.json()["id"]

    p1 = add("P1")
    p2 = add("P2", p1)
    p3 = add("P3", p2)
    for parent in (p2, p3, p1):  # a child, a grandchild, itself
        r = cf.http.put(f"{base}/{p1}", auth=auth, json={"type": "page", "title": "P1 moved", "version": {"number": 2},
                                                          "ancestors": [{"id": parent}]})
        assert r.status_code == 400 and r.json()["message"] == (
            "com.atlassian.confluence.api.service.exceptions.BadRequestException: Cannot add an existing ancestor as a child!")
    page = cf.http.get(f"{base}/{p1}", params={"expand": "version,ancestors"}, auth=auth).json()
    assert (page["title"], page["version"]["number"], [a["title"] for a in page["ancestors"]]) == ("P1", 1, ["Demo Home"])
    assert cf.sandbox.settings()["confluence"]  # the sandbox still answers
    moved = cf.http.put(f"{base}/{p3}", auth=auth, json={"type": "page", "title": "P3", "version": {"number": 2},
                                                         "ancestors": [{"id": p1}]})  # up the tree is fine
    assert [a["title"] for a in moved.json()["ancestors"]] == ["Demo Home", "P1"]


def test_titles_are_trimmed_as_confluence_does(cf):
    """Finding 14 (round 2): Confluence trims a title's blanks (kovetskiy/mark#672): a page created as
    "  Spaced  " is "Spaced", found by that title, and "Spaced " again is a duplicate."""
    created = cf.http.post(cf.dc + "/rest/api/content", auth=ERIN, json={"type": "page", "title": "  Spaced \t", "space": {"key": "DEMO"}})
    assert created.json()["title"] == "Spaced"
    found = cf.http.get(cf.dc + "/rest/api/content", params={"spaceKey": "DEMO", "title": "Spaced"}, auth=ERIN).json()
    assert [p["id"] for p in found["results"]] == [created.json()["id"]]
    again = cf.http.post(cf.dc + "/rest/api/content", auth=ERIN, json={"type": "page", "title": "Spaced ", "space": {"key": "DEMO"}})
    assert again.status_code == 400 and "A page already exists with the title Spaced in the space with key DEMO" in again.json()["message"]
    renamed = cf.http.put(cf.dc + f"/rest/api/content/{created.json()['id']}", auth=ERIN,
                          json={"type": "page", "title": " Renamed ", "version": {"number": 2}})
    assert renamed.json()["title"] == "Renamed"
    space = cf.http.get(cf.cloud + "/api/v2/spaces", auth=ALICE).json()["results"][0]
    v2 = cf.http.post(cf.cloud + "/api/v2/pages", auth=ALICE, json={"spaceId": space["id"], "title": " Two ", "status": "current"})
    assert v2.json()["title"] == "Two"
    blank = cf.http.post(cf.dc + "/rest/api/content", auth=ERIN, json={"type": "page", "title": " \t ", "space": {"key": "DEMO"}})
    assert blank.status_code == 400


def test_a_move_under_a_page_that_does_not_exist_is_refused_as_on_create(cf):
    """A PUT naming a parent id that is no page (or another space's) changed the page and dropped the
    move silently: refused as the create refuses it, and nothing changes."""
    base = cf.dc + "/rest/api/content"
    page = cf.http.post(base, auth=ERIN, json={"type": "page", "title": "Lonely", "space": {"key": "DEMO"}}).json()["id"]
    r = cf.http.put(f"{base}/{page}", auth=ERIN, json={"type": "page", "title": "Lonely, moved", "version": {"number": 2},
                                                       "ancestors": [{"id": "99999999"}]})
    assert r.status_code == 400 and "Could not find parent page with id 99999999" in r.json()["message"]
    assert cf.http.get(f"{base}/{page}", auth=ERIN).json()["title"] == "Lonely"
