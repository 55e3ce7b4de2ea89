"""Confluence refuses a storage body it cannot parse as XHTML, with its 400 (DC and Cloud wording)."""

import pytest

DC_AUTH = ("alice", "alice")
CLOUD_AUTH = ("alice@example.com", "sandbox-token-alice")
CLOUD_PREFIX = "com.atlassian.confluence.api.service.exceptions.BadRequestException: "


@pytest.fixture(params=["dc", "cloud"])
def wiki(request, sandbox):
    cloud = request.param == "cloud"
    base, auth = (sandbox.url + "/cloud/wiki", CLOUD_AUTH) if cloud else (sandbox.url + "/confluence", DC_AUTH)

    def call(method, path, **kwargs):
        return sandbox.http.request(method, base + "/rest/api" + path, auth=auth, **kwargs)

    call.prefix = CLOUD_PREFIX if cloud else ""
    return call


def _page(title, value):
    return {"type": "page", "title": title, "space": {"key": "DEMO"}, "body": {"storage": {"value": value, "representation": "storage"}}}


@pytest.mark.parametrize("value,message", [
    ("<p>unclosed", "Error parsing xhtml: Unexpected close tag </xml>; expected </p>.\n at [row,col {unknown-source}]: [1,14]"),
    ("<p>a</b></p>", "Error parsing xhtml: Unexpected close tag </b>; expected </p>.\n at [row,col {unknown-source}]: [1,7]"),
    ("<p>&bogus;</p>", 'Error parsing xhtml: Undeclared general entity "bogus"\n at [row,col {unknown-source}]: [1,4]'),
    ("<p>\n<br></p>", "Error parsing xhtml: Unexpected close tag </p>; expected </br>.\n at [row,col {unknown-source}]: [2,7]"),
])
def test_unparsable_storage_is_refused_and_not_stored(wiki, value, message):
    refused = wiki("POST", "/content", json=_page("Broken", value))
    assert refused.status_code == 400
    assert refused.json()["statusCode"] == 400 and refused.json()["reason"] == "Bad Request"
    assert refused.json()["message"] == wiki.prefix + message
    found = wiki("GET", "/content", params={"spaceKey": "DEMO", "title": "Broken"}).json()
    assert found["results"] == []


def test_well_formed_storage_with_entities_and_macros_is_kept(wiki):
    value = ('<p>a&nbsp;b &amp; &lt;c&gt; &eacute;&#8212;</p><ac:structured-macro ac:name="info">'
             '<ac:rich-text-body><p>x<br/></p></ac:rich-text-body></ac:structured-macro><![CDATA[<raw>]]>')
    created = wiki("POST", "/content", json=_page("Fine", value))
    assert created.status_code == 200
    page = wiki("GET", f"/content/{created.json()['id']}", params={"expand": "body.storage"}).json()
    assert page["body"]["storage"]["value"] == value


def test_update_and_comment_are_checked_too(wiki):
    page = wiki("POST", "/content", json=_page("Edited", "<p>1</p>")).json()
    update = wiki("PUT", f"/content/{page['id']}", json={**_page("Edited", "<p>2"), "version": {"number": 2}})
    assert update.status_code == 400 and "Error parsing xhtml: Unexpected close tag </xml>; expected </p>." in update.json()["message"]
    body = wiki("GET", f"/content/{page['id']}", params={"expand": "body.storage,version"}).json()
    assert body["body"]["storage"]["value"] == "<p>1</p>" and body["version"]["number"] == 1
    comment = wiki("POST", "/content", json={"type": "comment", "container": {"id": page["id"], "type": "page"},
                                            "body": {"storage": {"value": "<p>c", "representation": "storage"}}})
    assert comment.status_code == 400 and "Error parsing xhtml" in comment.json()["message"]
