"""The failure classifier: turns a failed HTTP exchange into one error whose message says what
happened and how to fix it. The product's dialect explains its own bodies first (CAPTCHA, websudo,
its error format); the rules here know no product. Every rule names the server behaviour it
recognises (../shared/reference/server-behaviour.md section in brackets)."""

from __future__ import annotations

import ssl

import httpx

from atlctl.auth.strategy import SENT, is_login
from atlctl.errors import AtlctlError, ClientError, RemoteError, clause
from atlctl.http.dialect import Dialect, Situation
from atlctl.http.retry import IDEMPOTENT, seconds

PLAIN = Dialect()


def is_html(response: httpx.Response) -> bool:
    return "html" in response.headers.get("content-type", "").lower()


def looks_like_login_page(response: httpx.Response) -> bool:
    if not is_html(response):
        return False
    text = response.text.lower()
    return "password" in text and ("<form" in text or "login" in text or "sign in" in text)


def classify(response: httpx.Response, situation: Situation, dialect: Dialect = PLAIN) -> AtlctlError:
    explained = dialect.explain(response, situation)
    if explained is not None:
        return explained
    status = response.status_code
    title = situation.title
    message = dialect.message(response)
    if status == 429:  # [§1.9, §4.7]
        wait = seconds(response.headers.get("Retry-After"))
        return RemoteError(
            f"Rate limited by the server (HTTP 429){f', it asks to wait {wait:g} s' if wait is not None else ''}. "
            "Retry later, or lower --threads.", status
        )
    if is_login(response.request) and status in (401, 403):  # [§1.2]
        return RemoteError(f"Login failed for user {situation.user}: wrong user name or password. "
                           f"{dialect.user_hint(situation)}{dialect.lockout_advice.format(title=title)}")
    if status == 401:
        return _unauthorized(situation, dialect, message)
    if 300 <= status < 400:
        return _redirected(response)
    if is_html(response) and 200 <= status < 300:
        return _html_instead_of_json(response)
    if status >= 500:
        advice = ("Try again later; if it goes on, tell the server's administrator (--debug shows the answer)."
                  if response.request.method in IDEMPOTENT else
                  "The change it asked for may or may not have been done: check before sending it again; if "
                  "it goes on, tell the server's administrator (--debug shows the answer).")
        return RemoteError(f"{title} server error (HTTP {status}){': ' + message if message else ''}. {advice}",
                           status)
    return RemoteError(message or f"HTTP {status} {response.reason_phrase}.", status)


def _unauthorized(situation: Situation, dialect: Dialect, message: str) -> AtlctlError:
    title = situation.title
    if situation.scheme == "basic":  # [§1.1]
        return RemoteError(
            f"{title} rejected the user name or password for {situation.user} (basic auth). "
            f"{dialect.user_hint(situation)}{dialect.lockout_advice.format(title=title)}"
        )
    if situation.scheme == "token":  # [§1.5, §9.2]
        return RemoteError(f"{title} rejected the {dialect.token_name}: it is wrong, expired or revoked. "
                           f"{dialect.token_advice}")
    if situation.scheme == "session":  # [§1.2]
        return RemoteError(
            "The session has expired or was logged out and could not be renewed. Run the login action again, "
            "or give --password so atlctl logs in automatically."
        )
    return RemoteError(
        f"{message or 'Authentication required'} Give --user and --password, or --token."
    )


SSO_FIX = ("Use a personal access token, which such proxies usually let through, or ask your administrator for "
           "the API URL that bypasses the proxy.")
LOGIN_WORDS = ("login", "signin", "sign-in", "sso", "saml", "oauth", "auth", "idp", "adfs", "okta")


def _html_instead_of_json(response: httpx.Response) -> AtlctlError:
    return ClientError(
        f"Expected the API's answer from {response.request.url.copy_with(query=None)} but got "
        f"{'an HTML login page' if looks_like_login_page(response) else 'an HTML page'}: a single "
        f"sign-on proxy (Okta, ADFS, ...) is probably in front of the server. {SSO_FIX}"
    )


