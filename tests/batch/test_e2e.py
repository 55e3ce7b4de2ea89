"""Scripting and bulk against the sandbox: the ACLI-style script corpus, one session per run,
threads, rate limits, lost connections and resuming."""

import re
import threading
from pathlib import Path

import httpx
import pytest
from tests.credentials.home import field
from tests.helpers import journal_of, run

CORPUS = Path(__file__).parent / "corpus"
CREATE = "--action createIssue --project DEMO --type Task"


def creds(sandbox, *more):
    return ["--server", sandbox.jira, "--user", "admin", "--password", "admin", *more]


def jira_stats(sandbox):
    return sandbox.stats()["products"]["jira"]


def summaries(sandbox, text):
    """Summaries of the DEMO issues whose summary contains `text` (all pages)."""
    found, start = [], 0
    with httpx.Client(auth=("admin", "admin"), trust_env=False) as client:
        while True:
            page = client.post(sandbox.jira + "/rest/api/2/search", json={
                "jql": f'project = DEMO AND summary ~ "{text}"', "startAt": start, "maxResults": 100,
                "fields": ["summary"]}).json()
            found += [issue["fields"]["summary"] for issue in page["issues"]]
            start += len(page["issues"])
            if not page["issues"] or start >= page["total"]:
                return found


def labelled(text, label):
    """Every value printed under `label` in ACLI-style `Label . . . : value` blocks."""
    values, rest = [], text
    while (value := field(rest, label)) is not None:
        values.append(value)
        rest = rest.split(f" : {value}\n", 1)[1]
    return values


def write_csv(tmp_path, rows, name="rows.csv"):
    path = tmp_path / name
    path.write_text("summary\n" + "".join(f"{row}\n" for row in rows))
    return str(path)


# -- the script corpus

def corpus(sandbox, name, *more):
    return run("jira", "run", "--file", CORPUS / name, *more, *creds(sandbox))


def test_corpus_lifecycle(sandbox):
    outcome = corpus(sandbox, "lifecycle.txt")
    assert outcome.code == 0, outcome.err
    out = outcome.out.replace(sandbox.jira, "{jira}")
    now = re.search(r"made at (\S+)\"", out)[1]
    record = {"Summary", "Status"}  # getIssue's labelled lines, checked by value below
    assert [line for line in out.splitlines() if not any(field(line, label) for label in record)] == [
        "# ACLI-style run script: create an issue, work on it, read it back.",
        "# Lines carry no client name, or start with one as scripts written for acli often do.",
        'Run: --action createIssue --project DEMO --type Task --summary "Script ""lifecycle"" issue" '
        '--description "Made by a run script" --reference parent',
        "Issue DEMO-4 created with id 10003. URL: {jira}/browse/DEMO-4",
        'Run: --action addComment --issue DEMO-4 --comment "First comment on DEMO-4"',
        "Comment with id 10000 added to DEMO-4.",
        f'Run: jira --action createIssue --project DEMO --type Task --summary "Second issue, made at {now}"',
        "Issue DEMO-5 created with id 10004. URL: {jira}/browse/DEMO-5",
        'Run: --action addComment --issue DEMO-4 --comment "Sibling is DEMO-5 (id 10004)"',
        "Comment with id 10001 added to DEMO-4.",
        'Run: --action transitionIssue --issue DEMO-4 --transition "Start Progress"',
        "Successfully transitioned issue: DEMO-4 with transition: Start Progress.",
        "# indented comment",
        "Run: jira getCommentList --issue DEMO-4 --columns Body",
        "2 comments in list",
        "Body",
        "First comment on DEMO-4",
        "Sibling is DEMO-5 (id 10004)",
        "Run: --action getIssue --issue DEMO-4 --columns Summary,Status",
        f"Run completed successfully. 7 actions were successful from file: {CORPUS / 'lifecycle.txt'}",
    ]
    assert field(out, "Status") == "In Progress" and field(out, "Summary") == 'Script "lifecycle" issue'
    stats = jira_stats(sandbox)
    assert stats["password_checks"] == 1 and stats["logins"] == 1  # one session for the whole script


