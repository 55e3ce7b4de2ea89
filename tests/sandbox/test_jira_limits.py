"""Jira's length limits with the real servers' answers (summary 255, text fields 32,767)."""

SUMMARY = {False: "Summary must be less than 255 characters.", True: "Summary can't exceed 255 characters."}
TOO_LONG = "The entered text is too long. It exceeds the allowed limit of {} characters."


def _create(jira, **fields):
    return jira("POST", "/issue", json={"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, **fields}})


def test_summary_of_255_is_kept_and_256_refused_on_create_and_edit(jira):
    kept = _create(jira, summary="s" * 255)
    assert kept.status_code == 201
    key = kept.json()["key"]
    refused = _create(jira, summary="s" * 256)
    assert refused.status_code == 400
    assert refused.json() == {"errorMessages": [], "errors": {"summary": SUMMARY[jira.cloud]}}
    edit = jira("PUT", f"/issue/{key}", json={"fields": {"summary": "e" * 256}})
    assert edit.status_code == 400 and edit.json()["errors"] == {"summary": SUMMARY[jira.cloud]}
    edit = jira("PUT", f"/issue/{key}", json={"update": {"summary": [{"set": "u" * 300}]}})
    assert edit.status_code == 400 and edit.json()["errors"] == {"summary": SUMMARY[jira.cloud]}
    assert jira("GET", f"/issue/{key}").json()["fields"]["summary"] == "s" * 255


def test_description_over_32767_is_refused_field_keyed(jira):
    assert _create(jira, summary="ok", description="d" * 32767).status_code == 201
    refused = _create(jira, summary="ok", description="d" * 32768)
    assert refused.status_code == 400
    assert refused.json() == {"errorMessages": [], "errors": {"description": TOO_LONG.format("32,767")}}
    edit = jira("PUT", "/issue/DEMO-1", json={"fields": {"description": "d" * 40000}})
    assert edit.status_code == 400 and edit.json()["errors"] == {"description": TOO_LONG.format("32,767")}
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["description"] != "d" * 40000


def test_comment_over_32767_is_refused_keyed_comment(jira):
    limit = "32,767" if jira.cloud else "32767"
    assert jira("POST", "/issue/DEMO-1/comment", json={"body": "c" * 32767}).status_code == 201
    refused = jira("POST", "/issue/DEMO-1/comment", json={"body": "c" * 32768})
    assert refused.status_code == 400
    assert refused.json() == {"errorMessages": [], "errors": {"comment": TOO_LONG.format(limit)}}
    comment_id = jira("GET", "/issue/DEMO-1/comment").json()["comments"][-1]["id"]
    edit = jira("PUT", f"/issue/DEMO-1/comment/{comment_id}", json={"body": "c" * 32768})
    assert edit.status_code == 400 and edit.json()["errors"] == {"comment": TOO_LONG.format(limit)}
    update = jira("PUT", "/issue/DEMO-1", json={"update": {"comment": [{"add": {"body": "c" * 32768}}]}})
    assert update.status_code == 400 and update.json()["errors"] == {"comment": TOO_LONG.format(limit)}
    bodies = [c["body"] for c in jira("GET", "/issue/DEMO-1/comment").json()["comments"]]
    assert "c" * 32768 not in bodies


def test_single_line_text_custom_field_keeps_its_255_limit(jira):
    refused = _create(jira, summary="ok", customfield_10012="x" * 256)
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"customfield_10012": TOO_LONG.format("255")}


def test_attachment_content_urls_escape_the_file_name(sandbox):
    """DC's content URL names the file with every reserved character escaped: a name like
    ../../etc/x stays one path segment (and, being %2F, is Tomcat's 400 rather than a path)."""
    headers = {"X-Atlassian-Token": "no-check"}
    auth = ("admin", "admin")
    for name, escaped in (("../../etc/x", "..%2F..%2Fetc%2Fx"), ("a b#?.txt", "a%20b%23%3F.txt"), ("仕様.txt", "%E4%BB%95%E6%A7%98.txt")):
        r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/attachments", headers=headers, auth=auth,
                              files={"file": (name, b"data")})
        assert r.status_code == 200, r.text
        att = r.json()[0]
        assert att["filename"] == name
        assert att["content"] == f"{sandbox.jira}/secure/attachment/{att['id']}/{escaped}"
    plain = sandbox.http.get(att["content"], auth=auth)
    assert plain.status_code == 200 and plain.content == b"data"
    traversal = sandbox.http.get(f"{sandbox.jira}/secure/attachment/{att['id']}/..%2F..%2Fetc%2Fx", auth=auth)
    assert traversal.status_code == 400 and "encoded slash" in traversal.text


def test_environment_and_multi_line_text_over_32767_are_refused_field_keyed(jira):
    """Environment and the multi-line Release notes share the description's limit and answer (on
    the Bug screens, where they are); the single-line Customer keeps 255."""
    bug = {"issuetype": {"name": "Bug"}, "summary": "ok"}
    kept = _create(jira, **bug, environment="e" * 32767, customfield_10015="r" * 32767)
    assert kept.status_code == 201, kept.text
    key = kept.json()["key"]
    refused = _create(jira, **bug, environment="e" * 32768, customfield_10015="r" * 32768)
    assert refused.status_code == 400
    assert refused.json() == {"errorMessages": [], "errors": {"environment": TOO_LONG.format("32,767"),
                                                              "customfield_10015": TOO_LONG.format("32,767")}}
    edit = jira("PUT", f"/issue/{key}", json={"update": {"environment": [{"set": "e" * 40000}]}})
    assert edit.status_code == 400 and edit.json()["errors"] == {"environment": TOO_LONG.format("32,767")}
    edit = jira("PUT", f"/issue/{key}", json={"fields": {"customfield_10015": "r" * 32768}})
    assert edit.status_code == 400 and edit.json()["errors"] == {"customfield_10015": TOO_LONG.format("32,767")}
    fields = jira("GET", f"/issue/{key}").json()["fields"]
    assert fields["environment"] == "e" * 32767 and fields["customfield_10015"] == "r" * 32767
