"""Issue 16: masking without false positives. A weak password (`wrong`) or one equal to the user name
(`admin`) leaves atlctl's and the server's words as they are, and still leaks nowhere secrets go."""

import re

from tests.credentials.home import ACLI_SAMPLE  # noqa: F401  (the home fixture's module)


def _other_uses(text: str, word: str, *phrases: str) -> list[str]:
    """Where `word` appears outside the given phrases (the words it is allowed to stand in)."""
    for phrase in phrases:
        text = text.replace(phrase, "")
    return re.findall(rf"(?<![A-Za-z0-9]){word}(?![A-Za-z0-9])", text)


def test_password_wrong_prints_the_real_words_and_leaks_nothing(dc, home):
    outcome = home.run("jira", "getServerInfo", "--server", dc.jira, "--user", "dave", "--password", "wrong",
                       "--auth", "basic", "--debug")
    assert outcome.code == 253, outcome.text
    assert "wrong user name or password" in outcome.err or "rejected the user name or password" in outcome.err
    assert "**** user name" not in outcome.text
    assert "authorization: basic ****" in outcome.err.lower()  # the header carrying it is masked
    assert _other_uses(outcome.text, "wrong", "wrong user name or password") == [], outcome.text


def test_password_wrong_warns_that_it_is_weak_with_verbose(dc, home):
    outcome = home.run("jira", "getServerInfo", "--server", dc.jira, "--user", "dave", "--password", "wrong",
                       "--verbose")
    assert "shorter than 6 characters" in outcome.err
    quiet = home.run("jira", "getServerInfo", "--server", dc.jira, "--user", "dave", "--password", "wrong")
    assert "shorter than 6 characters" not in quiet.err


def test_a_user_named_like_the_password_is_shown(dc, home, tmp_path):
    properties = tmp_path / "acli.properties"
    properties.write_text(f"admin = jira -s {dc.jira} -u admin -p admin\n")
    outcome = home.run("config", "import-acli", properties)
    assert outcome.code == 0, outcome.text
    assert "user admin;" in outcome.out and "user ****" not in outcome.out
    used = home.run("admin", "getServerInfo", "--debug")
    assert used.code == 0, used.text
    assert "basic ****" in used.err.lower() or "jsessionid=****" in used.err.lower()
    assert '"password": "****"' in used.err or "os_password" not in used.err


def test_run_script_argv_masks_a_weak_password(dc, home, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("--action getServerInfo --password wrong\n")
    outcome = home.run("jira", "run", "--file", script, "--server", dc.jira, "--user", "dave", "--password", "wrong",
                       "--auth", "basic", "--continue")
    assert "Run: --action getServerInfo --password ****" in outcome.out, outcome.text
    assert _other_uses(outcome.text, "wrong", "wrong user name or password") == [], outcome.text


def test_run_script_masks_a_password_equal_to_the_user_name(dc, home, tmp_path):
    """Finding 6: the user name is shown even where a secret equals it, so `--user admin --password
    admin` was echoed in clear in `Run:` and `... running:` lines. The value after a secret option
    is masked by where it stands, in every form, whatever it equals; the user name stays readable."""
    lines = ["--action getServerInfo --user admin --password admin",
             "--action getServerInfo --user admin --password=admin",
             '--action getServerInfo --user admin -p "admin"',
             "--action getServerInfo --user admin --password admin --bogus",
             "--action getServerInfo --user admin --password @pw@ --bogus",
             '--action getServerInfo --user admin --password admin --comment "open']
    script = tmp_path / "script.txt"
    script.write_text("\n".join(lines) + "\n")
    outcome = home.run("jira", "run", "--file", script, "--server", dc.jira, "--continue", "--findReplace", "@pw@:admin")
    assert outcome.code == 255 and "3 actions failed, 3 actions were successful" in outcome.err, outcome.text
    echoed = [line.partition(": ")[2] for line in outcome.out.splitlines() if line.startswith("Run: ")]
    assert echoed == ["--action getServerInfo --user admin --password ****",
                      "--action getServerInfo --user admin --password=****",
                      "--action getServerInfo --user admin -p ****",
                      "--action getServerInfo --user admin --password **** --bogus",
                      "--action getServerInfo --user admin --password **** --bogus",
                      "--action getServerInfo --user admin --password ****"], outcome.text
    failed = [line.partition(" running: ")[2] for line in outcome.err.splitlines() if " running: " in line]
    assert failed == echoed[3:], outcome.text
    assert outcome.out.count("User  . . . . . . . . : admin") == 3  # the user name is shown