def test_corpus_quoting(sandbox):
    outcome = corpus(sandbox, "quoting.txt")
    assert outcome.code == 0, outcome.err
    assert labelled(outcome.out, "Summary") == ['He said "ship it", didn\'t he?', "'single'"]
    assert labelled(outcome.out, "Labels") == ["one, two"]


def test_corpus_variables(sandbox):
    outcome = corpus(sandbox, "variables.txt")
    assert outcome.code == 0, outcome.err
    assert 'Run: --action createIssue --project DEMO --type Task --summary "child of DEMO-4"' in outcome.out
    assert "grandchild of DEMO-5, not of @nobody@" in outcome.out
    assert "Run: --action getIssue --issue DEMO-6 --columns Summary" in outcome.out
    assert "Run: --action getIssue --issue DEMO-4 --columns Summary" in outcome.out
    assert outcome.out.count("Run: --action getIssue --issue DEMO-4") == 2  # @issue@ follows the last action


def test_corpus_failures_stop_the_run(sandbox):
    outcome = corpus(sandbox, "failures.txt")
    assert outcome.code == 253
    assert outcome.err.splitlines() == [
        "Remote error: Issue Does Not Exist",
        "REMOTE_EXCEPTION running: --action getIssue --issue DEMO-999",
        f"Client error: 1 actions failed, 1 actions were successful from file: {CORPUS / 'failures.txt'}",
    ]
    assert summaries(sandbox, "after the failure") == []


def test_corpus_failures_with_continue(sandbox):
    outcome = corpus(sandbox, "failures.txt", "--continue")
    assert outcome.code == 255
    assert "PARAMETER_PROBLEM running: --action createIssue --project DEMO --type Task --summary \"\"" in outcome.err
    assert outcome.err.splitlines()[-1] == (
        f"Client error: 2 actions failed, 3 actions were successful from file: {CORPUS / 'failures.txt'}")
    assert labelled(outcome.out, "Summary") == ["after the failure"]
    assert summaries(sandbox, "after the failure") == ["after the failure"]


# -- one session for a whole run

def getissue_script(tmp_path, count):
    path = tmp_path / "gets.txt"
    path.write_text("".join(f"--action getIssue --issue DEMO-{1 + n % 3} --columns Key\n" for n in range(count)))
    return path


def test_session_basic_and_token_password_checks(sandbox, tmp_path):
    script = getissue_script(tmp_path, 20)
    assert run("jira", "run", "--file", script, *creds(sandbox)).code == 0
    assert jira_stats(sandbox)["password_checks"] == 1
    assert jira_stats(sandbox)["requests_by_auth"]["session"] == 20 + 1  # and the logout at the end
    sandbox.reset()
    assert run("jira", "run", "--file", script, *creds(sandbox, "--auth", "basic")).code == 0
    assert jira_stats(sandbox)["password_checks"] == 20
    sandbox.reset()
    token = run("jira", "addAccessToken", "--name", "bulk", *creds(sandbox)).out.strip()
    before = jira_stats(sandbox)["password_checks"]
    outcome = run("jira", "run", "--file", script, "--server", sandbox.jira, "--token", token)
    assert outcome.code == 0, outcome.err
    assert jira_stats(sandbox)["password_checks"] == before
    assert jira_stats(sandbox)["requests_by_auth"]["bearer"] >= 20


def test_csv_with_threads_one_session_input_order(sandbox, tmp_path):
    rows = [f"bulk row {n:02d}" for n in range(40)]
    path = write_csv(tmp_path, rows)
    outcome = run("jira", "runFromCsv", "--file", path, "--common", CREATE, "--threads", "8", *creds(sandbox))
    assert outcome.code == 0, outcome.err
    echoed = [line for line in outcome.out.splitlines() if line.startswith("Run:")]
    assert echoed == [f'Run: --summary "{row}" {CREATE}' for row in rows]
    stats = jira_stats(sandbox)
    assert stats["password_checks"] == 1 and stats["logins"] == 1
    assert sorted(summaries(sandbox, "bulk row")) == rows
    assert outcome.out.splitlines()[-1] == f"Run completed successfully. 40 actions were successful from file: {path}"


