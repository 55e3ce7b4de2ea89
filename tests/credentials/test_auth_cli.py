"""`atlctl auth ...` and profile dispatch, in-process, without a server: offline status, token,
switch, logout, the errors and exit codes. (Live checks: tests/e2e/test_auth_*.py.)"""

import json

import pytest

from atlctl.credentials import keyring_store
from tests.credentials.home import HANGING_KEYRING
from tests.helpers import secret

PASSWORD = secret("cli-Pw-8b9c0d1e")
PAT = secret("cli-PAT-6f5e4d3c2b1a09f8e7d6")
LITERAL = secret("cli-Literal-Pw-4242")

CONFIG = """\
[defaults]
jira = "work"

[profiles.work]
product = "jira"
server = "https://jira.example.com"
deployment = "server"
version = "9.12.4"
user = "alice"
password = "keyring"

[profiles.pat]
product = "jira"
server = "https://jira.example.com"
token = "env:JIRA_PAT"
"""


def setup(home, text=CONFIG):
    home.write_config(text)
    keyring_store.put(home.env(), "work", PASSWORD)


def test_help_and_unknown_commands(home):
    outcome = home.run("auth", "--help")
    assert outcome.code == 0 and "login" in outcome.out and "doctor" in outcome.out
    assert home.run("auth").code == 254
    outcome = home.run("auth", "sigin")
    assert outcome.code == 254 and "Unknown command: atlctl auth sigin. Valid commands: login, status" in outcome.err
    outcome = home.run("auth", "login", "--help")
    assert outcome.code == 0 and "--with-token" in outcome.out and "--insecure-storage" in outcome.out


def test_status_without_profiles_fails(home):
    outcome = home.run("auth", "status")
    assert outcome.code == 255 and "No profiles in" in outcome.err and "atlctl auth login" in outcome.err


def test_offline_status_shows_sources_masked_secrets_and_restrictions(home):
    setup(home)
    outcome = home.run("auth", "status", "--offline", environ={"JIRA_PAT": PAT})
    assert outcome.code == 0, outcome.text
    pat, work = outcome.out.split("\n\n")
    assert work.startswith("work (default jira profile)\n")
    assert "password from profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted): ********\n" in work
    assert "Server/Data Center, version 9.12.4" in work and "skipped (--offline)" in work
    assert "token from profile pat: environment variable JIRA_PAT: ********e7d6" in pat  # last 4 of a long token
    assert "renderRequest and other web-session actions unavailable with a token" in pat


def test_status_json(home):
    setup(home)
    outcome = home.run("auth", "status", "work", "--offline", "--output", "json")
    [report] = json.loads(outcome.out)
    assert report["profile"] == "work" and report["default"] is True and report["ok"] is True
    assert report["secretSource"] == "password from profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted)"
    assert report["secret"] == "********"


def test_status_fails_when_a_secret_is_missing_and_says_which_variable(home):
    setup(home)
    outcome = home.run("auth", "status", "--offline")  # JIRA_PAT is not set
    assert outcome.code == 255
    assert "No token for profile pat: environment variable JIRA_PAT has none. Set ATLCTL_TOKEN" in outcome.out
    assert outcome.err.startswith("Client error: 1 of 2 profile checks failed (pat)")


def test_status_with_a_hanging_keyring_says_keyring_unavailable(home):
    setup(home)
    outcome = home.run("auth", "status", "work", "--offline", environ=HANGING_KEYRING)
    assert outcome.code == 255
    assert "Client error: Keyring unavailable: no answer within 0.2 s" in outcome.out
    assert "Keyring unavailable" in outcome.err and "invalid" not in outcome.text.lower()


def test_token_prints_the_secret_alone_only_when_asked(home):
    setup(home)
    outcome = home.run("auth", "token", "work", reveals=(PASSWORD,))
    assert outcome.code == 0 and outcome.out == PASSWORD + "\n" and outcome.err == ""
    outcome = home.run("auth", "token", "pat", "--verbose", environ={"JIRA_PAT": PAT}, reveals=(PAT,))
    assert outcome.out == PAT + "\n" and "from profile pat: environment variable JIRA_PAT" in outcome.err


def test_token_follows_the_precedence(home):
    setup(home)
    outcome = home.run("auth", "token", "work", environ={"ATLCTL_PASSWORD": "from-the-env"}, reveals=("from-the-env",))
    assert outcome.out == "from-the-env\n"


