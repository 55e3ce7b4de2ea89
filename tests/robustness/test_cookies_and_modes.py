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
    assert cookiefile.load(jar, "http://127.0.0.1:8080/jira") == {"JSESSIONID": "port-8080"}
    assert cookiefile.load(jar, "http://127.0.0.1:9090/jira") == {}


def test_the_path_is_kept_and_matched_on_segments(tmp_path):
    jar = str(tmp_path / "jar")
    cookiefile.save(jar, "https://host.example.com/jira", {"JSESSIONID": "j"}, secure=True)
    cookiefile.save(jar, "https://host.example.com/confluence", {"JSESSIONID": "c"}, secure=True)
    text = open(jar).read()
    assert "host.example.com\tFALSE\t/jira\tTRUE" in text and "\t/confluence\t" in text
    assert cookiefile.load(jar, "https://host.example.com/jira") == {"JSESSIONID": "j"}
    assert cookiefile.load(jar, "https://host.example.com/confluence") == {"JSESSIONID": "c"}
    assert cookiefile.load(jar, "https://host.example.com/jiranot") == {}
    assert cookiefile.load(jar, "https://host.example.com:443/jira") == {"JSESSIONID": "j"}  # the default port


def test_saving_one_origin_keeps_the_others(tmp_path):
    jar = str(tmp_path / "jar")
    cookiefile.save(jar, "http://127.0.0.1:1/jira", {"JSESSIONID": "one"}, secure=False)
    cookiefile.save(jar, "http://127.0.0.1:2/jira", {"JSESSIONID": "two"}, secure=False)
    cookiefile.save(jar, "http://127.0.0.1:1/jira", {}, secure=False)
    assert cookiefile.load(jar, "http://127.0.0.1:2/jira") == {"JSESSIONID": "two"}
    assert cookiefile.load(jar, "http://127.0.0.1:1/jira") == {}


def test_cookies_end_to_end_keep_their_port(dc, tmp_path):
    jar = tmp_path / "jar"
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE, "--cookies", jar)
    assert outcome.code == 0, outcome.err
    port = dc.jira.split(":")[2].split("/")[0]
    assert f"127.0.0.1:{port}\tFALSE\t/jira\tFALSE" in jar.read_text()