def test_run_from_list(sandbox):
    outcome = run("jira", "runFromList", "--list", "DEMO-1,DEMO-2,DEMO-3", "--threads", "3",
                  "--common", "--action getIssue --issue @entry@ --columns Key", *creds(sandbox))
    assert outcome.code == 0, outcome.err
    keys = [line.split(": ")[1] for line in outcome.out.splitlines() if line.startswith("Key")]
    assert keys == ["DEMO-1", "DEMO-2", "DEMO-3"]
    assert jira_stats(sandbox)["password_checks"] == 1


def test_simulate_sends_nothing(sandbox, tmp_path):
    path = write_csv(tmp_path, ["a", "b"])
    before = sandbox.stats()
    outcome = run("jira", "runFromCsv", "--file", path, "--common", CREATE, "--simulate", *creds(sandbox))
    assert outcome.code == 0, outcome.err
    assert outcome.out.splitlines() == [f"Simulate: --summary a {CREATE}", f"Simulate: --summary b {CREATE}",
                                        f"Simulate completed successfully. 2 actions would run from file: {path}"]
    assert sandbox.stats() == before


NESTED = '--action runFromList --list "c" --common "--action runFromList --list d --common ""--action getServerInfo"""'


def test_simulate_refuses_a_list_run_nested_in_a_list_run_as_the_real_run_does(sandbox, tmp_path):
    """findings2 #4: a simulate that succeeds means the real run will not fail on its own checks."""
    path = tmp_path / "nest.txt"
    path.write_text(f"{NESTED}\n--action runFromList --list a,b --common \"--action getServerInfo\"\n")
    bitbucket = ["--server", sandbox.url + "/bitbucket", "--user", "admin", "--password", "admin"]
    before = sandbox.stats()
    simulated = run("bitbucket", "run", "--file", path, "--simulate", "--continue", *bitbucket)
    assert sandbox.stats() == before  # nothing sent
    real = run("bitbucket", "run", "--file", path, "--continue", *bitbucket)
    for outcome, verb in ((simulated, "Simulate"), (real, "Run")):
        assert "cannot start another run (runFromList)" in outcome.err, outcome.out
        assert "PARAMETER_PROBLEM running: --action runFromList --list d" in outcome.err
        assert f"{verb}: --action getServerInfo" in outcome.out  # the good line's list run is checked row by row
        assert "1 actions failed, 1 actions were successful" in outcome.err
        assert outcome.code == 255  # with --continue, a run with failures ends with ACLI's client error
    assert "Simulate completed successfully. 2 actions would run from list" in simulated.out
    for simulate in ([], ["--simulate"]):  # stopped at its only failure, a parameter problem: 254
        stopped = run("bitbucket", "run", "--file", path, *simulate, *bitbucket)
        assert stopped.code == 254 and "1 actions failed, 0 actions were successful from file" in stopped.err


def test_an_undefined_variable_is_left_as_written_with_one_warning_per_name(sandbox, tmp_path):
    """findings2 #12: ACLI says nothing of a variable nobody set; atlctl leaves it (an e-mail address
    is safe) and warns once per name, on stderr, without failing the run."""
    path = tmp_path / "vars.txt"
    path.write_text('--action createRepository --project DEMO --repository "nest @x@"\n'
                    '--action createRepository --project DEMO --repository "again @x@"\n'
                    '--action createRepository --project DEMO --repository "other @y@ of a@example.com"\n')
    outcome = run("bitbucket", "run", "--file", path, "--server", sandbox.url + "/bitbucket",
                  "--user", "admin", "--password", "admin")
    assert outcome.code == 0, outcome.err
    assert outcome.err.splitlines() == [
        f"Warning: @{name}@ is not defined (no earlier action set it, no --reference named it), so it is left as "
        "written." for name in ("x", "y")]
    assert 'Run: --action createRepository --project DEMO --repository "again @x@"' in outcome.out
    for slug in ("nest--x", "again--x", "other--y--of-a-example.com"):
        httpx.get(f"{sandbox.url}/bitbucket/rest/api/1.0/projects/DEMO/repos/{slug}", auth=("admin", "admin"),
                  trust_env=False).raise_for_status()