def test_token_without_a_name_uses_the_only_default(home):
    setup(home)
    assert home.run("auth", "token", reveals=(PASSWORD,)).out == PASSWORD + "\n"


def test_switch(home):
    setup(home)
    outcome = home.run("auth", "switch", "pat")
    assert outcome.code == 0 and outcome.out == "pat is now the default jira profile (was work).\n"
    assert 'jira = "pat"' in home.config_file.read_text()
    outcome = home.run("auth", "switch", "nope")
    assert outcome.code == 254 and "Unknown profile: nope. Profiles in" in outcome.err and "pat, work" in outcome.err
    assert home.run("auth", "switch").code == 254


def test_logout_removes_the_stored_secret_and_keeps_the_profile(home):
    setup(home)
    outcome = home.run("auth", "logout", "work")
    assert outcome.code == 0, outcome.text
    assert "removed the password from plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted)" in outcome.out
    assert keyring_store.get(home.env(), "work") is None
    assert "[profiles.work]" in home.config_file.read_text()
    again = home.run("auth", "logout", "work")
    assert "no password was stored in plaintext keyring" in again.out


def test_logout_of_an_env_profile_has_nothing_to_remove(home):
    setup(home)
    outcome = home.run("auth", "logout", "pat")
    assert outcome.code == 0 and "its token comes from environment variable JIRA_PAT: nothing stored to remove" in outcome.out


def test_logout_removes_a_secret_written_in_the_config(home):
    setup(home, CONFIG.replace('password = "keyring"', f'password = "{LITERAL}"'))
    outcome = home.run("auth", "logout", "work")
    assert outcome.code == 0 and f"removed the password written in {home.config_file}" in outcome.out
    assert LITERAL not in home.config_file.read_text()


def test_logout_with_an_unavailable_keyring_fails_clearly(home):
    setup(home)
    outcome = home.run("auth", "logout", "work", environ=HANGING_KEYRING)
    assert outcome.code == 255 and outcome.err.startswith("Client error: Keyring unavailable")


def test_a_profile_name_stands_where_the_product_goes(home):
    setup(home)
    outcome = home.run("work", "--help")
    assert outcome.code == 0 and "getIssue" in outcome.out
    outcome = home.run("nowhere", "getIssue", "--issue", "X-1")
    assert outcome.code == 254 and "Unknown product: nowhere. Valid products: " in outcome.err
    products = outcome.err.split("Valid products: ", 1)[1].split(";", 1)[0].split(", ")
    assert "jira" in products and products == sorted(products)  # in order, whichever others there are
    assert "; or a profile: pat, work" in outcome.err
    outcome = home.run("work", "getIssue", "--issue", "X-1", "--profile", "pat")
    assert outcome.code == 254 and "Give the profile once" in outcome.err


def test_a_profile_and_another_server_do_not_mix(home):
    setup(home)
    outcome = home.run("work", "getIssue", "--issue", "X-1", "--server", "https://evil.example.com")
    assert outcome.code == 254 and "not the server of profile work" in outcome.err


def test_login_in_ci_without_a_secret_fails_before_any_request(home):
    outcome = home.run("auth", "login", "--server", "https://jira.invalid", "--user", "alice",
                       environ={"CI": "true"}, tty=True)
    assert outcome.code == 254
    assert "never prompts in CI" in outcome.err and "--with-token" in outcome.err and "ATLCTL_PASSWORD" in outcome.err


def test_login_needs_a_server_and_a_valid_name(home):
    assert "parameter: server" in home.run("auth", "login", "--with-token", stdin=PAT + "\n").err
    assert "parameter: server" in home.run("auth", "login", "new", "--with-token", stdin=PAT + "\n").err
    outcome = home.run("auth", "login", "auth", "--server", "https://x", "--with-token", stdin=PAT + "\n")
    assert outcome.code == 254 and "Invalid profile name 'auth'" in outcome.err


