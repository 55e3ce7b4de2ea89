"""A client-side product that exists only in the tests, to prove the contract (products/base.py)
without Jira. It talks to the fake sandbox product (fake_sandbox.py, at /fake): a session comes
from the cookie of the first request sent with basic auth (no login resource, like Confluence),
tokens go as Bearer, and errors read {"fake_error": ...}."""

from atlctl.auth.select import Row
from atlctl.auth.strategy import SessionStrategy
from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.products.base import VERIFIES, WEB_SESSION, ActionSet, Param, Product, Result, ServerInfo

NAME = "fakesite"
SESSION = SessionStrategy("FAKESESSION")  # no login or logout resource: the first request's cookie


class FakeSite(Product):
    name = NAME
    title = "Fakesite"
    clients = {NAME: None, "fakesitecloud": "local"}
    deployments = {"local": "Local"}
    rows = (
        Row("local", "password and token", ("auto",), None, error=ParameterError, message="Either a password or a token."),
        Row("local", "a token", ("auto", "token"), "token", "Authorization: Bearer TOKEN",
            restrictions=("no web pages with a token",), refuses={WEB_SESSION: "{title} shows no pages to tokens."},
            reason="a token as Bearer"),
        Row("local", "user + password", ("auto", "session"), "session", "Cookie from the first basic request",
            reason="session from the first request"),
        Row("local", "user + password", ("basic",), "basic", "Authorization: Basic user:password", reason="basic"),
        Row("local", "nothing", ("auto",), "anonymous", "no credentials", reason="no credentials given"),
        Row("local", "anything", ("auto", "basic", "session", "token"), None, error=ParameterError,
            message="{title} needs --user and --password, or --token.", example=None),
    )
    actions = __name__

    def session(self, deployment):
        return SESSION

    def message(self, response):
        try:
            data = response.json()
        except ValueError:
            return super().message(response)
        return data.get("fake_error", "") if isinstance(data, dict) else ""

    def explain(self, response, situation):
        if response.status_code == 429:
            return RemoteError(f"{self.title} asks to slow down: {self.message(response)}.", 429)
        return None

    def discover(self, conn):
        hello = conn.get_json("/api/hello", anonymous=True, expect={"greeting": str})
        return ServerInfo("local", (1, 0), hello)

    def client(self, conn, deployment, info):
        return FakeClient(conn, deployment, info)


PRODUCT = FakeSite()


class FakeClient:
    def __init__(self, conn, deployment, info):
        self.conn, self.deployment, self.info = conn, deployment, info

    def me(self) -> dict:
        return self.conn.get_json("/api/me", expect={"login": str, "scheme": str})

    def get(self, path: str):
        return self.conn.get_json(path)


ACTIONS = ActionSet(NAME)


@ACTIONS.action("getServerInfo", "The greeting; checks the credentials given.", needs=(VERIFIES,), reads=True)
def get_server_info(call):
    client = call.client
    hello = client.conn.get_json("/api/hello", anonymous=True, expect={"greeting": str})
    me = client.me() if client.conn.situation.scheme != "anonymous" else None
    return Result(f"Fakesite says {hello['greeting']}", data={"hello": hello, "me": me},
                  record=[("Greeting", hello["greeting"]), ("User", me and me["login"])])


@ACTIONS.action("getCurrentUser", "Who the credentials belong to.", reads=True)
def get_current_user(call):
    me = call.client.me()
    return Result(data=me, record=[("User", me["login"]), ("Scheme", me["scheme"])], variables={"user": me["login"]})


@ACTIONS.action("getPath", "GET a path of the API.", Param("path", "The path.", required=True), reads=True)
def get_path(call):
    return Result(data=call.client.get(call["path"]))


@ACTIONS.action("renderRequest", "A web page (needs a web session).", Param("request", "Path.", required=True),
                needs=("authenticated", WEB_SESSION), reads=True)
def render_request(call):
    call.client  # connecting is where a token is refused, before any request
    raise ClientError("the fake has no pages")
