"""The gateway route (auth/gateway.py) against a scripted site and gateway: a scoped token refused by
the site goes to the gateway bound to the site by tenant_info, and to no other origin."""

import httpx
import pytest

from atlctl.auth.gateway import ROUTE, GatewayAuth, Route, site_of
from atlctl.errors import ClientError, RemoteError

SITE = "https://site.example.net"
GATEWAY = "https://api.example.com"
CLOUD_ID = "c57406ca-0000-4000-8000-000000000001"
TOKEN = "scoped-token-for-the-gateway-only"


class Store:
    def __init__(self, known=None):
        self.known = dict(known or {})

    def get(self, site):
        return self.known.get(site)

    def put(self, site, cloud_id):
        self.known[site] = cloud_id


def world(cloud_id=CLOUD_ID, gateway_status=200, gateway_body=None, site_status=401, only_current=False):
    """A site refusing the token (401), its tenant_info, and a gateway taking it; every request logged.
    `only_current`: the gateway knows only the site's current cloudId (404 for any other, as the real
    one), and /nothing-here is the product's own 404."""
    seen = []

    def handler(request):
        seen.append(request)
        url = str(request.url)
        if url == SITE + "/_edge/tenant_info":
            return httpx.Response(200, json={"cloudId": cloud_id})
        if url.startswith(SITE):
            return httpx.Response(site_status, json={"errorMessages": ["Client must be authenticated to access this "
                                                                       "resource."]})
        if only_current:
            if url.startswith(f"{GATEWAY}/ex/jira/{cloud_id}/") and request.headers.get("Authorization"):
                return httpx.Response(404, json={"errorMessages": ["No such thing"]}) if url.endswith(
                    "/nothing-here") else httpx.Response(200, json={"ok": url})
            return httpx.Response(404, json={"code": 404, "message": "Not Found"})
        if url.startswith(GATEWAY):
            if request.headers.get("Authorization") is None:
                return httpx.Response(401)
            return httpx.Response(gateway_status, json=gateway_body if gateway_body is not None else {"ok": url})
        return httpx.Response(302, headers={"Location": SITE + "/rest/api/3/myself"})

    return seen, handler


def client(handler, mode="auto", server=SITE, suffix="", api="jira", store=None, events=None):
    route = Route(server, site_of(server, suffix), GATEWAY, api, mode, store if store is not None else Store())
    plain = httpx.Client(transport=httpx.MockTransport(handler))  # as the pool's client: no credentials of its own
    auth = GatewayAuth(route, "bot@example.com", TOKEN, plain, on_event=(events if events is not None else []).append)
    return httpx.Client(transport=httpx.MockTransport(handler), auth=auth), auth


def credentialed(seen):
    return [str(r.url) for r in seen if "Authorization" in r.headers]