def test_login_never_silently_repoints_a_profile_to_another_server_or_user(home):
    home.write_config('[profiles.work]\nproduct = "jira"\nserver = "https://127.0.0.1:9/jira"\nuser = "alice"\n'
                      'password = "keyring"\n')
    keyring_store.put(home.env(), "work", PASSWORD)
    before = home.config_file.read_text()
    for flags, account in ((["--server", "https://127.0.0.1:10/jira"], "https://127.0.0.1:10/jira as alice"),
                           (["--user", "bob"], "https://127.0.0.1:9/jira as bob")):
        outcome = home.run("auth", "login", "work", *flags, "--password", "-", stdin=LITERAL + "\n")
        assert outcome.code == 254, outcome.text
        assert outcome.err == (f"Profile work is for https://127.0.0.1:9/jira as alice, not {account}: give --replace "
                               "to repoint it (its stored secret is replaced too), or log in under another name.\n")
    assert home.config_file.read_text() == before and keyring_store.get(home.env(), "work") == PASSWORD


def test_clock_skew_from_the_date_header():
    from atlctl.cli.doctor import clock_skew

    now = 1_700_000_000.0  # 2023-11-14T22:13:20Z
    assert clock_skew("Tue, 14 Nov 2023 22:13:20 GMT", now) == 0
    assert clock_skew("Tue, 14 Nov 2023 22:23:20 GMT", now) == 600  # the server is 10 minutes ahead
    assert clock_skew(None, now) is None and clock_skew("not a date", now) is None


def test_import_acli_never_lets_two_entries_become_one_profile(home, tmp_path):
    properties = tmp_path / "acli.properties"
    properties.write_text("jira = jira -s https://a.example.com\njira-acli = jira -s https://b.example.com\n")
    outcome = home.run("config", "import-acli", properties)
    assert outcome.code == 0, outcome.text
    assert "  jira-acli (entry jira): jira, server https://a.example.com" in outcome.out
    assert "  jira-acli (line 2): another entry of the file became profile jira-acli" in outcome.out
    assert "https://b.example.com" not in home.config_file.read_text()


def test_import_acli_moves_secrets_written_into_the_option_word_and_never_prints_them(home, tmp_path):
    attached, short = secret("HunterTwo99"), secret("HunterThree88")
    properties = tmp_path / "acli.properties"
    properties.write_text(f"a = jira -s https://a.example.com -u alice --password={attached}\n"
                          f"b = jira -s https://b.example.com -u bob -p{short} --colour=S3cret-Blue\n")
    outcome = home.run("config", "import-acli", properties)
    assert outcome.code == 0, outcome.text
    assert "not imported: --colour\n" in outcome.out and "S3cret-Blue" not in outcome.text
    assert keyring_store.get(home.env(), "a") == attached and keyring_store.get(home.env(), "b") == short
    assert attached not in home.config_file.read_text() and short not in home.config_file.read_text()


PROXY_PASSWORD = secret("Pr0xy-Sekret99")


@pytest.mark.parametrize("value,shown", [
    (f"u:{PROXY_PASSWORD}@proxy.corp:3128", "u:****@proxy.corp:3128"),  # no scheme: http:// assumed, like curl
    (f"http://u:{PROXY_PASSWORD}@proxy.corp:3128", "http://u:****@proxy.corp:3128"),
    (f"http://{PROXY_PASSWORD}@proxy.corp", "http://****@proxy.corp"),  # a token as the user name
    (f"http://u:{PROXY_PASSWORD}/x@proxy.corp:3128/", "http://u:****@proxy.corp:3128/"),  # malformed: a problem
])
def test_doctor_masks_proxy_credentials_in_any_form(home, value, shown):
    outcome = home.run("auth", "doctor", "--offline", environ={"HTTPS_PROXY": value})
    assert f" proxy: HTTPS_PROXY={shown}" in outcome.out, outcome.text  # and the password nowhere (leak check)


@pytest.mark.parametrize("value,problem", [
    (f"http://u:{PROXY_PASSWORD}@proxy:bad", "its port is not a number from 0 to 65535"),
    (f"ftp://u:{PROXY_PASSWORD}@proxy:21", "its scheme is not one of http, https, socks5, socks5h"),
    (f"http://u:{PROXY_PASSWORD}@:3128", "it names no host"),
    (f"http://u:{PROXY_PASSWORD}@[proxy:3128", "it cannot be read as a URL"),
])
def test_doctor_reports_a_malformed_proxy_as_a_problem(home, value, problem):
    outcome = home.run("auth", "doctor", "--offline", environ={"HTTPS_PROXY": value})
    assert outcome.code == 255, outcome.text
    assert f" is not a usable proxy URL: {problem}\n" in outcome.out and "problem  proxy: HTTPS_PROXY=" in outcome.out


