"""Watchers, votes and worklogs on Jira issues (issue 15, issue 18), DC and Cloud."""

import pytest

JSON = {"Content-Type": "application/json"}


def test_watchers(jira):
    start = jira("GET", "/issue/DEMO-1/watchers").json()
    assert start["watchCount"] == 1 and start["isWatching"] is True  # the creator watches (autowatch)
    assert jira("POST", "/issue/DEMO-1/watchers", json=jira.alice).status_code == 204
    jira("POST", "/issue/DEMO-1/watchers", json=jira.alice)  # twice: still one
    now = jira("GET", "/issue/DEMO-1/watchers").json()
    assert now["watchCount"] == 2 and [w[jira.who] for w in now["watchers"]][1] == jira.alice
    assert jira("GET", "/issue/DEMO-1", params={"fields": "watches"}).json()["fields"]["watches"]["watchCount"] == 2
    param = {"accountId" if jira.cloud else "username": jira.alice}
    assert jira("DELETE", "/issue/DEMO-1/watchers", params=param).status_code == 204
    assert jira("GET", "/issue/DEMO-1/watchers").json()["watchCount"] == 1
    unknown = jira("POST", "/issue/DEMO-1/watchers", json="nobody")
    assert unknown.status_code == 404


def test_a_user_may_watch_but_not_add_others(jira):
    # No body: herself (a JSON media type, as clients send, or the XSRF check refuses the POST).
    assert jira("POST", "/issue/DEMO-2/watchers", auth=jira.alice_auth, headers=JSON).status_code == 204
    watched = jira("GET", "/issue/DEMO-2/watchers", auth=jira.alice_auth).json()
    assert watched["isWatching"] is True
    admin = jira("GET", "/myself").json()[jira.who]
    assert jira("POST", "/issue/DEMO-2/watchers", json=admin, auth=jira.alice_auth).status_code == 401


def test_votes(jira):
    assert jira("POST", "/issue/DEMO-1/votes", auth=jira.alice_auth, headers=JSON).status_code == 204
    votes = jira("GET", "/issue/DEMO-1/votes", auth=jira.alice_auth).json()
    assert votes["votes"] == 1 and votes["hasVoted"] is True and votes["voters"][0][jira.who] == jira.alice
    own = jira("POST", "/issue/DEMO-1/votes", headers=JSON)  # admin reported DEMO-1
    assert own.status_code == 404 and own.json()["errorMessages"] == ["You cannot vote for an issue you have reported."]
    assert jira("DELETE", "/issue/DEMO-1/votes", auth=jira.alice_auth).status_code == 204
    assert jira("GET", "/issue/DEMO-1/votes").json()["votes"] == 0
    # Removing a vote never given is no error (the jira package's own suite depends on it).
    assert jira("DELETE", "/issue/DEMO-1/votes", auth=jira.alice_auth).status_code == 204


def test_worklog_lifecycle_and_estimates(jira):
    logged = jira("POST", "/issue/DEMO-1/worklog", json={"timeSpent": "1h 30m", "comment": "tests", "started": "2025-02-01T09:00:00.000+0000"})
    assert logged.status_code == 201
    worklog = logged.json()
    assert (worklog["timeSpent"], worklog["timeSpentSeconds"], worklog["started"]) == ("1h 30m", 5400, "2025-02-01T09:00:00.000+0000")
    assert worklog["author"][jira.who] == jira("GET", "/myself").json()[jira.who]
    page = jira("GET", "/issue/DEMO-1/worklog").json()
    assert page["total"] == 1 and page["worklogs"][0]["id"] == worklog["id"]
    day = jira("POST", "/issue/DEMO-1/worklog", json={"timeSpentSeconds": 36000}).json()
    assert day["timeSpent"] == "1d 2h"  # Jira's 8-hour day
    updated = jira("PUT", f"/issue/DEMO-1/worklog/{worklog['id']}", json={"timeSpent": "2h", "comment": "Updated!"})
    assert updated.status_code == 200 and updated.json()["comment"] == "Updated!" and updated.json()["timeSpent"] == "2h"
    assert jira("GET", f"/issue/DEMO-1/worklog/{worklog['id']}").json()["timeSpentSeconds"] == 7200
    tracking = jira("GET", "/issue/DEMO-1", params={"fields": "timetracking"}).json()["fields"]["timetracking"]
    assert tracking["timeSpentSeconds"] == 7200 + 36000
    assert jira("DELETE", f"/issue/DEMO-1/worklog/{worklog['id']}").status_code == 204
    assert jira("GET", f"/issue/DEMO-1/worklog/{worklog['id']}").status_code == 404
    assert jira("GET", "/issue/DEMO-1/worklog").json()["total"] == 1