def _redirected(response: httpx.Response) -> AtlctlError:
    """A redirect where the API's answer was expected: say where to, never guess a login page from nothing."""
    request, status = response.request, response.status_code
    location = response.headers.get("Location", "").strip()
    head = f"{request.url.copy_with(query=None)} answered {request.method} with a redirect (HTTP {status})"
    if not location:
        return RemoteError(f"{head} without a Location: the server or a proxy in front of it is misconfigured.",
                           status, reason="unexpected")
    try:
        target = request.url.join(location)
    except httpx.InvalidURL:
        return RemoteError(f"{head} to a Location that is not a valid URL.", status, reason="unexpected")
    elsewhere = (target.scheme, target.host, target.port) != (request.url.scheme, request.url.host, request.url.port)
    where = f" to {target.copy_with(query=None)}" + (" (another origin)" if elsewhere else "")
    if any(word in target.path.lower() for word in LOGIN_WORDS):
        return ClientError(f"{head}{where}, a sign-in page: a single sign-on proxy (Okta, ADFS, ...) is probably in "
                           f"front of the server. {SSO_FIX}")
    return RemoteError(f"{head}{where}; atlctl does not follow redirects of API calls (credentials stay with "
                       "--server). Give the URL it redirects to as --server (https:// rather than http://, the right "
                       "context path).", status, reason="unexpected")


def _ssl_cause(exc: BaseException):
    """The ssl error behind an httpx error (httpcore wraps it once more)."""
    seen = exc.__cause__ or exc.__context__
    for _ in range(5):
        if seen is None or isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


# OpenSSL's verify codes (X509_V_ERR_*) that have a fix of their own
EXPIRED, HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH = 10, 62, 64


def _verification_failed(host: str, cause, text: str) -> AtlctlError:
    code, reason = getattr(cause, "verify_code", None), clause(getattr(cause, "verify_message", None) or text)
    if code in (HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH):  # an IP address in --server is one of the names
        return ClientError(
            f"The TLS certificate of {host} is for other names ({reason}): use a --server host name that the "
            "certificate names, or ask the server's administrator for a certificate that names this one."
        )
    if code == EXPIRED:
        return ClientError(
            f"The TLS certificate of {host} has expired ({reason}): the server's administrator must renew it. "
            "If it looks valid in a browser, check this machine's clock."
        )
    return ClientError(
        f"TLS certificate verification failed for {host}: {reason}. If your organisation uses its own certificate "
        "authority, pass its PEM file (or a hashed directory) with --ca-bundle; --insecure skips verification "
        "(not recommended)."
    )


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


NO_RESPONSE = "without sending a response"  # httpcore: the server hung up before a byte of its answer


CERTIFICATE_ALERTS = ("UNKNOWN_CA", "BAD_CERTIFICATE", "CERTIFICATE_EXPIRED", "CERTIFICATE_REVOKED",
                      "UNSUPPORTED_CERTIFICATE", "ACCESS_DENIED")


def certificate_alert(exc: httpx.TransportError) -> str | None:
    """The TLS alert a server sent about the client's certificate: the request was not served."""
    return next((name for name in CERTIFICATE_ALERTS if name in str(exc)), None)


