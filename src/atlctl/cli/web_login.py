"""`atlctl auth login --web PROFILE`: OAuth 2.0 (3LO) for Atlassian Cloud [server-behaviour.md §4.3].

The authorize URL opens in the browser (`webbrowser`; ATLCTL_BROWSER names another command, which
gets the URL as its last argument), the consent redirects to a callback server on 127.0.0.1 and a
free port that checks `state`; the code is exchanged with PKCE (S256) for an access token and a
refresh token, the site's cloudId comes from `accessible-resources`, and the tokens go to the
keyring (entry PROFILE.oauth). `--no-browser` (or a browser that cannot be opened) prints the URL
and reads the address the browser was sent to (or the code alone) from standard input, for
machines without a browser."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from atlctl.cli.commands import Run
from atlctl.errors import ClientError, ParameterError, RemoteError

WAIT = 300.0  # seconds the callback server waits for the browser
CALLBACK = "/callback"
BROWSER_ENV = "ATLCTL_BROWSER"
RESOURCES = "/oauth/token/accessible-resources"
DONE_PAGE = b"<!doctype html><title>atlctl</title><p>atlctl is logged in: you can close this window.</p>"


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge) of RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_url(oauth: str, client_id: str, scopes: str, redirect_uri: str, state: str, challenge: str) -> str:
    query = {"audience": "api.atlassian.com", "client_id": client_id, "scope": scopes, "redirect_uri": redirect_uri,
             "state": state, "response_type": "code", "prompt": "consent", "code_challenge": challenge,
             "code_challenge_method": "S256"}
    return f"{oauth}/authorize?{urlencode(query)}"


class Callback:
    """The one-shot callback server: the first request with the right `state` gives the code."""

    def __init__(self, state: str, port: int = 0):
        self.state = state
        self.result: tuple[str | None, str | None] | None = None  # (code, error)
        self.done = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                if url.path != CALLBACK:
                    self.send_error(404)
                    return
                code, error = outer.read(parse_qs(url.query))
                self.send_response(200 if code else 400)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(DONE_PAGE if code else b"<!doctype html><p>atlctl: the login failed; see the "
                                                        b"terminal.</p>")

            def log_message(self, *args):  # quiet: the query holds the code
                pass

        try:
            self.server = HTTPServer(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise ClientError(f"Cannot listen on 127.0.0.1:{port} for the login's callback ({exc.strerror or exc}): "
                              "another program uses that port. Give another --callback-port (your app's callback URL "
                              "must name it), or --no-browser. Nothing was saved.") from None
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def read(self, query: dict) -> tuple[str | None, str | None]:
        """The code of a callback, or why there is none; a wrong state is ignored (not ours)."""
        if query.get("state", [None])[0] != self.state:
            return None, "state"
        code, error = query.get("code", [None])[0], query.get("error", [None])[0]
        self.result = (code, None) if code else (None, error or "no code")
        self.done.set()
        return self.result

    def wait(self, seconds: float) -> tuple[str | None, str | None] | None:
        self.done.wait(seconds)
        return self.result

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def callback_port(value) -> int:
    """--callback-port: 1 to 65535 (0, or none given: a free port)."""
    if value in (None, ""):
        return 0
    try:
        port = int(str(value))
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ParameterError(f"Invalid value '{value}' for --callback-port: a port number from 1 to 65535.")
    return port


def open_browser(run: Run, url: str) -> bool:
    """Open `url` in ATLCTL_BROWSER's command or the system browser; False if none could be opened."""
    command = run.env.environ.get(BROWSER_ENV)
    if command:
        import shlex
        import subprocess

        try:
            subprocess.Popen([*shlex.split(command), url], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        except (OSError, ValueError):
            return False
        return True
    import webbrowser

    try:
        return bool(webbrowser.open(url))
    except webbrowser.Error:
        return False


def pasted_code(run: Run, state: str) -> str:
    """The code from what the user pastes: the address the browser was sent to, or the code alone."""
    line = run.env.read_line("Paste the address your browser was sent to (or the code): ").strip()
    if not line:
        raise ParameterError("No address or code given: nothing was saved.")
    if "?" not in line and "=" not in line:
        return line
    query = parse_qs(urlsplit(line).query)
    if query.get("state", [None])[0] != state:
        raise ClientError("The address pasted is not the answer to this login (its state differs): run `atlctl auth "
                          "login --web` again and paste the address of that login. Nothing was saved.")
    code = query.get("code", [None])[0]
    if not code:
        raise RemoteError(f"The authorization server sent no code ({query.get('error', ['no reason'])[0]}). "
                          "Nothing was saved.")
    return code


def authorize(run: Run, oauth: str, client_id: str, scopes: str) -> tuple[str, str, str]:
    """(code, redirect_uri, PKCE verifier) of the user's consent."""
    state = secrets.token_urlsafe(24)
    verifier, challenge = pkce()
    console = run.console
    headless = bool(run["no-browser"])
    callback = None if headless else Callback(state, callback_port(run["callback-port"]))
    redirect_uri = f"http://127.0.0.1:{callback.port}{CALLBACK}" if callback else "http://127.0.0.1/callback"
    url = authorize_url(oauth, client_id, scopes, redirect_uri, state, challenge)
    try:
        if callback and open_browser(run, url):
            console.error(f"Opening the browser to log in (waiting up to {WAIT:g} s). If it does not open, visit:\n{url}")
            result = callback.wait(WAIT)
            if result is None:
                raise ClientError(f"No answer from the browser within {WAIT:g} s: nothing was saved. Run `atlctl auth "
                                  "login --web --no-browser` to paste the address instead.")
            code, error = result
            if not code:
                raise RemoteError(f"The authorization server refused the login ({error}). Nothing was saved.")
            return code, redirect_uri, verifier
        console.error(f"Open this address in a browser, log in and allow access:\n{url}")
        return pasted_code(run, state), redirect_uri, verifier
    finally:
        if callback:
            callback.close()


def site_resource(resources, site: str) -> dict:
    """The accessible resource (cloudId, scopes) of `site`, from accessible-resources' answer."""
    from atlctl.credentials.profile import same_server

    if not isinstance(resources, list):
        raise RemoteError("The gateway's accessible-resources answer is not a list of sites.", reason="unexpected")
    for resource in resources:
        if isinstance(resource, dict) and same_server(str(resource.get("url")), site) \
                and isinstance(resource.get("id"), str):
            return resource
    granted = ", ".join(str(r.get("url")) for r in resources if isinstance(r, dict)) or "none"
    raise ClientError(f"The login gives no access to {site} (sites granted: {granted}): choose that site on the consent "
                      "page, or give --server one of those. Nothing was saved.")


def grant_for(run: Run, http, oauth: str, gateway: str, site: str, client_id: str, client_secret: str | None,
              scopes: str) -> dict:
    """Drive the whole login; the grant to store (tokens, expiry, scopes, cloudId)."""
    from atlctl.auth.gateway import CLOUD_ID
    from atlctl.auth.oauth import TOKEN_PATH, expiry, token_request

    code, redirect_uri, verifier = authorize(run, oauth, client_id, scopes)
    run.console.redactor.add(code, verifier)  # the verifier proves this login: --debug shows neither
    body = {"grant_type": "authorization_code", "client_id": client_id, "code": code, "redirect_uri": redirect_uri,
            "code_verifier": verifier, **({"client_secret": client_secret} if client_secret else {})}
    answer = token_request(http, oauth + TOKEN_PATH, body, "the authorization code")
    run.console.redactor.add(answer["access_token"], answer.get("refresh_token"))
    import httpx

    try:
        response = http.get(gateway + RESOURCES, headers={"Authorization": f"Bearer {answer['access_token']}",
                                                          "Accept": "application/json"})
        resources = response.json() if response.status_code == 200 else None
    except httpx.HTTPError as exc:
        raise ClientError(f"Cannot reach {gateway}{RESOURCES} for the sites of the login ({exc.__class__.__name__}): "
                          "check --gateway-url. Nothing was saved.") from None
    except ValueError as exc:
        raise RemoteError(f"{gateway}{RESOURCES} did not answer the sites of the login ({exc.__class__.__name__}): "
                          "check --gateway-url. Nothing was saved.", reason="unexpected") from None
    resource = site_resource(resources, site)
    if not CLOUD_ID.fullmatch(resource["id"]):
        raise RemoteError(f"{gateway}{RESOURCES} answered a cloudId atlctl does not use: nothing was saved.",
                          reason="unexpected")
    return {"access_token": answer["access_token"], "refresh_token": answer.get("refresh_token"),
            "expires_at": expiry(answer, time.time()), "scope": answer.get("scope") or resource.get("scopes"),
            "client_id": client_id, "token_url": oauth + TOKEN_PATH, "cloud_id": resource["id"], "site": site}


def scope_words(grant: dict) -> str:
    scope = grant.get("scope")
    return " ".join(scope) if isinstance(scope, list) else str(scope or "unknown")


def expiry_words(grant: dict) -> str:
    from datetime import datetime, timezone

    at = grant.get("expires_at")
    if not isinstance(at, (int, float)):
        return "unknown"
    when = datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return when + (" (expired: renewed with the refresh token at next use)" if at < time.time() else "")