class Clock:
    """The clock of atlctl's retry policy (atlctl.http.retry.time), moved by the test only: a pause
    lasts until the test ends it, whatever the machine's speed. `sleepers`: threads held back."""

    def __init__(self):
        self.now = 0.0
        self.sleepers: set[str] = set()
        self.changed = threading.Condition()

    def monotonic(self) -> float:
        with self.changed:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.changed:
            name, start = threading.current_thread().name, self.now
            self.sleepers.add(name)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.now > start, timeout=60)
            self.sleepers.discard(name)

    def advance_to(self, when: float) -> None:
        with self.changed:
            self.now = when
            self.changed.notify_all()


def test_threads_back_off_together_on_rate_limits(sandbox, monkeypatch):
    """The first issue request gets a 429 while a second thread's request is in flight; that thread
    must then hold back too: no request reaches the server until the pause is over. (A first entry
    proves the password before: basic auth sends one request at a time until it is accepted.)"""
    from atlctl.http import retry

    clock, paused, lock = Clock(), threading.Event(), threading.Lock()
    monkeypatch.setattr(retry, "time", clock)
    pause_all = retry.RetryPolicy.pause_all
    monkeypatch.setattr(retry.RetryPolicy, "pause_all", lambda policy, seconds: (pause_all(policy, seconds), paused.set()))
    first_two, sent = threading.Barrier(2), []  # the clock's time of every issue request
    forward = httpx.HTTPTransport.handle_request

    warm_up = []

    def server(transport, request):
        if "/rest/api/2/issue/" not in request.url.path or not warm_up:
            warm_up.append(request)  # the first issue request passes the first-login gate alone, unrecorded
            return forward(transport, request)
        with lock:
            sent.append(clock.monotonic())
            number = len(sent)
        if number <= 2:
            first_two.wait(timeout=60)  # both in flight
            if number == 1:
                return httpx.Response(429, headers={"Retry-After": "5"}, request=request)
            paused.wait(timeout=60)  # the second is answered once the client has paused
        return forward(transport, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", server)
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.append(run(
        "jira", "runFromList", "--list", "DEMO-3,DEMO-1,DEMO-1,DEMO-3,DEMO-1,DEMO-2,DEMO-3,DEMO-1,DEMO-2", "--threads", "2",
        "--verbose", "--common", "--action getIssue --issue @entry@ --columns Key", "--auth", "basic",
        "--deployment", "server", *creds(sandbox))))
    thread.start()
    try:
        with clock.changed:
            together = clock.changed.wait_for(lambda: len(clock.sleepers) == 2, timeout=60)
        assert together and sent == [0, 0], sent  # both threads hold back, nothing was sent meanwhile
    finally:
        clock.advance_to(5)
        thread.join(60)
    outcome, = outcomes
    assert outcome.code == 0, outcome.err
    assert "HTTP 429 from GET /jira/rest/api/2/issue/DEMO-1; retrying in 5 s" in outcome.err
    assert outcome.out.count("Key . ") == 9  # the warm-up entry and the eight
    assert sent == [0, 0] + [5] * 7  # the refused request once more, then the other six


# -- lost connections and resuming

def test_connection_dropped_on_create_is_reported_then_resumed_once(sandbox, tmp_path):
    path = write_csv(tmp_path, ["drop a", "drop b", "drop c"])
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "drop", "count": 1}]}})
    outcome = run("jira", "runFromCsv", "--file", path, "--common", CREATE, "--continue", *creds(sandbox))
    assert outcome.code == 255
    assert "connection was lost after sending POST" in outcome.err
    assert "1 actions failed, 2 actions were successful" in outcome.err
    outcome = run("jira", "runFromCsv", "--file", path, "--common", CREATE, *creds(sandbox))
    assert outcome.code == 255 and "--resume" in outcome.err  # an unfinished journal is not ignored
    outcome = run("jira", "runFromCsv", "--file", path, "--common", CREATE, "--resume", *creds(sandbox))
    assert outcome.code == 0, outcome.err
    assert sorted(summaries(sandbox, "drop")) == ["drop a", "drop b", "drop c"]


