"""The config file and profiles: reading, errors with line numbers, comment-preserving edits,
permission warnings, profile selection and how a profile completes the flags."""

import os
import stat

import pytest

from atlctl.actions.common import BY_NAME
from atlctl.credentials.config import Config
from atlctl.credentials.profile import Profile, check_name
from atlctl.errors import ClientError, ParameterError
from tests.helpers import secret

LITERAL = secret("cfg-Literal-Pw-77aa")

CONFIG = """\
# my own notes: keep them
[defaults]
jira = "work"   # the one I use most

[profiles.work]
product = "jira"
server = "https://jira.example.com"
user = "alice"
password = "keyring"

[profiles.cloud]
product = "jira"
server = "https://example.atlassian.net"
deployment = "cloud"
user = "alice@example.com"
token = "env:JIRA_API_TOKEN"
"""


def parse_values(**flags):
    """Parsed flags as the parser hands them over: None for every common parameter not given."""
    values = dict.fromkeys(BY_NAME)
    values.update(flags)
    return values


def test_a_missing_file_is_an_empty_config(home):
    config = Config.load(home.env())
    assert config.text is None and config.profiles == {} and config.warnings == []


def test_reads_profiles_and_defaults(home):
    home.write_config(CONFIG)
    config = Config.load(home.env())
    assert sorted(config.profiles) == ["cloud", "work"]
    assert config.default("jira").name == "work"
    assert config.profiles["cloud"].slot == "token" and config.profiles["work"].slot == "password"


def test_malformed_file_is_reported_with_its_line_and_never_overwritten(home):
    broken = CONFIG.replace('user = "alice"\n', 'user = alice"\n')
    home.write_config(broken)
    for argv in (["auth", "status"], ["auth", "switch", "cloud"], ["jira", "getServerInfo"]):
        outcome = home.run(*argv)
        assert outcome.code == 255, outcome.text
        assert f"Client error: The config file {home.config_file} is not valid TOML" in outcome.err
        assert "line 8" in outcome.err
    assert home.config_file.read_text() == broken


@pytest.mark.parametrize("text,message", [
    ('profiles = "x"\n', "'profiles' must be a table"),
    ('[profiles]\nwork = "x"\n', "profile 'work' must be a table"),
])
def test_structure_errors(home, text, message):
    home.write_config(text)
    with pytest.raises(ClientError, match=message):
        Config.load(home.env())


def test_a_default_naming_a_missing_profile_is_a_warning_and_ignored(home):
    home.write_config('[defaults]\njira = "gone"\n\n[profiles.p1]\nserver = "https://127.0.0.1:9"\n')
    config = Config.load(home.env())
    assert config.default("jira") is None
    assert config.warnings == [f"Warning: in the config file {home.config_file}, the default jira profile 'gone' does "
                               "not exist (ignored). Choose one with `atlctl auth switch PROFILE`."]
    assert home.run("auth", "status", "--offline").code == 0
    outcome = home.run("auth", "switch", "p1")
    assert outcome.code == 0 and "p1 is now the default jira profile" in outcome.out, outcome.text
    assert "does not exist" in outcome.err
    assert Config.load(home.env()).warnings == []


def test_edits_keep_comments_and_write_0600(home):
    home.write_config(CONFIG, mode=0o600)
    config = Config.load(home.env())
    config.save_profile("work", {"user": "bob", "ca-bundle": "/etc/ssl/corp.pem"})
    config.save_profile("new", {"product": "jira", "server": "https://other.example.com"})
    config.set_default("jira", "new")
    text = home.config_file.read_text()
    assert "# my own notes: keep them" in text and 'jira = "new"   # the one I use most' in text
    assert 'user = "bob"' in text and 'ca-bundle = "/etc/ssl/corp.pem"' in text and "[profiles.new]" in text
    assert stat.S_IMODE(os.stat(home.config_file).st_mode) == 0o600
    assert Config.load(home.env()).default("jira").data["server"] == "https://other.example.com"


