"""User search and groups (issue 15, issue 18): DC's username searches and group picker, Cloud's
query search returning accountIds (emails shown only where the account allows it) and group/bulk."""

DC = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")
ALICE = "5f8e3c2a1b0d4e0069a1b2c4"


def test_dc_user_search(sandbox):
    def search(path, **params):
        return sandbox.http.get(sandbox.jira + "/rest/api/2/user" + path, params=params, auth=DC)

    assert [u["name"] for u in search("/search", username="ali").json()] == ["alice"]
    assert [u["name"] for u in search("/search", username="Example").json()] == ["alice"]  # a word of the display name
    assert [u["name"] for u in search("/search", username="admin@").json()] == ["admin"]  # the email
    assert [u["name"] for u in search("/search", username=".").json()] == ["admin", "alice"]
    assert search("/search").status_code == 400
    assert [u["name"] for u in search("/assignable/search", project="DEMO", username="a").json()] == ["admin", "alice"]
    assert [u["name"] for u in search("/assignable/search", issueKey="DEMO-1", username="alice").json()] == ["alice"]
    assert search("/assignable/search", username="a").status_code == 400
    assert search("/assignable/search", project="NOPE").status_code == 404
    assert [u["name"] for u in search("/assignable/multiProjectSearch", projectKeys="DEMO", username="adm").json()] == ["admin"]
    assert [u["name"] for u in search("/viewissue/search", issueKey="DEMO-2", username="").json()] == ["admin", "alice"]


def test_cloud_user_search_by_email_or_name_gives_account_ids(sandbox):
    def search(**params):
        return sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user/search", params=params, auth=CLOUD)

    by_email = search(query="alice@example.com").json()
    assert [u["accountId"] for u in by_email] == [ALICE] and "name" not in by_email[0]
    assert [u["accountId"] for u in search(query="Alice").json()] == [ALICE]
    assert [u["displayName"] for u in search(accountId=ALICE).json()] == ["Alice Example"]
    assert search().status_code == 400
    assignable = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user/assignable/search", params={"project": "DEMO", "query": "ali"}, auth=CLOUD)
    assert [u["accountId"] for u in assignable.json()] == [ALICE]


def test_cloud_hides_an_email_its_owner_did_not_make_public(sandbox):
    created = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/user", json={"emailAddress": "carol@example.com"}, auth=CLOUD)
    carol = created.json()["accountId"]
    found = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user/search", params={"query": "carol@example.com"}, auth=CLOUD).json()
    assert [u["accountId"] for u in found] == [carol] and "emailAddress" not in found[0]  # found by email, email not shown
    seeded = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user", params={"accountId": ALICE}, auth=CLOUD).json()
    assert seeded["emailAddress"] == "alice@example.com"  # the seeded accounts show theirs
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=CLOUD).json()["emailAddress"] == "admin@example.com"


def test_dc_groups(sandbox):
    picker = sandbox.http.get(sandbox.jira + "/rest/api/2/groups/picker", params={"query": "admin"}, auth=DC).json()
    assert picker["total"] == 1 and picker["groups"] == [{"name": "jira-administrators", "html": "jira-<b>admin</b>istrators", "labels": []}]
    everything = sandbox.http.get(sandbox.jira + "/rest/api/2/groups/picker", auth=DC).json()
    assert [g["name"] for g in everything["groups"]] == ["jira-administrators", "jira-software-users"]
    group = sandbox.http.get(sandbox.jira + "/rest/api/2/group", params={"groupname": "jira-software-users", "expand": "users"}, auth=DC).json()
    assert group["name"] == "jira-software-users" and group["users"]["size"] == 2
    assert [u["name"] for u in group["users"]["items"]] == ["admin", "alice"]
    missing = sandbox.http.get(sandbox.jira + "/rest/api/2/group", params={"groupname": "nope"}, auth=DC)
    assert missing.status_code == 404


def test_cloud_groups(sandbox):
    page = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/group/bulk", auth=CLOUD).json()
    # One account store for the Cloud site: Confluence Cloud's group is there too.
    assert {"jira-software-users", "site-admins"} <= {g["name"] for g in page["values"]} and page["isLast"] is True
    one = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/group/bulk", params={"groupName": "site-admins"}, auth=CLOUD).json()
    assert one["total"] == 1 and one["values"][0]["groupId"]
    picker = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/groups/picker", params={"query": "site"}, auth=CLOUD).json()
    assert picker["groups"][0]["groupId"] == one["values"][0]["groupId"]
    members = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/group/member", params={"groupname": "site-admins"}, auth=CLOUD).json()
    assert [m["displayName"] for m in members["values"]] == ["Sandbox Admin"]


