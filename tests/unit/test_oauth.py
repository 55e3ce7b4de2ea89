"""OAuth 2.0 token sources (auth/oauth.py) and the 3LO login's pieces (cli/web_login.py) against a
scripted authorization server."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from atlctl.auth.oauth import ClientCredentials, Grant
from atlctl.cli import web_login
from atlctl.errors import ClientError

TOKEN_URL = "https://auth.example.com/oauth/token"


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def server(answers):
    """An authorization server answering `answers` in turn; the bodies it got."""
    bodies = []

    def handler(request):
        bodies.append(json.loads(request.content))
        status, body = answers.pop(0)
        return httpx.Response(status, json=body)

    return httpx.Client(transport=httpx.MockTransport(handler)), bodies


def test_client_credentials_are_exchanged_once_and_kept_until_expiry():
    http, bodies = server([(200, {"access_token": "access-one", "expires_in": 3600}),
                           (200, {"access_token": "access-two", "expires_in": 3600})])
    kept, learnt, clock = {}, [], Clock()
    source = ClientCredentials(http, TOKEN_URL, "bot-client", "bot-secret", load=lambda: kept.get("token"),
                               save=lambda token: kept.update(token=token), learn=learnt.append, clock=clock)
    assert source.header() == "Bearer access-one" and source.header() == "Bearer access-one"
    assert bodies == [{"grant_type": "client_credentials", "client_id": "bot-client", "client_secret": "bot-secret",
                       "audience": "api.atlassian.com"}]
    assert kept["token"]["access_token"] == "access-one" and "bot-secret" not in json.dumps(kept)
    again = ClientCredentials(http, TOKEN_URL, "bot-client", "bot-secret", load=lambda: kept.get("token"),
                              save=lambda token: kept.update(token=token), learn=learnt.append, clock=clock)
    assert again.header() == "Bearer access-one" and len(bodies) == 1  # another process: the stored token
    clock.now += 3600
    assert again.header() == "Bearer access-two" and len(bodies) == 2  # expired: asked again
    assert learnt.count("access-one") >= 1 and "access-two" in learnt  # every token masked once known


def test_a_cached_token_of_another_client_is_not_used():
    http, bodies = server([(200, {"access_token": "mine", "expires_in": 3600})])
    other = {"client_id": "someone-else", "token_url": TOKEN_URL, "access_token": "theirs", "expires_at": 9e12}
    source = ClientCredentials(http, TOKEN_URL, "bot-client", "s", load=lambda: other, save=lambda t: None,
                               learn=lambda t: None)
    assert source.header() == "Bearer mine"


def test_a_cached_token_of_another_secret_is_not_used():
    """A wrong --client-secret is found at once, not when the token cached with the right one expires."""
    http, bodies = server([(200, {"access_token": "right", "expires_in": 3600}),
                           (401, {"error": "access_denied", "error_description": "Unauthorized"})])
    kept = {}

    def source(secret):
        return ClientCredentials(http, TOKEN_URL, "bot-client", secret, load=lambda: kept.get("token"),
                                 save=lambda token: kept.update(token=token), learn=lambda t: None)

    assert source("bot-secret").header() == "Bearer right"
    with pytest.raises(Exception, match="refused the client credentials"):
        source("wrong-secret").header()
    assert source("bot-secret").header() == "Bearer right" and len(bodies) == 2  # the right one still uses the cache


def test_refused_client_credentials_say_so():
    http, _ = server([(401, {"error": "access_denied", "error_description": "Unauthorized"})])
    source = ClientCredentials(http, TOKEN_URL, "bot-client", "wrong", load=lambda: None, save=lambda t: None,
                               learn=lambda t: None)
    with pytest.raises(Exception, match="refused the client credentials.*Unauthorized"):
        source.header()


def grant(**changes):
    return {"access_token": "old-access", "refresh_token": "refresh-1", "expires_at": 0, "client_id": "app",
            "token_url": TOKEN_URL, "scope": "read:jira-work offline_access", **changes}


def test_an_expired_grant_is_refreshed_and_the_rotated_refresh_token_saved_at_once():
    http, bodies = server([(200, {"access_token": "new-access", "refresh_token": "refresh-2", "expires_in": 3600})])
    saved, learnt = [], []
    source = Grant(http, grant(), client_secret="app-secret", save=saved.append, learn=learnt.append,
                   again="atlctl auth login --web cloud")
    assert source.header() == "Bearer new-access"
    assert bodies == [{"grant_type": "refresh_token", "client_id": "app", "refresh_token": "refresh-1",
                       "client_secret": "app-secret"}]
    assert saved[-1]["refresh_token"] == "refresh-2" and saved[-1]["access_token"] == "new-access"
    assert {"old-access", "refresh-1", "new-access", "refresh-2"} <= set(learnt)
    assert source.header() == "Bearer new-access" and len(bodies) == 1  # valid now: no second refresh


def test_a_revoked_refresh_token_tells_to_log_in_again():
    http, _ = server([(403, {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."})])
    source = Grant(http, grant(), client_secret=None, save=lambda g: None, learn=lambda t: None,
                   again="atlctl auth login --web cloud")
    with pytest.raises(ClientError, match=r"expired or was revoked.*atlctl auth login --web cloud"):
        source.header()


def test_the_callback_takes_only_its_own_state():
    callback = web_login.Callback("the-state")
    try:
        base = f"http://127.0.0.1:{callback.port}{web_login.CALLBACK}"
        assert httpx.get(base + "?state=forged&code=evil").status_code == 400
        assert callback.result is None
        assert httpx.get(base + "?state=the-state&code=good").status_code == 200
        assert callback.wait(5) == ("good", None)
    finally:
        callback.close()


def test_the_authorize_url_carries_state_and_pkce():
    verifier, challenge = web_login.pkce()
    url = web_login.authorize_url("https://auth.example.com", "app", "read:jira-work offline_access",
                                  "http://127.0.0.1:1/callback", "st", challenge)
    query = parse_qs(urlsplit(url).query)
    assert urlsplit(url).path == "/authorize" and query["code_challenge_method"] == ["S256"]
    assert query["state"] == ["st"] and query["scope"] == ["read:jira-work offline_access"]
    assert query["code_challenge"][0] != verifier and len(verifier) >= 43


@pytest.mark.parametrize("pasted, code", [("http://127.0.0.1/callback?code=abc&state=st", "abc"), ("abc", "abc")])
def test_the_pasted_address_or_code(pasted, code):
    class Env:
        def read_line(self, prompt):
            return pasted

    class Run:
        env = Env()

    assert web_login.pasted_code(Run(), "st") == code


def test_a_pasted_address_of_another_login_is_refused():
    class Env:
        def read_line(self, prompt):
            return "http://127.0.0.1/callback?code=abc&state=other"

    class Run:
        env = Env()

    with pytest.raises(ClientError, match="state differs"):
        web_login.pasted_code(Run(), "st")


def test_the_site_is_picked_from_accessible_resources():
    resources = [{"id": "other-id", "url": "https://other.atlassian.net"},
                 {"id": "site-id", "url": "https://site.atlassian.net/", "scopes": ["read:jira-work"]}]
    assert web_login.site_resource(resources, "https://site.atlassian.net")["id"] == "site-id"
    with pytest.raises(ClientError, match="no access to https://third.atlassian.net.*other.atlassian.net"):
        web_login.site_resource(resources, "https://third.atlassian.net")




@pytest.mark.parametrize("access_token", ["abc\r\nX-Injected: 1", "", "two words", "caf\u00e9"])
def test_an_access_token_that_cannot_be_a_header_is_refused_and_not_kept(access_token):
    from atlctl.errors import RemoteError

    http, _ = server([(200, {"access_token": access_token, "expires_in": 3600})])
    kept = {}
    source = ClientCredentials(http, TOKEN_URL, "bot-client", "s", load=lambda: None,
                               save=lambda token: kept.update(token=token), learn=lambda t: None)
    with pytest.raises(RemoteError, match="no usable access token"):
        source.header()
    assert kept == {}  # a later run asks again rather than failing on a kept bad token


def test_a_kept_token_that_cannot_be_a_header_is_not_used():
    http, bodies = server([(200, {"access_token": "fresh", "expires_in": 3600})])
    bad = {"client_id": "bot-client", "token_url": TOKEN_URL, "access_token": "abc\r\nX: 1", "expires_at": 9e12}
    source = ClientCredentials(http, TOKEN_URL, "bot-client", "s", load=lambda: bad, save=lambda t: None,
                               learn=lambda t: None)
    assert source.header() == "Bearer fresh" and len(bodies) == 1


@pytest.mark.parametrize("expires_in", [float("nan"), float("inf"), -5, "3600"])
def test_an_expiry_that_is_no_number_of_seconds_counts_as_an_hour(expires_in):
    from atlctl.auth.oauth import expiry

    assert expiry({"expires_in": expires_in}, 1000.0) == 1000.0 + 3600


def test_a_refresh_token_another_process_rotated_meanwhile_is_read_again():
    # two invocations with the same profile: the other renewed first, so ours is used up (rotation);
    # its renewal is in the secret store, and is taken rather than "log in again"
    http, bodies = server([(403, {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."})])
    clock = Clock()
    theirs = grant(access_token="their-access", refresh_token="refresh-2", expires_at=clock.now + 3600)
    learnt = []
    source = Grant(http, grant(), client_secret=None, save=lambda g: None, learn=learnt.append, load=lambda: theirs,
                   again="atlctl auth login --web cloud", clock=clock)
    assert source.header() == "Bearer their-access" and len(bodies) == 1
    assert {"their-access", "refresh-2"} <= set(learnt)


def test_a_refresh_token_refused_with_nothing_newer_stored_tells_to_log_in_again():
    http, bodies = server([(403, {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."})])
    source = Grant(http, grant(), client_secret=None, save=lambda g: None, learn=lambda t: None, load=lambda: grant(),
                   again="atlctl auth login --web cloud")
    with pytest.raises(ClientError, match="expired or was revoked"):
        source.header()
    assert len(bodies) == 1


def test_a_rotated_login_found_expired_is_refreshed_with_its_own_refresh_token():
    http, bodies = server([(403, {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."}),
                           (200, {"access_token": "newest", "refresh_token": "refresh-3", "expires_in": 3600})])
    saved = []
    source = Grant(http, grant(), client_secret=None, save=saved.append, learn=lambda t: None,
                   load=lambda: grant(access_token="their-access", refresh_token="refresh-2"),
                   again="atlctl auth login --web cloud")
    assert source.header() == "Bearer newest"
    assert [b["refresh_token"] for b in bodies] == ["refresh-1", "refresh-2"] and saved[-1]["refresh_token"] == "refresh-3"


@pytest.mark.parametrize("body", [[1, 2], {"token_type": "Bearer"}, {"access_token": 42}])
def test_a_200_without_an_access_token_is_no_refusal(body):
    from atlctl.errors import RemoteError

    http, _ = server([(200, body)])
    source = Grant(http, grant(), client_secret=None, save=lambda g: None, learn=lambda t: None,
                   again="atlctl auth login --web cloud")
    with pytest.raises(RemoteError, match="answered the refresh token with HTTP 200 but no access token") as caught:
        source.header()
    assert "log in" not in str(caught.value)  # not "expired or revoked": the server's answer is odd, the login may be fine


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_a_failing_token_server_is_not_a_revoked_login(status):
    from atlctl.errors import RemoteError

    http, _ = server([(status, {"error": "temporarily_unavailable"})])
    source = Grant(http, grant(), client_secret=None, save=lambda g: None, learn=lambda t: None,
                   again="atlctl auth login --web cloud")
    with pytest.raises(RemoteError, match=f"failed to answer the refresh token \\(HTTP {status}") as caught:
        source.header()
    assert "log in" not in str(caught.value) and "try again later" in str(caught.value)


def test_the_token_server_s_message_reaches_the_terminal_without_control_characters():
    http, _ = server([(401, {"error": "access_denied", "error_description": "bad \x1b[31mred\x1b]0;title\x07 end"})])
    source = ClientCredentials(http, TOKEN_URL, "bot-client", "wrong", load=lambda: None, save=lambda t: None,
                               learn=lambda t: None)
    with pytest.raises(Exception) as caught:
        source.header()
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value) and "red" in str(caught.value)