def test_remaining_estimate_follows_the_work_logged(jira):
    """adjustEstimate=auto: logging 3h, then changing it to 2h gives an hour back; deleting it gives 2h."""
    jira("PUT", "/issue/DEMO-2", json={"fields": {"timetracking": {"originalEstimate": "4h"}}})
    worklog = jira("POST", "/issue/DEMO-2/worklog", json={"timeSpent": "3h"}).json()

    def remaining():
        return jira("GET", "/issue/DEMO-2", params={"fields": "timetracking"}).json()["fields"]["timetracking"]["remainingEstimate"]

    assert remaining() == "1h"
    jira("PUT", f"/issue/DEMO-2/worklog/{worklog['id']}", json={"timeSpent": "2h"})
    assert remaining() == "2h"
    jira("DELETE", f"/issue/DEMO-2/worklog/{worklog['id']}")
    assert remaining() == "4h"
    jira("POST", "/issue/DEMO-2/worklog", params={"adjustEstimate": "new", "newEstimate": "30m"}, json={"timeSpent": "1h"})
    assert remaining() == "30m"


@pytest.mark.parametrize("body,field", [({}, "timeLogged"), ({"timeSpent": "soon"}, "timeLogged"), ({"timeSpent": "1h", "started": "yesterday"}, "started")])
def test_worklog_refusals(jira, body, field):
    r = jira("POST", "/issue/DEMO-1/worklog", json=body)
    assert r.status_code == 400 and field in r.json()["errors"]


HUGE = "1" + "0" * 400 + "w"  # more seconds than a Java long holds (a float infinity, once parsed)


@pytest.mark.parametrize("spent", [HUGE, "9" * 5000, "\u00b2", "99999999999999999999", {"timeSpentSeconds": 2**63}])
def test_durations_jira_cannot_hold_are_invalid_not_a_server_error(jira, spent):
    """Review of issue 18: these were 500s (OverflowError, ValueError) or, for 20 digits, a worklog
    of more seconds than Jira's long."""
    body = spent if isinstance(spent, dict) else {"timeSpent": spent}
    r = jira("POST", "/issue/DEMO-1/worklog", json=body)
    assert r.status_code == 400 and r.json()["errors"] == {"timeLogged": "Invalid time duration entered."}, r.text


@pytest.mark.parametrize("estimate", [HUGE, "\u00b2"])
def test_estimates_jira_cannot_hold_are_refused_not_a_server_error(jira, estimate):
    edited = jira("PUT", "/issue/DEMO-1", json={"fields": {"timetracking": {"originalEstimate": estimate}}})
    assert edited.status_code == 400, edited.text
    logged = jira("POST", "/issue/DEMO-1/worklog", params={"adjustEstimate": "new", "newEstimate": estimate}, json={"timeSpent": "1h"})
    assert logged.status_code == 400, logged.text


def test_worklog_of_another_issue_is_not_found(jira):
    worklog = jira("POST", "/issue/DEMO-1/worklog", json={"timeSpent": "1m"}).json()
    assert jira("GET", f"/issue/DEMO-2/worklog/{worklog['id']}").status_code == 404
    assert jira("DELETE", f"/issue/DEMO-1/worklog/{worklog['id']}", auth=jira.alice_auth).status_code == 403