def test_a_create_whose_comment_failed_is_found_on_resume_and_gets_its_comment(sandbox, tmp_path):
    """The issue exists, only its --comment failed: --resume must not create it a second time."""
    path = write_csv(tmp_path, ["noted a", "noted b"])
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/issue/DEMO-5/comment", "method": "POST",
                                           "kind": "status", "status": 500, "count": 1}]}})
    script = ["--file", path, "--common", CREATE + " --comment hello", "--continue", *creds(sandbox)]
    first = run("jira", "runFromCsv", *script)
    assert first.code == 255 and "Issue DEMO-5 was created, but the --comment was not added" in first.err, first.err
    resumed = run("jira", "runFromCsv", *script, "--resume")
    assert resumed.code == 0, resumed.err
    assert "DEMO-5 created with id" in resumed.out and "not created again" in resumed.out
    assert sorted(summaries(sandbox, "noted")) == ["noted a", "noted b"]
    with httpx.Client(auth=("admin", "admin"), trust_env=False) as client:
        comments = client.get(sandbox.jira + "/rest/api/2/issue/DEMO-5/comment").json()["comments"]
    assert [c["body"] for c in comments] == ["hello"]


@pytest.mark.parametrize("again", ["POST", "GET"])
def test_a_comment_refused_again_on_resume_never_makes_a_second_issue(sandbox, tmp_path, again):
    """The resumed run finds the issue but its --comment fails again (or the look for it among the
    issue's comments does): the row stays partly done, so the next --resume still finds the issue
    instead of creating it a second time."""
    path = write_csv(tmp_path, ["twice a"])
    fault = {"path": "/rest/api/2/issue/DEMO-4/comment", "kind": "status", "status": 500, "count": 1}
    sandbox.settings({"jira": {"faults": [{**fault, "method": "POST"}, {**fault, "method": again}]}})
    script = ["--file", path, "--common", CREATE + " --comment hello", "--continue", *creds(sandbox)]
    assert run("jira", "runFromCsv", *script).code == 255
    again = run("jira", "runFromCsv", *script, "--resume")
    assert again.code == 255 and "DEMO-4 was created, but the --comment was not added" in again.err, again.err
    last = run("jira", "runFromCsv", *script, "--resume")
    assert last.code == 0 and "not created again" in last.out, last.err
    assert summaries(sandbox, "twice") == ["twice a"]
    with httpx.Client(auth=("admin", "admin"), trust_env=False) as client:
        comments = client.get(sandbox.jira + "/rest/api/2/issue/DEMO-4/comment").json()["comments"]
    assert [c["body"] for c in comments] == ["hello"]


@pytest.mark.parametrize("after_comment", [False, True])
def test_killed_around_the_comment_resume_adds_it_once(sandbox, tmp_path, monkeypatch, after_comment):
    """A SIGKILL between the create and its --comment (or right after the comment, before the journal
    knew): --resume with threads finds each issue and gives it the comment exactly once."""
    from atlctl.products.jira.client import JiraClient

    path = write_csv(tmp_path, ["killed a", "killed b", "killed c"])
    real = JiraClient.add_comment

    def dies(self, key, body):
        if key == "DEMO-5":
            if after_comment:
                real(self, key, body)
            raise KeyboardInterrupt  # stands for the SIGKILL
        return real(self, key, body)

    monkeypatch.setattr(JiraClient, "add_comment", dies)
    script = ["--file", path, "--common", CREATE + " --comment hello", *creds(sandbox)]
    assert run("jira", "runFromCsv", *script).code == 130
    monkeypatch.setattr(JiraClient, "add_comment", real)
    resumed = run("jira", "runFromCsv", *script, "--resume", "--threads", "2")
    assert resumed.code == 0, resumed.err
    assert "DEMO-5 created with id" in resumed.out and "not created again" in resumed.out
    assert sorted(summaries(sandbox, "killed")) == ["killed a", "killed b", "killed c"]
    with httpx.Client(auth=("admin", "admin"), trust_env=False) as client:
        for key in ("DEMO-4", "DEMO-5", "DEMO-6"):
            comments = client.get(sandbox.jira + f"/rest/api/2/issue/{key}/comment").json()["comments"]
            assert [c["body"] for c in comments] == ["hello"], key