def refused_certificate(exc: httpx.TransportError, url, client_cert: bool) -> AtlctlError | None:
    """A server that rejects the client certificate offered: with TLS 1.3 the handshake completes before
    the server checks it, so the client sees the server's alert, or just a hang-up, on its first read."""
    text = str(exc)
    if "CERTIFICATE_REQUIRED" in text or (("BAD_CERTIFICATE" in text or "UNKNOWN_CA" in text) and not client_cert):
        return ClientError(
            f"{httpx.URL(str(url)).host} refused the TLS connection because it wants a client certificate it trusts "
            "(mutual TLS): give --client-cert (and --client-key) issued by your organisation."
        )
    alert = certificate_alert(exc)
    hung_up = isinstance(exc, httpx.RemoteProtocolError) and NO_RESPONSE in text
    if client_cert and str(url).startswith("https://") and (alert or hung_up):
        how = (f"refused the client certificate given with --client-cert (TLS alert {alert})" if alert else
               "closed the connection right after the TLS handshake without answering: it probably refused the "
               "client certificate given with --client-cert")
        return ClientError(f"{httpx.URL(str(url)).host} {how}. It must be issued by a certificate authority the "
                           "server trusts for clients, be valid now and be meant for client authentication; ask the "
                           "server's administrator which one it accepts.")
    return None


def transport_error(exc: httpx.TransportError, url, timeout: float, client_cert: bool = False,
                    server: str = "", speaks_tls=None) -> AtlctlError:
    """Connection-level failures, with the fix for each. `client_cert`: one was offered; `server`: the
    --server the request was for, context path included; `speaks_tls`: a callable that tells whether the
    server answers a TLS handshake (asked only when plain http:// got no answer). The URL named is the one
    that failed: the request the auth flow sent (the API gateway's, when it routed there), else `url`."""
    failed = _failed_request(exc)
    check = "Check --server and your network or proxy"
    if failed is not None:
        if failed.extensions.get(SENT):
            from atlctl.auth.gateway import UNREACHABLE  # Cloud's gateway code, loaded only when it failed

            url, check = failed.url.copy_with(query=None), UNREACHABLE
    text = str(exc)
    cause = _ssl_cause(exc)
    if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
        return _verification_failed(httpx.URL(str(url)).host, cause, text)
    refused = refused_certificate(exc, url, client_cert)
    if refused is not None:
        return refused
    if str(url).startswith("https://") and ("WRONG_VERSION_NUMBER" in text or "record layer failure" in text
                                            or "http request" in text.lower()):
        # a plain http server answered the TLS handshake: the usual cause is a --server without a scheme
        base = server if server and str(url).startswith(server) else _origin(str(url))  # keep a context path (/jira)
        return ClientError(f"{url} does not speak TLS (https:// is assumed when --server has no scheme): did you mean "
                           f"{'http://' + base[len('https://'):]}?")
    if isinstance(exc, httpx.TimeoutException):
        return ClientError(f"No answer from {url} within {timeout:g} s. Check the server, or raise --timeout.")
    if isinstance(exc, httpx.ConnectError):
        return ClientError(f"Cannot connect to {url}: {clause(text) or 'connection failed'}. {check}.")
    if isinstance(exc, httpx.RemoteProtocolError):
        if str(url).startswith("http://") and NO_RESPONSE in text and speaks_tls is not None and speaks_tls():
            # a TLS server drops a request sent in clear text (some answer 400 "plain HTTP request ... to HTTPS port")
            base = server if server and str(url).startswith(server) else _origin(str(url))
            return ClientError(f"{url} closed the connection without answering: the server speaks HTTPS: use "
                               f"{'https://' + base[len('http://'):]}.")
        # a server that wants a client certificate may just hang up after a TLS 1.3 handshake
        hint = (" If the server requires a client certificate (mutual TLS), give --client-cert (and --client-key)."
                if str(url).startswith("https://") and not client_cert else "")
        return ClientError(f"The connection to {url} was closed before a complete answer: {clause(text)}.{hint}")
    if isinstance(exc, httpx.LocalProtocolError):  # its message quotes the bad header, which may be a secret
        return ClientError(f"atlctl could not send the request to {url}: a header value is not valid HTTP (often a "
                           "secret with a trailing newline or carriage return). Check the credentials' values.")
    return ClientError(f"Network error talking to {url}: {clause(text) or exc.__class__.__name__}.")


def _failed_request(exc: httpx.TransportError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # raised without one
        return None
