"""Versions, components, watchers, work logs, link deletion, groups and users (issue 15), with ACLI's
parameter names, on Server/DC and Cloud."""

from tests.helpers import run
from tests.jira.conftest import fields_of, json_of


def test_versions_added_listed_and_set_on_issues(jira):
    added = jira("addVersion", "--project", "DEMO", "--version", "1.0", "--description", "first",
                 "--date", "11/Mar/25", "--dateFormat", "dd/MMM/yy", "--released")
    assert added.code == 0 and "Version '1.0'" in added.out, added.err
    assert jira("addVersion", "--project", "DEMO", "--version", "2.0", "--startDate", "2025-04-01").code == 0
    listed = jira("getVersionList", "--project", "DEMO", "--output", "csv", "--columns", "Name,Released,Release Date")
    assert listed.out.splitlines() == ["Name,Released,Release Date", "1.0,true,2025-03-11", "2.0,false,"]
    twice = jira("addVersion", "--project", "DEMO", "--version", "1.0")
    assert twice.code == 253 and "already exists" in twice.err
    created = jira("createIssue", "--project", "DEMO", "--type", "Bug", "--summary", "Versioned",
                   "--fixVersions", "2.0", "--affectsVersions", "1.0", "--reporter", jira.alice)
    assert created.code == 0, created.err
    key = created.out.split()[1]
    fields = fields_of(jira, key)
    assert [v["name"] for v in fields["fixVersions"]] == ["2.0"] and [v["name"] for v in fields["versions"]] == ["1.0"]
    assert fields["reporter"]["accountId" if jira.cloud else "name"] == jira.alice
    assert jira("updateIssue", "--issue", key, "--fixVersions", "1.0,2.0").code == 0
    fields = fields_of(jira, key)
    assert sorted(v["name"] for v in fields["fixVersions"]) == ["1.0", "2.0"]
    clash = jira("updateIssue", "--issue", key, "--fixVersions", "1.0", "--field", "fixVersions=2.0")
    assert clash.code == 254 and "--fixVersions 1.0" in clash.err


def test_components_added_listed_and_set_on_issues(jira):
    added = jira("addComponent", "--project", "DEMO", "--component", "Backend", "--description", "APIs",
                 "--lead", jira.alice)
    assert added.code == 0 and "Component 'Backend'" in added.out, added.err
    assert jira("addComponent", "--project", "DEMO", "--component", "Docs").code == 0
    listed = jira("getComponentList", "--project", "DEMO", "--output", "csv", "--columns", "Name,Description")
    assert listed.out.splitlines() == ["Name,Description", "Backend,APIs", "Docs,"]
    assert jira("updateIssue", "--issue", "DEMO-1", "--components", "Backend,Docs").code == 0
    fields = fields_of(jira, "DEMO-1")
    assert sorted(c["name"] for c in fields["components"]) == ["Backend", "Docs"]
    unknown = jira("updateIssue", "--issue", "DEMO-1", "--components", "Frontend")
    assert unknown.code == 254 and "Frontend" in unknown.err and "Backend, Docs" in unknown.err


def test_a_version_added_in_a_run_can_be_set_on_an_issue_whose_editmeta_was_asked(jira, tmp_path):
    """The editmeta is asked once per issue; a value it lacks is asked again before it is refused, so a
    version added earlier in the same run is not refused from the stale answer."""
    script = tmp_path / "script.txt"
    script.write_text("--action addVersion --project DEMO --version 6.0-before\n"
                      "--action updateIssue --issue DEMO-2 --fixVersions 6.0-before\n"
                      "--action addVersion --project DEMO --version 7.0-run\n"
                      "--action updateIssue --issue DEMO-2 --fixVersions 7.0-run\n")
    ran = jira("run", "--file", script)
    assert ran.code == 0, ran.err + ran.out
    fields = fields_of(jira, "DEMO-2")
    assert [v["name"] for v in fields["fixVersions"]] == ["7.0-run"]