def test_import_acli_reads_the_file_as_java_does(home, tmp_path):
    """\\uXXXX escapes are decoded, an ISO-8859-1 file (Java's encoding for .properties) is read and
    said so, and a UTF-8 byte-order mark is no part of the first entry's name."""
    escaped = tmp_path / "escaped.properties"
    escaped.write_bytes(b"\xef\xbb\xbfb1 = jira -s https://b.example.com -u caf\\u00e9\n")
    outcome = home.run("config", "import-acli", escaped)
    assert outcome.code == 0, outcome.text
    assert "  b1: jira, server https://b.example.com, user café" in outcome.out and "entry \ufeff" not in outcome.out
    latin = tmp_path / "latin.properties"
    latin.write_bytes("l1 = jira -s https://l.example.com -u jos\u00e9 \\\n   -t ${env:L1_TOKEN}\n".encode("latin-1"))
    outcome = home.run("config", "import-acli", latin)
    assert outcome.code == 0, outcome.text
    assert "  Read as ISO-8859-1 (the file is not UTF-8;" in outcome.out
    assert "  l1: jira, server https://l.example.com, user josé; token from environment variable L1_TOKEN" in outcome.out
    utf8 = tmp_path / "utf8.properties"
    utf8.write_text("u1 = jira -s https://u.example.com -u zoë\n", encoding="utf-8")
    outcome = home.run("config", "import-acli", utf8)
    assert outcome.code == 0 and "  Read as UTF-8.\n" in outcome.out and "user zoë" in outcome.out


def test_import_acli_that_imports_nothing_fails(home, tmp_path):
    properties = tmp_path / "acli.properties"
    properties.write_text("s = system --action run\n")
    outcome = home.run("config", "import-acli", properties)
    assert outcome.code == 254 and outcome.out.startswith("Imported 0 of 1 entries")
    assert outcome.err == f"Nothing was imported from {properties}: every entry was skipped (see above).\n"
    properties.write_text("# only a comment\n")
    outcome = home.run("config", "import-acli", properties)
    assert outcome.code == 254 and outcome.err.endswith("it has no entries.\n")
    properties.write_text("j = jira -s https://j.example.com -u \\uzz12\n")
    outcome = home.run("config", "import-acli", properties)
    assert outcome.code == 254 and outcome.err.startswith(f"Cannot read {properties} as a .properties file:")
    assert not home.config_file.exists()


def test_status_reports_wrong_types_unset_variables_and_unknown_products_as_failed_checks(home):
    home.write_config('[profiles.a]\nproduct = "jira"\nserver = "https://a.example.com"\nuser = ["a"]\n'
                      '[profiles.b]\nproduct = "jira"\nserver = "https://b.example.com"\nuser = "b"\n'
                      'password = "env:NOPE_VAR"\n'
                      '[profiles.c]\nproduct = "nosuch"\nserver = "https://c.example.com"\n')
    outcome = home.run("auth", "status", "--offline")
    assert outcome.code == 254, outcome.text  # the first failure's kind (a parameter problem)
    a, b, c = outcome.out.split("\n\n")
    assert "User  . . . . . . . . : (none)\n" in a and "Check . . . . . . . . : Profile a: user must be text" in a
    assert ("Secret  . . . . . . . : password from profile b: environment variable NOPE_VAR (not set)\n" in b
            and "NOPE_VAR has none" in b)
    assert "Check . . . . . . . . : Client error: Profile c: atlctl does not support nosuch yet." in c
    assert "skipped" not in outcome.out
    assert outcome.err.startswith("3 of 3 profile checks failed (a, b, c): Profile a: user must be text")


def test_a_product_or_default_that_is_not_text_is_a_clear_config_error(home):
    for text, said in (('[profiles.a]\nproduct = ["jira"]\n', "the product of profile 'a' must be text"),
                       ('[defaults]\njira = ["a"]\n', "the default jira profile must be a profile name in quotes")):
        home.write_config(text)
        for command in (("auth", "status", "--offline"), ("jira", "getServerInfo")):
            outcome = home.run(*command)
            assert outcome.code == 255 and said in outcome.err and "Exception" not in outcome.err, outcome.text
