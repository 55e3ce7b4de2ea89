"""Items 10 and 12 of issue 9: cookie file entries keyed by origin and path; secure file modes whatever
the umask; the journal's line digests keyed per journal and its marks redacted."""

from __future__ import annotations

import json
import os
import stat

import pytest

from atlctl.http import cookiefile
from tests.e2e.conftest import DAVE_PASSWORD
from tests.helpers import run

DAVE = ["--user", "dave", "--password", DAVE_PASSWORD]


# -- 10. cookies keyed by origin and path -----------------------------------------------------------

def test_a_session_saved_for_one_port_is_not_sent_to_another(tmp_path):
    jar = str(tmp_path / "jar")
    cookiefile.save(jar, "http://127.0.0.1:8080/jira", {"JSESSIONID": "port-8080"}, secure=False)
    assert cookiefile.load(jar, "http://127.0.0.1:8080/jira").cookies == {"JSESSIONID": "port-8080"}
    assert cookiefile.load(jar, "http://127.0.0.1:9090/jira").cookies == {}


def test_the_path_is_kept_and_matched_on_segments(tmp_path):
    jar = str(tmp_path / "jar")
    cookiefile.save(jar, "https://host.example.com/jira", {"JSESSIONID": "j"}, secure=True)
    cookiefile.save(jar, "https://host.example.com/confluence", {"JSESSIONID": "c"}, secure=True)
    text = open(jar).read()
    assert "host.example.com\tFALSE\t/jira\tTRUE" in text and "\t/confluence\t" in text
    assert cookiefile.load(jar, "https://host.example.com/jira").cookies == {"JSESSIONID": "j"}
    assert cookiefile.load(jar, "https://host.example.com/confluence").cookies == {"JSESSIONID": "c"}
    assert cookiefile.load(jar, "https://host.example.com/jiranot").cookies == {}
    assert cookiefile.load(jar, "https://host.example.com:443/jira").cookies == {"JSESSIONID": "j"}  # the default port


def test_the_sessions_user_is_recorded_per_origin_and_path(tmp_path):
    """Whose session each entry is, in a comment line curl ignores; another origin's record is kept."""
    jar = str(tmp_path / "jar")
    cookiefile.save(jar, "https://host.example.com/jira", {"JSESSIONID": "j"}, True, owner="jo smith\tx")
    cookiefile.save(jar, "https://host.example.com/confluence", {"JSESSIONID": "c"}, True, owner="cy")
    assert "# atlctl-user\thost.example.com\t/jira\tjo%20smith%09x\n" in open(jar).read()
    assert cookiefile.load(jar, "https://host.example.com/jira") == ({"JSESSIONID": "j"}, "jo smith\tx")
    assert cookiefile.load(jar, "https://host.example.com/confluence") == ({"JSESSIONID": "c"}, "cy")
    cookiefile.save(jar, "https://host.example.com/jira", {"JSESSIONID": "j2"}, True)  # owner unknown: no record
    assert cookiefile.load(jar, "https://host.example.com/jira") == ({"JSESSIONID": "j2"}, None)
    cookiefile.save(jar, "https://host.example.com/confluence", {}, True, owner="cy")  # no session: no record
    assert "cy" not in open(jar).read()
    assert cookiefile.load(jar, "https://host.example.com/confluence") == ({}, None)


def test_saving_one_origin_keeps_the_others(tmp_path):
    jar = str(tmp_path / "jar")
    cookiefile.save(jar, "http://127.0.0.1:1/jira", {"JSESSIONID": "one"}, secure=False)
    cookiefile.save(jar, "http://127.0.0.1:2/jira", {"JSESSIONID": "two"}, secure=False)
    cookiefile.save(jar, "http://127.0.0.1:1/jira", {}, secure=False)
    assert cookiefile.load(jar, "http://127.0.0.1:2/jira").cookies == {"JSESSIONID": "two"}
    assert cookiefile.load(jar, "http://127.0.0.1:1/jira").cookies == {}


def test_cookies_end_to_end_keep_their_port(dc, tmp_path):
    jar = tmp_path / "jar"
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE, "--cookies", jar)
    assert outcome.code == 0, outcome.err
    port = dc.jira.split(":")[2].split("/")[0]
    assert f"127.0.0.1:{port}\tFALSE\t/jira\tFALSE" in jar.read_text()


# -- 12. secure modes whatever the umask; the journal ------------------------------------------------

@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_config_directories_are_private_under_umask_000(tmp_path, open_umask):
    from atlctl.files import write_private

    target = tmp_path / "a" / "b" / "atlctl" / "config.toml"
    write_private(str(target), "x = 1\n")
    assert _mode(target) == 0o600
    for directory in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "atlctl"):
        assert _mode(directory) == 0o700, directory


def _journal_run(dc, tmp_path, journal, line="--action getIssue --issue DEMO-1", **kwargs):
    script = tmp_path / "script.txt"
    script.write_text(line + "\n")
    return run("jira", "run", "--server", dc.jira, *DAVE, "--file", script, "--journal", journal, **kwargs)


def test_an_existing_0644_journal_is_made_private(dc, tmp_path):
    journal = tmp_path / "journal"
    journal.write_text("")
    os.chmod(journal, 0o644)
    assert _journal_run(dc, tmp_path, journal).code == 0
    assert _mode(journal) == 0o600


def test_line_digests_are_keyed_per_journal(dc, tmp_path):
    import hashlib

    line = "--action getIssue --issue DEMO-1"
    digests = []
    for name in ("one", "two"):
        journal = tmp_path / name
        assert _journal_run(dc, tmp_path, journal, line).code == 0
        records = [json.loads(r) for r in journal.read_text().splitlines()]
        assert len(records[0]["key"]) == 32
        digests.append(next(r["digest"] for r in records if r.get("row") == 1))
    unkeyed = hashlib.blake2b("\x1f".join([line, "", "()"]).encode(), digest_size=8).hexdigest()
    assert digests[0] != digests[1] and unkeyed not in digests


def test_resume_still_recognises_its_rows(dc, tmp_path):
    journal = tmp_path / "journal"
    script = tmp_path / "script.txt"
    script.write_text("--action getIssue --issue DEMO-1\n--action getIssue --issue NOPE-1\n")
    first = run("jira", "run", "--server", dc.jira, *DAVE, "--file", script, "--journal", journal, "--continue")
    assert first.code != 0
    resumed = run("jira", "run", "--server", dc.jira, *DAVE, "--file", script, "--journal", journal, "--resume",
                  "--continue")
    assert "input changed" not in resumed.err and "1 done before" in resumed.text, resumed.text


def test_marks_in_the_journal_are_redacted(dc, tmp_path):
    journal = tmp_path / "journal"
    script = tmp_path / "script.txt"  # a secret given inline, and (by mistake) in the summary
    script.write_text(f'--action createIssue --project DEMO --type Task --summary "about {DAVE_PASSWORD}" '
                      f'--password {DAVE_PASSWORD}\n')
    outcome = run("jira", "run", "--server", dc.jira, "--user", "dave", "--file", script, "--journal", journal)
    assert outcome.code == 0, outcome.err
    text = journal.read_text()
    assert DAVE_PASSWORD not in text and '"summary":"about ****"' in text
