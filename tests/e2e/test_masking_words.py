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