def create_directly(sandbox, summary):
    with httpx.Client(auth=("admin", "admin"), trust_env=False) as client:
        response = client.post(sandbox.jira + "/rest/api/2/issue", json={
            "fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": summary}})
        return response.raise_for_status().json()["key"]


def test_a_create_the_server_did_is_found_not_repeated(sandbox, tmp_path):
    older = create_directly(sandbox, "lost b")  # same summary, but it existed before the run: not ours
    path = write_csv(tmp_path, ["lost b", "lost a", "lost c"])
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "drop", "count": 1}]}})
    script = ["--file", path, "--common", CREATE, *creds(sandbox)]
    assert run("jira", "runFromCsv", *script).code == 255  # row 1 is unknown: the run stops there
    ours = create_directly(sandbox, "lost b")  # as if the server had done it and only the answer was lost
    outcome = run("jira", "runFromCsv", *script, "--resume")
    assert outcome.code == 0, outcome.err
    assert f"Issue {ours} created with id" in outcome.out
    assert "found after the interruption, not created again" in outcome.out and older not in outcome.out
    assert sorted(summaries(sandbox, "lost")) == ["lost a", "lost b", "lost b", "lost c"]


@pytest.mark.parametrize("auth, threads", [("session", "1"), ("session", "4"), ("basic", "1")])
def test_a_wrong_password_is_tried_once_even_with_continue(sandbox, auth, threads):
    """Every further try would count towards a CAPTCHA lockout (Jira locks after a few)."""
    outcome = run("jira", "runFromList", "--list", ",".join(["x"] * 10), "--threads", threads, "--continue",
                  "--common", "--action getIssue --issue DEMO-1", "--server", sandbox.jira, "--user", "admin",
                  "--password", "wrong", "--auth", auth)
    assert outcome.code == 255
    assert outcome.err.splitlines()[-1] == "Client error: 10 actions failed, 0 actions were successful from list"
    assert jira_stats(sandbox)["password_checks"] == 1
    assert "CAPTCHA for user" not in outcome.err


def test_cloud_bulk_create_resumes_after_a_lost_connection(sandbox, tmp_path):
    from tests.e2e.conftest import CLOUD_TOKEN

    path = write_csv(tmp_path, ["cloud a", "cloud b"])
    sandbox.settings({"jira_cloud": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "drop",
                                                 "count": 1}]}})
    script = ["--file", path, "--common", CREATE, "--server", sandbox.jira_cloud, "--user", "admin@example.com",
              "--token", CLOUD_TOKEN, "--threads", "2", "--continue"]
    outcome = run("jira", "runFromCsv", *script)
    assert outcome.code == 255 and "connection was lost" in outcome.err
    outcome = run("jira", "runFromCsv", *script, "--resume")
    assert outcome.code == 0, outcome.err
    listed = run("jira", "getIssueList", "--jql", 'project = DEMO AND summary ~ "cloud"', "--output", "csv",
                 "--columns", "Summary", *script[4:10])
    assert sorted(listed.out.splitlines()[1:]) == ["cloud a", "cloud b"]


def test_secrets_in_lines_columns_and_journal_never_leak(dc, tmp_path):
    from tests.e2e.conftest import CAROL_PASSWORD

    script = tmp_path / "s.txt"
    script.write_text(f"--action getIssue --issue DEMO-1 --columns Key --user carol --password {CAROL_PASSWORD}\n"
                      f'--action createIssue --project DEMO --type Task --summary "by carol" --user carol --password "{CAROL_PASSWORD}"\n')
    outcome = run("jira", "run", "--file", script, "--server", dc.jira, "--resume")  # run() fails on any leak
    assert outcome.code == 0, outcome.err
    assert "Run: --action getIssue --issue DEMO-1 --columns Key --user carol --password ****" in outcome.out
    rows = tmp_path / "rows.csv"
    rows.write_text(f"summary,user,password\ncsv by carol,carol,{CAROL_PASSWORD}\n")
    simulated = run("jira", "runFromCsv", "--file", rows, "--common", CREATE, "--simulate")  # nothing connects
    assert simulated.code == 0 and "--password ****" in simulated.out
    outcome = run("jira", "runFromCsv", "--file", rows, "--common", CREATE, "--server", dc.jira, "--threads", "2")
    assert outcome.code == 0, outcome.err
    for journal in (journal_of(script), journal_of(rows)):
        assert CAROL_PASSWORD not in open(journal).read()
    assert jira_stats(dc)["password_checks"] == 2 + 2  # one login per run (plus the fixture's two users)


