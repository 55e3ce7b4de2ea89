"""Parsing ACLI's acli.properties into entries (the import itself is tested end to end)."""

from atlctl.credentials import acli
from tests.credentials.home import ACLI_SAMPLE


def by_name(text):
    return {entry.name: entry for entry in acli.read(text)}


def test_the_sample_file():
    entries = by_name(ACLI_SAMPLE.read_text())
    assert list(entries) == ["dcjira", "cloudjira", "patjira", "sys", "jira"]
    dc = entries["dcjira"]
    assert (dc.product, dc.deployment, dc.line) == ("jira", None, 5)
    assert dc.settings == {"server": "${env:SANDBOX}/jira", "user": "importer"}
    assert dc.secrets == {"password": "Imp0rted-Adm1n-pw"} and acli.is_literal(dc.secrets["password"])
    cloud = entries["cloudjira"]
    assert (cloud.product, cloud.deployment) == ("jira", "cloud")
    assert cloud.secrets == {"token": "${secret:cloudjira.token}"} and not acli.is_literal(cloud.secrets["token"])
    pat = entries["patjira"]  # continued over two lines
    assert pat.secrets == {"token": "${env:JIRA_PAT}"} and pat.ignored == ["--outputFormat"] and pat.line == 11
    assert entries["sys"].problem.startswith("its value does not start with a client atlctl knows (jira, jiracloud,")


def test_separators_comments_and_continuations():
    entries = by_name("! comment\n  # another\na=jira -s https://a\nb: jira -s https://b\nc jira \\\n  -s https://c\n")
    assert {name: e.settings["server"] for name, e in entries.items()} == {
        "a": "https://a", "b": "https://b", "c": "https://c"}


def test_plain_references_are_other_entries_or_environment_variables():
    entries = by_name("site = https://jira.example.com\nj = jira -s ${site} -u ${JIRA_USER} -p ${JIRA_PW}\n")
    j = entries["j"]
    assert j.settings == {"server": "https://jira.example.com", "user": "${env:JIRA_USER}"}
    assert j.secrets == {"password": "${env:JIRA_PW}"}
    assert "https://jira.example.com" not in entries["site"].problem  # not a shortcut, maybe a secret: not shown


def test_unknown_options_are_named_but_their_values_never_kept():
    [entry] = acli.read("j = jira -s https://j --secretThing s3cr3t --verbose -u me\n")
    assert entry.ignored == ["--secretThing", "--verbose"] and entry.settings["user"] == "me"
    assert "s3cr3t" not in repr(entry)


def test_values_written_into_the_option_word():
    entries = by_name("a = jira -s https://a -u alice --password=Hunter-Two-99\n"
                      "b = jira --server=https://b -ubob -pHunter-Three-88\n"
                      "c = jira -shttps://c -tTok-Four-77\n"
                      "d = jira -s https://d --token=Tok-Five-66 --user=\n")
    assert (entries["a"].settings, entries["a"].secrets) == (
        {"server": "https://a", "user": "alice"}, {"password": "Hunter-Two-99"})
    assert (entries["b"].settings, entries["b"].secrets) == (
        {"server": "https://b", "user": "bob"}, {"password": "Hunter-Three-88"})
    assert (entries["c"].settings, entries["c"].secrets) == ({"server": "https://c"}, {"token": "Tok-Four-77"})
    assert entries["d"].problem == "option --user has no value"
    assert not any(entry.ignored for entry in entries.values())


def test_unknown_options_are_reported_by_name_without_their_values():
    [entry] = acli.read("j = jira Stray-S3cret -s https://j --secretThing=S3cret-One -xS3cret-Two -q S3cret-Three\n")
    assert entry.ignored == ["a value without an option", "--secretThing", "-x", "-q"]
    assert "S3cret" not in repr(entry)


def test_a_plain_property_is_skipped_without_showing_its_value():
    entries = by_name("jira.pw = Hunter-Four-44\nj = jira -s https://j -p ${jira.pw}\n")
    assert entries["j"].secrets == {"password": "Hunter-Four-44"}
    assert entries["jira.pw"].problem and "Hunter" not in repr(entries["jira.pw"])


def test_problems():
    entries = by_name('a = jira -u me\nb = jira -s "https://b\nc =\nd = jira -s\n')
    assert entries["a"].problem == "it names no server (-s)"
    assert entries["b"].problem.startswith("cannot split its value into words")
    assert entries["c"].problem == "it has no value"
    assert entries["d"].problem == "option -s has no value"
