"""The gateway's OAuth 2.0 server (server-behaviour.md §4.3): the consent page driven as a browser
would, authorization codes (with PKCE), rotating refresh tokens, client credentials for the
service account, accessible-resources, revocation and expiry."""

import base64
import hashlib
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

CLOUD_ID = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"
APP = {"client_id": "sandbox-3lo-client", "client_secret": "sandbox-3lo-secret"}
BOT = {"client_id": "sandbox-bot-client", "client_secret": "sandbox-bot-secret"}
CALLBACK = "http://127.0.0.1:53682/callback"
INVALID_REFRESH = {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."}


class _Form(HTMLParser):
    """The consent form's action and inputs, and the text of <p id="error">."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.fields, self.error, self._in_error = "", {}, "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs["action"]
        elif tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        self._in_error = tag == "p" and attrs.get("id") == "error"

    def handle_data(self, data):
        if self._in_error:
            self.error += data


def authorize_url(sandbox, scope="read:jira-work offline_access", **extra):
    params = {"audience": "api.atlassian.com", "client_id": "sandbox-3lo-client", "scope": scope,
              "redirect_uri": CALLBACK, "state": "xyz-state", "response_type": "code", "prompt": "consent", **extra}
    return sandbox.url + "/gateway/auth/authorize", params


def consent(sandbox, decision="accept", email="admin@example.com", password="admin", **authorize):
    """GET the consent page, then submit it: the response to the form post."""
    url, params = authorize_url(sandbox, **authorize)
    page = sandbox.http.get(url, params=params)
    assert page.status_code == 200
    form = _Form(page.text)
    return sandbox.http.post(form.action, data={**form.fields, "email": email, "password": password, "decision": decision})


def code_from(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == ["xyz-state"]
    return query["code"][0]


def token(sandbox, **body):
    return sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", json=body)


def login(sandbox, **authorize):
    code = code_from(consent(sandbox, **authorize))
    response = token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, **APP)
    assert response.status_code == 200, response.text
    return response.json()


def myself(sandbox, access_token):
    return sandbox.http.get(f"{sandbox.url}/gateway/ex/jira/{CLOUD_ID}/rest/api/3/myself",
                            headers={"Authorization": f"Bearer {access_token}"})


def test_the_consent_page_lists_the_scopes_and_carries_the_request(sandbox):
    url, params = authorize_url(sandbox)
    page = sandbox.http.get(url, params=params)
    assert page.headers["content-type"].startswith("text/html")
    assert "Sandbox 3LO app is requesting access to your Atlassian account" in page.text
    assert "<li>read:jira-work</li><li>offline_access</li>" in page.text
    form = _Form(page.text)
    assert form.action == sandbox.url + "/gateway/auth/authorize"
    assert form.fields["state"] == "xyz-state" and form.fields["redirect_uri"] == CALLBACK


def test_authorization_code_then_the_api_through_the_gateway(sandbox):
    tokens = login(sandbox)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["scope"] == "read:jira-work offline_access"
    assert tokens["access_token"].startswith("eyJ") and tokens["refresh_token"]
    # read:jira-work only: the issue reads, myself (read:jira-user) does not
    issue = sandbox.http.get(f"{sandbox.url}/gateway/ex/jira/{CLOUD_ID}/rest/api/3/issue/DEMO-1",
                             headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert issue.status_code == 200
    assert myself(sandbox, tokens["access_token"]).json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    stats = sandbox.stats()["products"]["gateway"]
    assert stats["token_grants"]["authorization_code"] == 1
    assert stats["password_checks"] == 1  # the consent page's sign-in


def test_the_access_token_acts_as_the_user_who_consented(sandbox):
    tokens = login(sandbox, email="alice@example.com", password="alice", scope="read:jira-user")
    assert "refresh_token" not in tokens  # no offline_access, no refresh token
    assert myself(sandbox, tokens["access_token"]).json()["emailAddress"] == "alice@example.com"


def test_an_oauth_token_on_the_site_is_a_connect_token_there(sandbox):
    tokens = login(sandbox, scope="read:jira-user")
    response = sandbox.http.get(sandbox.url + "/cloud/rest/api/3/myself", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert (response.status_code, response.json()) == (403, {"error": "Failed to parse Connect Session Auth Token"})


def test_refresh_tokens_rotate_and_a_used_one_is_refused(sandbox):
    first = login(sandbox, scope="read:jira-user offline_access")
    second = token(sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"], **APP)
    assert second.status_code == 200
    renewed = second.json()
    assert renewed["refresh_token"] != first["refresh_token"]
    assert renewed["scope"] == "read:jira-user offline_access"
    assert myself(sandbox, renewed["access_token"]).status_code == 200
    reused = token(sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"], **APP)
    assert (reused.status_code, reused.json()) == (403, INVALID_REFRESH)
    third = token(sandbox, grant_type="refresh_token", refresh_token=renewed["refresh_token"], **APP)
    assert third.status_code == 200
    assert sandbox.stats()["products"]["gateway"]["token_grants"]["refresh_token"] == 2


def test_the_token_endpoint_takes_a_form_too(sandbox):
    code = code_from(consent(sandbox))
    response = sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, **APP})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_the_client_may_authenticate_with_basic_credentials(sandbox):
    response = sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", data={"grant_type": "client_credentials"},
                                 auth=("sandbox-bot-client", "sandbox-bot-secret"))
    assert response.status_code == 200
    wrong = sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", data={"grant_type": "client_credentials"},
                              auth=("sandbox-bot-client", "nope"))
    assert (wrong.status_code, wrong.json()["error"]) == (401, "access_denied")


def test_a_code_is_good_once(sandbox):
    code = code_from(consent(sandbox))
    assert token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, **APP).status_code == 200
    again = token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, **APP)
    assert (again.status_code, again.json()) == (403, {"error": "invalid_grant", "error_description": "Invalid authorization code"})


def test_a_code_expires_after_ten_minutes(sandbox):
    code = code_from(consent(sandbox))
    sandbox.advance_clock(601)
    assert token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, **APP).status_code == 403


def test_the_redirect_uri_must_match(sandbox):
    code = code_from(consent(sandbox))
    response = token(sandbox, grant_type="authorization_code", code=code, redirect_uri="http://127.0.0.1:1/other", **APP)
    assert response.status_code == 403
    assert response.json()["error"] == "invalid_grant"


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def test_pkce_s256(sandbox):
    verifier = "a-verifier-of-enough-length-0123456789-abcdefghijklmnop"
    extra = {"code_challenge": _challenge(verifier), "code_challenge_method": "S256"}
    code = code_from(consent(sandbox, **extra))
    wrong = token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, code_verifier="nope", **APP)
    assert wrong.json() == {"error": "invalid_grant", "error_description": "Invalid code_verifier"}
    code = code_from(consent(sandbox, **extra))
    good = token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, code_verifier=verifier, **APP)
    assert good.status_code == 200


def test_cancel_sends_access_denied_to_the_callback(sandbox):
    response = consent(sandbox, decision="cancel")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query == {"error": ["access_denied"], "error_description": ["User did not authorize the request"], "state": ["xyz-state"]}


@pytest.mark.parametrize(("email", "password"), [("admin@example.com", "wrong"), ("sandbox-bot@serviceaccount.atlassian.com", ""),
                                                 ("nobody@example.com", "x")])
def test_a_failed_sign_in_shows_the_page_again(sandbox, email, password):
    response = consent(sandbox, email=email, password=password)
    assert response.status_code == 200
    assert _Form(response.text).error == "Incorrect email address and / or password."


@pytest.mark.parametrize(("change", "problem"), [
    ({"client_id": "unknown"}, "Invalid client_id"),
    ({"client_id": "sandbox-bot-client"}, "Invalid client_id"),
    ({"redirect_uri": "https://evil.example.com/cb"}, "redirect_uri"),
    ({"audience": "example.com"}, "audience"),
    ({"response_type": "token"}, "response_type"),
    ({"scope": "read:jira-work launch:missiles"}, "Invalid scope: launch:missiles"),
    ({"code_challenge": "x", "code_challenge_method": "S512"}, "code_challenge_method"),
])
def test_a_bad_authorization_request_stays_on_the_page(sandbox, change, problem):
    url, params = authorize_url(sandbox)
    response = sandbox.http.get(url, params={**params, **change})
    assert response.status_code == 400
    assert "location" not in response.headers
    assert problem in _Form(response.text).error


def test_client_credentials_for_the_service_account(sandbox):
    response = token(sandbox, grant_type="client_credentials", **BOT)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope"}  # no refresh token
    assert body["scope"].split() == ["read:jira-work", "write:jira-work", "read:jira-user", "read:confluence-content.all",
                                     "write:confluence-content", "read:page:confluence", "write:page:confluence", "read:space:confluence"]
    assert myself(sandbox, body["access_token"]).json()["emailAddress"] == "sandbox-bot@serviceaccount.atlassian.com"
    assert sandbox.stats()["products"]["gateway"]["token_grants"]["client_credentials"] == 1


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"grant_type": "client_credentials", "client_id": "sandbox-bot-client", "client_secret": "wrong"}, 401, "access_denied"),
    ({"grant_type": "client_credentials", **APP}, 403, "unauthorized_client"),
    ({"grant_type": "authorization_code", "code": "x", "redirect_uri": CALLBACK, **BOT}, 403, "unauthorized_client"),
    ({"grant_type": "password", **APP}, 400, "unsupported_grant_type"),
    ({"grant_type": "refresh_token", "refresh_token": "never-issued", **APP}, 403, "invalid_grant"),
    ({"grant_type": "client_credentials", "client_id": 7}, 400, "invalid_request"),
])
def test_token_endpoint_errors(sandbox, body, status, error):
    response = token(sandbox, **body)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.headers["content-type"] == "application/json"


def test_a_body_that_is_not_json_is_invalid_request(sandbox):
    response = sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", content=b"{", headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_accessible_resources(sandbox):
    tokens = login(sandbox, scope="read:jira-work read:jira-user offline_access")
    response = sandbox.http.get(sandbox.url + "/gateway/oauth/token/accessible-resources",
                                headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200
    [site] = response.json()
    assert site["id"] == CLOUD_ID
    assert site["url"] == sandbox.url + "/cloud"
    assert site["name"] == "sandbox"
    assert site["scopes"] == ["read:jira-work", "read:jira-user"]
    assert site["avatarUrl"].startswith("https://")


@pytest.mark.parametrize("auth", [{}, {"Authorization": "Bearer nope"},
                                  {"Authorization": "Basic " + base64.b64encode(b"admin@example.com:sandbox-scoped-token-admin").decode()}])
def test_accessible_resources_needs_an_oauth_token(sandbox, auth):
    response = sandbox.http.get(sandbox.url + "/gateway/oauth/token/accessible-resources", headers=auth)
    assert (response.status_code, response.json()) == (401, {"code": 401, "message": "Unauthorized"})


def test_access_tokens_expire(sandbox):
    sandbox.settings({"gateway": {"access_token_seconds": 60}})
    tokens = login(sandbox, scope="read:jira-user offline_access")
    assert tokens["expires_in"] == 60
    assert myself(sandbox, tokens["access_token"]).status_code == 200
    sandbox.advance_clock(61)
    assert myself(sandbox, tokens["access_token"]).json() == {"code": 401, "message": "Unauthorized"}
    renewed = token(sandbox, grant_type="refresh_token", refresh_token=tokens["refresh_token"], **APP).json()
    assert myself(sandbox, renewed["access_token"]).status_code == 200


def test_refresh_tokens_expire(sandbox):
    sandbox.settings({"gateway": {"refresh_token_seconds": 120}})
    tokens = login(sandbox)
    sandbox.advance_clock(121)
    response = token(sandbox, grant_type="refresh_token", refresh_token=tokens["refresh_token"], **APP)
    assert (response.status_code, response.json()) == (403, INVALID_REFRESH)


def test_revoking_the_grant_stops_its_tokens(sandbox):
    tokens = login(sandbox, scope="read:jira-user offline_access")
    other = login(sandbox, email="alice@example.com", password="alice", scope="read:jira-user offline_access")
    revoked = sandbox.http.post(sandbox.url + "/_sandbox/gateway/revoke", json={"account": "admin@example.com", "client_id": "sandbox-3lo-client"})
    assert revoked.json() == {"revoked": 2}
    assert myself(sandbox, tokens["access_token"]).status_code == 401
    refresh = token(sandbox, grant_type="refresh_token", refresh_token=tokens["refresh_token"], **APP)
    assert (refresh.status_code, refresh.json()) == (403, INVALID_REFRESH)
    assert myself(sandbox, other["access_token"]).status_code == 200  # alice's grant is hers


def test_revoke_refuses_a_bad_body(sandbox):
    response = sandbox.http.post(sandbox.url + "/_sandbox/gateway/revoke", json={"account": 1})
    assert response.status_code == 400
    assert "client_id" in response.json()["error"]


def test_a_reset_forgets_tokens_and_codes(sandbox):
    tokens = login(sandbox, scope="read:jira-user offline_access")
    code = code_from(consent(sandbox))
    sandbox.reset()
    assert myself(sandbox, tokens["access_token"]).status_code == 401
    assert token(sandbox, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, **APP).status_code == 403