def test_a_watcher_failing_half_way_says_which_were_added(sandbox):
    """On Server/DC user names go to the server as given: when one is unknown, the error says which
    watchers were added before it and which were not tried."""
    failed = run("jira", "addWatchers", "--issue", "DEMO-1", "--userId", "alice,nobody,admin", "--server",
                 sandbox.jira, "--user", "admin", "--password", "admin")
    assert failed.code == 253 and "nobody" in failed.err, failed.err
    assert "added before it: alice" in failed.err and "not tried: admin" in failed.err
    assert len(failed.err.strip().splitlines()) == 1


def test_watchers_and_work(jira):
    watched = jira("addWatchers", "--issue", "DEMO-2", "--userId", jira.alice)
    assert watched.code == 0, watched.err
    logged = jira("addWork", "--issue", "DEMO-2", "--timeSpent", "1h 30m", "--comment", "pairing",
                  "--started", "05.03.2025 09:15 +0000", "--dateFormat", "dd.MM.yyyy HH:mm Z")
    assert logged.code == 0 and "logged on issue DEMO-2" in logged.out, logged.err
    worklog = json_of(jira("addWork", "--issue", "DEMO-2", "--timeSpent", "15m", "--output", "json"))
    assert worklog["timeSpentSeconds"] == 900
    bad = jira("addWork", "--issue", "DEMO-2", "--timeSpent", "1h", "--date", "yesterday")
    assert bad.code == 254 and "--started" in bad.err and "yesterday" in bad.err
    both = jira("addWork", "--issue", "DEMO-2", "--timeSpent", "1h", "--date", "2025-01-01", "--started", "2025-01-02")
    assert both.code == 254 and "give one" in both.err
    nonsense = jira("addWork", "--issue", "DEMO-2", "--timeSpent", "lots")
    assert nonsense.code == 253


def test_delete_link(jira):
    assert jira("linkIssue", "--issue", "DEMO-1", "--toIssue", "DEMO-2", "--link", "blocks").code == 0
    assert jira("linkIssue", "--issue", "DEMO-1", "--toIssue", "DEMO-2", "--link", "relates to").code == 0
    only = jira("deleteLink", "--issue", "DEMO-2", "--toIssue", "DEMO-1", "--link", "is blocked by")
    assert only.code == 0 and "1 link between DEMO-2 and DEMO-1 deleted" in only.out, only.err
    left = jira("getLinkList", "--issue", "DEMO-1", "--output", "csv", "--columns", "Link,To Issue")
    assert left.out.splitlines()[1:] == ["relates to,DEMO-2"]
    assert jira("deleteLink", "--issue", "DEMO-1", "--toIssue", "DEMO-2").code == 0
    none = jira("deleteLink", "--issue", "DEMO-1", "--toIssue", "DEMO-2")
    assert none.code == 255 and "No link between DEMO-1 and DEMO-2" in none.err


def test_groups_and_users(jira):
    groups = jira("getGroupList", "--output", "csv", "--columns", "Group")
    assert groups.code == 0, groups.err
    assert "jira-software-users" in groups.out.splitlines()
    mine = jira("getGroupList", "--userId", jira.alice, "--output", "csv", "--columns", "Group")
    assert "jira-software-users" in mine.out.splitlines()
    assert not {"jira-administrators", "site-admins"} & set(mine.out.splitlines())
    members = jira("getUserList", "--group", "jira-software-users", "--output", "csv", "--columns", "Name")
    assert members.code == 0, members.err
    assert "Alice Example" in members.out.splitlines()
    found = jira("getUserList", "--name", "ali", "--output", "csv", "--columns", "User,Email")
    assert found.out.splitlines() == ["User,Email", f"{jira.alice},alice@example.com"]
    neither = jira("getUserList")
    assert neither.code == 254 and "--group" in neither.err