@pytest.mark.parametrize("option", ["--password", "-p"])
def test_a_password_from_stdin_serves_every_connection_of_a_run(dc, tmp_path, option):
    from tests.e2e.conftest import CAROL_PASSWORD

    script = tmp_path / "s.txt"  # a web page needs a connection of its own (a web session)
    script.write_text("getCurrentUser --columns User\nrenderRequest --request /secure/ViewProfile.jspa\n")
    outcome = run("jira", "run", "--file", script, "--server", dc.jira, "--user", "carol", option, "-",
                  stdin=CAROL_PASSWORD + "\n")  # run() fails on any leak
    assert outcome.code == 0, outcome.err
    assert "carol" in outcome.out and "Run completed successfully. 2 actions" in outcome.out


def test_lines_may_name_a_profile(dc, home):
    from tests.e2e.conftest import DAVE_PASSWORD

    login = home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                     stdin=DAVE_PASSWORD + "\n")
    assert login.code == 0, login.text
    script = ("work getCurrentUser --columns User\n"  # the profile stands where the client name goes
              "--action getCurrentUser --columns User\n")  # the run's own connection
    outcome = home.run("jira", "run", "--server", dc.jira, "--user", "admin", "--password", "admin", stdin=script)
    assert outcome.code == 0, outcome.text
    users = [line.rsplit(" ", 1)[1] for line in outcome.out.splitlines() if line.startswith("User ")]
    assert users == ["dave", "admin"]
    profile_run = home.run("work", "run", stdin="getCurrentUser --columns User\n")  # the run's profile for every line
    assert profile_run.code == 0 and profile_run.out.splitlines()[1].endswith(" dave"), profile_run.text


def test_a_finished_run_with_a_failed_row_closes_its_journal(sandbox, tmp_path):  # issue 16
    path = tmp_path / "issues.csv"
    path.write_text("issue\nDEMO-1\nDEMO-999\n")
    common = "--action getIssue"
    outcome = run("jira", "runFromCsv", "--file", path, "--common", common, "--continue", *creds(sandbox))
    assert outcome.code == 255 and "1 actions failed, 1 actions were successful" in outcome.err
    again = run("jira", "runFromCsv", "--file", path, "--common", common, "--continue", *creds(sandbox))
    assert "unfinished journal" not in again.err  # every row was done or failed: running it again is a new run
    assert again.code == 255 and "1 actions failed, 1 actions were successful from" in again.err


def test_file_dash_is_standard_input_for_run_and_run_from_csv(sandbox):
    """`--file -` reads standard input wherever a file is read (issue 15): a script or a CSV piped in."""
    script = run("jira", "run", "--file", "-", *creds(sandbox), stdin="--action getIssue --issue DEMO-2 --columns Key\n")
    assert script.code == 0, script.err + script.out
    assert "DEMO-2" in script.out and "from standard input" in script.out
    rows = run("jira", "runFromCsv", "--file", "-", "--common", "--action getIssue --columns Key", *creds(sandbox),
               stdin="issue\nDEMO-3\n")
    assert rows.code == 0, rows.err + rows.out
    assert "DEMO-3" in rows.out and "from standard input" in rows.out
    both = run("jira", "runFromCsv", "--file", "-", "--common", "--action getIssue", "--server", sandbox.jira,
               "--user", "admin", "--password", "-", stdin="issue\nDEMO-3\n")
    assert both.code == 254 and "--file - and --password -" in both.err