def test_auto_retries_on_the_gateway_and_routes_every_later_request_there():
    seen, handler = world()
    events, store = [], Store()
    http, auth = client(handler, store=store, events=events)
    first = http.get(SITE + "/rest/api/3/myself")
    assert first.status_code == 200 and first.json()["ok"] == f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/myself"
    second = http.post(SITE + "/rest/api/3/issue", json={"fields": {}})
    assert second.json()["ok"] == f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/issue"
    assert [str(r.url) for r in seen] == [SITE + "/rest/api/3/myself", SITE + "/_edge/tenant_info",
                                          f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/myself",
                                          f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/issue"]
    assert "Authorization" not in seen[1].headers  # tenant_info is asked without credentials
    assert b'"fields"' in seen[3].content  # the body goes along
    assert store.known == {SITE: CLOUD_ID}
    assert any("scoped API token" in line and "/ex/jira/" in line for line in events)


def test_confluence_keeps_wiki_after_the_cloud_id():
    seen, handler = world()
    http, _ = client(handler, server=SITE + "/wiki", suffix="/wiki", api="confluence")
    answer = http.get(SITE + "/wiki/rest/api/user/current")
    assert answer.json()["ok"] == f"{GATEWAY}/ex/confluence/{CLOUD_ID}/wiki/rest/api/user/current"
    assert seen[1].url == httpx.URL(SITE + "/_edge/tenant_info")  # the site's root, not /wiki


def test_no_other_origin_ever_gets_the_credentials():
    seen, handler = world()
    http, _ = client(handler)
    http.get(SITE + "/rest/api/3/myself")  # routed
    http.get("https://cdn.example.org/attachment/1")  # another origin: answered with a redirect, not followed
    http.get(GATEWAY + "/ex/jira/another-cloud-id/rest/api/3/myself")  # the gateway, but another site's cloudId
    http.get("http://api.example.com/ex/jira/" + CLOUD_ID + "/rest/api/3/myself")  # the gateway's host over http
    assert credentialed(seen) == [SITE + "/rest/api/3/myself", f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/myself"]
    assert all(TOKEN not in str(r.headers) for r in seen if not str(r.url).startswith((SITE + "/rest", GATEWAY + "/ex/jira/" + CLOUD_ID)))


@pytest.mark.parametrize("cloud_id", ["../../evil", "x@evil.example/", "", "a" * 101, 42])
def test_a_cloud_id_that_is_no_plain_identifier_is_never_used(cloud_id):
    seen, handler = world(cloud_id=cloud_id)
    auto, _ = client(handler)
    assert auto.get(SITE + "/rest/api/3/myself").status_code == 401  # auto: the site's refusal stands
    always, _ = client(handler, mode="always")
    with pytest.raises(RemoteError, match="did not answer a usable cloudId"):
        always.get(SITE + "/rest/api/3/myself")
    assert not [r for r in seen if str(r.url).startswith(GATEWAY)]


def test_an_account_password_is_not_taken_to_the_gateway():
    def handler(request):
        return httpx.Response(401, text="Basic authentication with passwords is deprecated.  For more information...")

    http, auth = client(handler)
    assert http.get(SITE + "/rest/api/3/myself").status_code == 401 and not auth.routed


def test_refused_on_both_is_said_and_not_sent_again():
    seen, handler = world(gateway_status=401, gateway_body={"code": 401, "message": "Unauthorized"})
    http, _ = client(handler)
    answer = http.get(SITE + "/rest/api/3/myself")
    assert answer.status_code == 401 and answer.extensions[ROUTE] == "refused"
    with pytest.raises(ClientError, match="refused the credentials"):
        http.get(SITE + "/rest/api/3/issue/X-1")
    assert len(credentialed(seen)) == 2  # once on the site, once on the gateway


def test_a_scope_mismatch_is_the_gateway_taking_the_token():
    body = {"code": 401, "message": "Unauthorized; scope does not match"}
    seen, handler = world(gateway_status=401, gateway_body=body)
    http, auth = client(handler)
    assert http.get(SITE + "/rest/api/3/myself").status_code == 401
    assert auth.routed
    http.get(SITE + "/rest/api/3/issue/X-1")  # not blocked: another request may be within the token's scopes
    assert credentialed(seen)[-1] == f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/issue/X-1"


def test_always_goes_to_the_gateway_first_with_a_cached_cloud_id():
    seen, handler = world()
    http, _ = client(handler, mode="always", store=Store({SITE: CLOUD_ID}))
    http.get(SITE + "/rest/api/3/myself")
    assert [str(r.url) for r in seen] == [f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/myself"]


def test_a_token_the_site_takes_stays_on_the_site():
    seen, handler = world(site_status=200)
    http, auth = client(handler)
    http.get(SITE + "/rest/api/3/myself")
    http.get(SITE + "/rest/api/3/issue/X-1")
    assert not auth.routed and all(str(r.url).startswith(SITE + "/rest") for r in seen)


@pytest.mark.parametrize("option, value, said", [
    ("--gateway-url", "ftp://gateway.example", "--gateway-url: Invalid server URL"),
    ("--gateway-url", "http://api.example.com", "Refusing to send credentials over plain http:// to api.example.com"),
    ("--oauth-url", "http://auth.example.com", "Refusing to send credentials over plain http:// to auth.example.com"),
])
def test_gateway_and_oauth_urls_are_checked_before_anything_is_sent(option, value, said):
    from tests.helpers import run

    extra = ["--client-id", "bot", "--client-secret", "bot-secret-value"] if option == "--oauth-url" else \
        ["--user", "a@example.com", "--token", "scoped-token-value"]
    outcome = run("jira", "getIssue", "--issue", "X-1", "--server", "https://unreachable.invalid",
                  "--deployment", "cloud", *extra, option, value)
    assert outcome.code == 255 and said in outcome.err


@pytest.mark.parametrize("mode", ["auto", "always"])
def test_a_stale_cached_cloud_id_is_learnt_again_on_the_gateway_404(mode):
    seen, handler = world(only_current=True)
    store, events = Store({SITE: "0ld-c10ud-1d"}), []
    http, auth = client(handler, mode=mode, store=store, events=events)
    answer = http.get(SITE + "/rest/api/3/myself")
    assert answer.status_code == 200 and answer.json()["ok"] == f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/myself"
    assert store.known == {SITE: CLOUD_ID} and auth.cloud_id == CLOUD_ID
    assert any("0ld-c10ud-1d" in line and CLOUD_ID in line for line in events)
    assert http.get(SITE + "/rest/api/3/issue/X-1").status_code == 200
    assert len([r for r in seen if "0ld-c10ud-1d" in str(r.url)]) == 1  # tried once, then never again


def test_a_404_for_the_current_cloud_id_is_the_resource_s_own():
    seen, handler = world(only_current=True)
    http, _ = client(handler, mode="always", store=Store({SITE: CLOUD_ID}))
    assert http.get(SITE + "/rest/api/3/nothing-here").status_code == 404
    # the 404, then tenant_info confirming the cloudId: the request is not sent again
    assert [str(r.url) for r in seen] == [f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/nothing-here",
                                          SITE + "/_edge/tenant_info"]


@pytest.mark.parametrize("cached", ["../../../evil", "x?y", "a/b", "x@evil.example"])
def test_a_cached_cloud_id_that_is_no_plain_identifier_is_asked_again(cached):
    seen, handler = world(only_current=True)
    http, auth = client(handler, mode="always", store=Store({SITE: cached}))
    assert http.get(SITE + "/rest/api/3/myself").status_code == 200
    assert [str(r.url) for r in seen] == [SITE + "/_edge/tenant_info", f"{GATEWAY}/ex/jira/{CLOUD_ID}/rest/api/3/myself"]


@pytest.mark.parametrize("option", ["--gateway-url", "--server"])
@pytest.mark.parametrize("value", ["https://api.example.com?x=1", "https://api.example.com/base#frag",
                                   "https://api.example.com/?access_token=hidden-query-value"])
def test_a_base_url_with_a_query_or_fragment_is_refused(option, value):
    from tests.helpers import run

    server = value if option == "--server" else "https://unreachable.invalid"
    outcome = run("jira", "getIssue", "--issue", "X-1", "--server", server, "--deployment", "cloud",
                  "--user", "a@example.com", "--token", "scoped-token-value",
                  *([option, value] if option != "--server" else []))
    assert outcome.code == 255, outcome.text
    assert "no query (?...) or fragment (#...)" in outcome.err
    assert "hidden-query-value" not in outcome.err


class Tokens:
    """An OAuth token source (auth/oauth.py's interface): header() the current token, renew() the next."""

    def __init__(self):
        self.number = 1

    def header(self):
        return f"Bearer access-{self.number}"

    def renew(self):
        self.number += 1


def test_an_access_token_the_gateway_stops_taking_mid_run_is_renewed_once():
    # the gateway's clock is ahead (or the token was revoked): access-1 expires there before atlctl thinks
    valid, seen = {"Bearer access-1"}, []

    def handler(request):
        seen.append(request.headers.get("Authorization"))
        ok = request.headers.get("Authorization") in valid
        return httpx.Response(200 if ok else 401, json={"ok": 1} if ok else {"code": 401, "message": "Unauthorized"})

    tokens, events = Tokens(), []
    route = Route(SITE, SITE, GATEWAY, "jira", "always", Store({SITE: CLOUD_ID}))
    auth = GatewayAuth(route, None, None, httpx.Client(transport=httpx.MockTransport(handler)), header=tokens.header,
                       renew=tokens.renew, scheme="oauth", on_event=events.append)
    http = httpx.Client(transport=httpx.MockTransport(handler), auth=auth)
    assert http.get(SITE + "/rest/api/3/myself").status_code == 200
    valid.clear(), valid.add("Bearer access-2")
    assert http.get(SITE + "/rest/api/3/issue/X-1").status_code == 200
    assert seen == ["Bearer access-1", "Bearer access-1", "Bearer access-2"]
    valid.clear()  # the app lost access: the renewed token is refused too, and no more renewals follow
    assert http.get(SITE + "/rest/api/3/issue/X-2").status_code == 401
    assert http.get(SITE + "/rest/api/3/issue/X-3").status_code == 401
    assert tokens.number == 3 and seen[3:] == ["Bearer access-2", "Bearer access-3", "Bearer access-3"]


def test_gateway_never_with_oauth_is_refused_before_anything_is_sent():
    from tests.helpers import run

    outcome = run("jira", "getIssue", "--issue", "X-1", "--server", "https://unreachable.invalid", "--deployment",
                  "cloud", "--client-id", "bot", "--client-secret", "bot-secret-value", "--gateway", "never")
    assert outcome.code == 255, outcome.text
    assert "--gateway never cannot be used with OAuth 2.0" in outcome.err


def test_a_request_is_signed_for_the_route_after_another_thread_moved_it():
    """Basic auth's fast path signs after it sees the credentials accepted: a thread that finished the
    first check (and moved the route to the gateway) between the two steps does not leave this
    request on the site, where a scoped token gets a 401."""
    from atlctl.auth.basic import BasicAuth

    class Moving(BasicAuth):
        base = None

        def signed(self, request):
            if self.base is None:  # another thread finishes the first check and moves the route, right now
                self.base, self._accepted = "http://gateway.example/ex/jira/1", True
                request.headers["Authorization"] = self._header
                return request
            moved = httpx.Request(request.method, self.base + request.url.path, headers=request.headers)
            moved.headers["Authorization"] = self._header
            return moved

    flow = Moving("http://site.example", "u@example.com", "token").auth_flow(
        httpx.Request("GET", "http://site.example/rest/api/3/myself"))
    assert str(next(flow).url) == "http://gateway.example/ex/jira/1/rest/api/3/myself"