def test_a_new_file_is_created_0600_in_a_0700_directory(home):
    Config.load(home.env()).save_profile("p", {"product": "jira", "server": "https://x"})
    assert stat.S_IMODE(os.stat(home.config_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(home.config_file.parent).st_mode) == 0o700


def test_loose_permissions_warn_louder_when_a_secret_is_in_the_file(home):
    home.write_config(CONFIG, mode=0o644)
    assert Config.load(home.env()).warnings == [
        f"Warning: the config file {home.config_file} is accessible by other users (mode 644): "
        f"run chmod 600 {home.config_file}"]
    home.write_config(CONFIG.replace('password = "keyring"', f'password = "{LITERAL}"'), mode=0o644)
    [warning] = Config.load(home.env()).warnings
    assert "holds a secret in plain text (profiles.work.password) and other users can read it" in warning
    assert LITERAL not in warning


def test_loose_permissions_warn_on_every_command(home):
    home.write_config(CONFIG, mode=0o640)
    outcome = home.run("auth", "status", "--offline", environ={"JIRA_API_TOKEN": "x" * 20})
    assert "Warning: the config file" in outcome.err and "mode 640" in outcome.err


def test_unknown_keys_warn(home):
    home.write_config(CONFIG.replace('user = "alice"\n', 'user = "alice"\ncolour = "blue"\n'))
    [warning] = Config.load(home.env()).warnings
    assert "unknown key colour in profile work" in warning


def test_a_table_named_after_the_product_is_the_products_own(home):
    """[profiles.work.jira]: settings the product reads itself; no warning, and other tables still warn."""
    home.write_config(CONFIG.replace('user = "alice"\n', 'user = "alice"\njira = { extra = "env:X" }\n'))
    config = Config.load(home.env())
    assert config.warnings == [] and config.profile("work").own_table() == {"extra": "env:X"}
    home.write_config(CONFIG.replace('user = "alice"\n', 'user = "alice"\nslack = { extra = "env:X" }\n'))
    [warning] = Config.load(home.env()).warnings
    assert "unknown key slack in profile work" in warning


def test_selection(home):
    home.write_config(CONFIG)
    config = Config.load(home.env())
    assert config.select("jira", {}, {}).name == "work"  # the product's default
    assert config.select("jira", {"profile": "cloud"}, {}).name == "cloud"
    assert config.select("jira", {}, {"ATLCTL_PROFILE": "cloud"}).name == "cloud"
    assert config.select("jira", {"server": "https://elsewhere"}, {}) is None  # --server alone: no profile
    with pytest.raises(ParameterError, match="Unknown profile: nope. Profiles in .*: cloud, work"):
        config.select("jira", {"profile": "nope"}, {})
    with pytest.raises(ParameterError, match="Profile work is a jira profile, not confluence"):
        config.select("confluence", {"profile": "work"}, {})
    assert config.select("confluence", {}, {"ATLCTL_PROFILE": "work"}) is None  # ambient: ignored elsewhere


def test_flags_win_over_the_profile(home):
    profile = Profile("work", {"server": "https://jira.example.com", "user": "alice", "auth": "basic",
                               "timeout": 20, "insecure": True, "proxy": "http://proxy:3128"})
    merged = profile.apply(parse_values(user="bob", timeout="5"), home.env(), BY_NAME)
    assert merged["user"] == "bob" and merged["timeout"] == "5"  # given on the command line
    assert merged["server"] == "https://jira.example.com" and merged["auth"] == "basic"  # not given
    assert merged["insecure"] is True and merged["proxy"] == "http://proxy:3128" and merged["profile"] == "work"


def test_a_flag_at_its_default_value_still_overrides_the_profile(home):
    from atlctl.actions.registry import REGISTRY
    from atlctl.actions.parse import parse_params

    values = parse_params(REGISTRY.find("jira", "getIssue"), ["--issue", "X-1", "--auth", "auto", "--timeout", "60"])
    merged = Profile("work", {"server": "https://jira.example.com", "auth": "basic", "timeout": 20}).apply(
        values, home.env(), BY_NAME)
    assert merged["auth"] == "auto" and merged["timeout"] == "60"


def test_a_profile_never_sends_its_credentials_to_another_server(home):
    profile = Profile("work", {"server": "https://jira.example.com/", "user": "alice"})
    assert profile.apply(parse_values(server="https://JIRA.example.com"), home.env(), BY_NAME)["user"] == "alice"
    with pytest.raises(ParameterError, match="not the server of profile work"):
        profile.apply(parse_values(server="https://evil.example.com"), home.env(), BY_NAME)


def test_invalid_choice_in_a_profile(home):
    with pytest.raises(ParameterError, match="Invalid value 'kerberos' for auth in profile work. Valid values: auto"):
        Profile("work", {"server": "https://x", "auth": "kerberos"}).apply(parse_values(), home.env(), BY_NAME)


@pytest.mark.parametrize("key,value,expected", [
    ("insecure", '"false"', "true or false, without quotes (a TOML boolean)"),
    ("timeout", '"30"', "a number of seconds, without quotes"),
    ("timeout", "true", "a number of seconds, without quotes"),
    ("user", "42", "text, in quotes (a TOML string)"),
    ("password", "1234", "text, in quotes (a TOML string)"),
])
def test_a_value_of_the_wrong_type_is_refused(home, key, value, expected):
    home.write_config(f'[profiles.work]\nserver = "https://x"\n{key} = {value}\n')
    profile = Config.load(home.env()).profiles["work"]
    with pytest.raises(ParameterError) as failure:
        profile.apply(parse_values(), home.env(), BY_NAME)
    assert str(failure.value) == f"Profile work: {key} must be {expected}."


def test_insecure_false_in_quotes_never_turns_insecure_mode_on(home):
    home.write_config('[profiles.work]\nserver = "https://127.0.0.1:9"\ninsecure = "false"\n')  # nothing listens
    for argv in (["work", "getServerInfo"], ["auth", "status", "work", "--offline"]):
        outcome = home.run(*argv)
        assert outcome.code == 254, outcome.text
        assert "Profile work: insecure must be true or false, without quotes (a TOML boolean)." in outcome.text


def test_values_may_reference_the_environment(home):
    profile = Profile("work", {"server": "https://${env:JIRA_HOST}/jira", "user": "${env:JIRA_USER}"})
    merged = profile.apply(parse_values(), home.env({"JIRA_HOST": "jira.example.com", "JIRA_USER": "carol"}), BY_NAME)
    assert merged["server"] == "https://jira.example.com/jira" and merged["user"] == "carol"


def test_cached_server_needs_both_deployment_and_version():
    assert Profile("p", {"deployment": "server", "version": "9.12.4"}).cached_server() == ("server", (9, 12, 4))
    assert Profile("p", {"deployment": "auto", "version": "9.12.4"}).cached_server() is None
    assert Profile("p", {"deployment": "server"}).cached_server() is None


@pytest.mark.parametrize("name", ["jira", "auth", "-x", "a b", ""])
def test_profile_names_that_would_be_ambiguous(name):
    with pytest.raises(ParameterError, match="Invalid profile name"):
        check_name(name, {"jira", "auth", "config"})


def test_paths_may_start_with_the_home_directory(home, monkeypatch):
    monkeypatch.setenv("HOME", "/home/alice")
    merged = Profile("work", {"server": "https://x", "ca-bundle": "~/corp.pem", "user": "~alice"}).apply(
        parse_values(), home.env(), BY_NAME)
    assert merged["ca-bundle"] == "/home/alice/corp.pem" and merged["user"] == "~alice"
