"""An encoded slash (%2F) in a path: Tomcat's 400 on the Data Center products; on Cloud, a character
of its path segment (never a path separator)."""

import pytest

TOMCAT = "Invalid URI: [The encoded slash character is not allowed]"


@pytest.mark.parametrize("path,auth", [
    ("/jira/rest/api/2/issue/DEMO-1%2Fwatchers", ("admin", "admin")),
    ("/jira/rest/api/2/issue/DEMO-1%2fwatchers", ("admin", "admin")),
    ("/confluence/rest/api/content/65538%2Fchild", ("admin", "admin")),
    ("/bitbucket/rest/api/1.0/projects/PRJ/repos/a%2F..%2Fb", ("admin", "admin")),
])
def test_data_center_products_answer_tomcats_400(sandbox, path, auth):
    r = sandbox.http.get(sandbox.url + path, auth=auth)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert TOMCAT in r.text and "HTTP Status 400 – Bad Request" in r.text
    assert "x-ausername" not in r.headers  # refused before authentication


def test_the_same_path_unencoded_still_routes(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1/watchers", auth=("admin", "admin"))
    assert r.status_code == 200 and "watchers" in r.json()


def test_cloud_keeps_an_encoded_slash_inside_its_segment(sandbox):
    auth = ("admin@example.com", "sandbox-token-admin")
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/2/issue/DEMO-1%2Fwatchers", auth=auth)
    assert r.status_code == 404  # the issue "DEMO-1/watchers", not DEMO-1's watchers
    assert "watchers" not in r.json()
    assert r.json()["errorMessages"] == ["Issue does not exist or you do not have permission to see it."]