def test_cloud_anonymous_user_search_is_empty(sandbox):
    """The OpenAPI document: anonymous calls get empty search results; DC asks for a login."""
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user/search", params={"query": "alice"}).json() == []
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/user/search", params={"username": "alice"}).status_code == 401


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_dc_user_avatars(sandbox):
    api = sandbox.jira + "/rest/api/2/user"
    who = {"username": "admin"}
    listed = sandbox.http.get(api + "/avatars", params=who, auth=DC).json()
    assert len(listed["system"]) == 24 and listed["custom"] == []
    assert [a["id"] for a in listed["system"] if a["isSelected"]] == ["10122"]
    upload = sandbox.http.post(api + "/avatar/temporary", params={**who, "filename": "me.png", "size": len(PNG)},
                               content=PNG, headers={"Content-Type": "image/png", "X-Atlassian-Token": "no-check"}, auth=DC)
    assert upload.status_code == 201 and upload.json()["needsCropping"] is True
    confirmed = sandbox.http.post(api + "/avatar", params=who, json={**upload.json(), "needsCropping": False}, auth=DC).json()
    assert confirmed["owner"] == "admin" and confirmed["isSystemAvatar"] is False
    assert sandbox.http.put(api + "/avatar", params=who, json={"id": confirmed["id"]}, auth=DC).status_code == 204
    me = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=DC).json()
    assert f"avatarId={confirmed['id']}" in me["avatarUrls"]["48x48"]
    assert sandbox.http.put(api + "/avatar", params={"username": "admin"}, json={"id": "10122"}, auth=("alice", "alice")).status_code == 403
    assert sandbox.http.delete(api + f"/avatar/{confirmed['id']}", params=who, auth=DC).status_code == 204
    after = sandbox.http.get(api + "/avatars", params=who, auth=DC).json()
    assert after["custom"] == [] and [a["id"] for a in after["system"] if a["isSelected"]] == ["10122"]
    not_image = sandbox.http.post(api + "/avatar/temporary", params=who, content=b"text", headers={"Content-Type": "image/png"}, auth=DC)
    assert not_image.status_code == 400


def test_cloud_users_search_pages_every_account(sandbox):
    def page(**params):
        r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/users/search", params=params, auth=CLOUD)
        assert r.status_code == 200
        return [u["accountId"] for u in r.json()]

    everyone = page()
    assert ALICE in everyone and len(everyone) == len(set(everyone)) >= 2
    assert page(maxResults=1) == everyone[:1] and page(startAt=1, maxResults=1) == everyone[1:2]
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/users/search").status_code == 401
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/users/search", auth=DC).status_code == 404  # Cloud only


def test_user_search_with_a_negative_max_results_gives_the_default_page(sandbox):
    found = sandbox.http.get(sandbox.jira + "/rest/api/2/user/search", params={"username": ".", "maxResults": "-1"}, auth=DC)
    assert [u["name"] for u in found.json()] == ["admin", "alice"]
    one = sandbox.http.get(sandbox.jira + "/rest/api/2/user/search", params={"username": ".", "maxResults": "1"}, auth=DC)
    assert [u["name"] for u in one.json()] == ["admin"]


def test_group_expand_users_takes_a_range(sandbox):
    def members(expand):
        params = {"groupname": "jira-software-users", "expand": expand}
        users = sandbox.http.get(sandbox.jira + "/rest/api/2/group", params=params, auth=DC).json()["users"]
        return [u["name"] for u in users["items"]], users["start-index"], users["end-index"], users["size"]

    assert members("users") == (["admin", "alice"], 0, 1, 2)
    assert members("users[0:0]") == (["admin"], 0, 0, 2)  # both ends included
    assert members("users[1:1]") == (["alice"], 1, 1, 2)
    assert members("users[0:1]") == (["admin", "alice"], 0, 1, 2)
    assert members("users[1]") == (["alice"], 1, 1, 2)
    assert members("users[-1]") == (["alice"], 1, 1, 2)  # from the end
    assert members("users[1:]") == (["alice"], 1, 1, 2)
    assert members("users[5:9]")[0] == []
