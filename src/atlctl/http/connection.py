"""The http layer's two pieces: a Pool (the transport to one server) and a Connection (that pool with
one auth scheme, for the whole process and all threads of a bulk run)."""

from __future__ import annotations

import hashlib
import http.cookiejar
import ipaddress
import itertools
import os
import re
import socket
import ssl
import time

import httpx

from atlctl import __version__
from atlctl.console import Console
from atlctl.auth.origin import origin
from atlctl.auth.strategy import is_login
from atlctl.errors import AtlctlError, ClientError, ParameterError, RemoteError, clause
from atlctl.http import validate
from atlctl.http.classify import (PLAIN, Situation, certificate_alert, classify, looks_like_login_page,
                                  refused_certificate, transport_error)
from atlctl.http.dialect import Dialect
from atlctl.http.retry import IDEMPOTENT, RetryPolicy, seconds

MAX_REDIRECTS = 5
TLS_PROBE = 0.5  # seconds a TLS server on the port may take to answer a handshake (one round trip)
MAX_BODY = 64 * 2**20  # an API answer larger than this, once decompressed, is refused
MAX_DOWNLOAD = 2 * 2**30  # a download (held in memory) larger than this, once decompressed, is refused
_DIGEST_KEY = os.urandom(16)  # a refused secret is remembered by a keyed digest of this process, never in clear


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """The client-wide jar stays empty: the session scheme keeps its own cookies, per origin, so a
    cookie can never ride along to another host or undo an explicit credential."""

    def set_ok(self, cookie, request):
        return False


def normalize_server(server: str) -> str:
    server = server.strip().rstrip("/")
    if server.lower() in ("http:", "https:"):  # a scheme and nothing else, not a host called "http"
        raise ClientError(f"Invalid server URL: {server}//. Give a URL such as https://jira.example.com.")
    if "://" not in server:
        server = "https://" + server
    try:
        url = httpx.URL(server)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ClientError(f"Invalid server URL: {server}. Give a URL such as https://jira.example.com.")
    if url.query or url.fragment:  # paths are appended to a base URL: a query would swallow them (not echoed)
        raise ClientError(f"Invalid server URL {url.scheme}://{url.netloc.decode('ascii')}{url.path}...: a base URL "
                          "has no query (?...) or fragment (#...).")
    if url.userinfo:  # httpx would send it as basic auth on any request, past every check here; never echo it
        raise ClientError("The --server URL must not hold credentials (user:password@): give the user with --user "
                          "and the secret with ATLCTL_PASSWORD / ATLCTL_TOKEN, --password - or a profile.")
    return server


def system_trust() -> ssl.SSLContext:
    """The system's certificate authorities. A hashed CA directory (Linux) is read certificate by
    certificate as issuers are needed, ~1 ms, where loading the whole bundle costs ~35 ms; the
    OpenSSL variables SSL_CERT_FILE/SSL_CERT_DIR win when set; without a system store, certifi's."""
    paths = ssl.get_default_verify_paths()
    if os.environ.get(paths.openssl_cafile_env) or os.environ.get(paths.openssl_capath_env):
        return ssl.create_default_context()
    if paths.capath and os.path.isdir(paths.capath):
        return ssl.create_default_context(capath=paths.capath)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Pool:
    """The transport to one server: TLS, proxy, timeout, retry policy and one httpx pool, shared by
    the anonymous discovery and the authenticated connection built after it."""

    def __init__(self, server: str, console: Console, dialect: Dialect = PLAIN, *, timeout: float = 60.0,
                 proxy: str | None = None, ca_bundle: str | None = None, insecure: bool = False,
                 client_cert: str | None = None, client_key: str | None = None):
        self.server = normalize_server(server)
        self.host = httpx.URL(self.server).host
        self.console = console
        self.dialect = dialect
        self.timeout = timeout
        self.insecure = insecure
        self.client_cert = bool(client_cert)
        self.proxy = proxy
        self._speaks_tls = None  # speaks_tls(), once known
        self.retry = RetryPolicy()
        self.clock = time.monotonic  # the deadline's clock (tests give their own)
        self.max_body = MAX_BODY
        self.max_download = MAX_DOWNLOAD
        hooks = {"request": [self._log_request], "response": [self._log_response]} if console.debug_on else {}
        verify = self._tls(ca_bundle, insecure, client_cert, client_key)
        try:
            self.client = httpx.Client(
                timeout=timeout,
                verify=verify,
                proxy=proxy,
                trust_env=not is_loopback(self.host),  # env proxies make no sense for loopback
                follow_redirects=False,
                cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
                headers={"User-Agent": f"atlctl/{__version__}", "Accept": "application/json", **dialect.headers},
                event_hooks=hooks,
            )
        except (ValueError, ImportError, httpx.InvalidURL) as exc:  # a malformed --proxy / *_PROXY, or SOCKS without socksio
            raise ClientError(f"Cannot use the proxy settings (--proxy or the *_PROXY variables): {_proxy_problem(exc)}") from None

    def _tls(self, ca_bundle, insecure, client_cert, client_key):
        if client_key and not client_cert:
            raise ParameterError("--client-key needs --client-cert: the client certificate the key belongs to.")
        if not self.server.startswith("https://"):
            return False  # plain http: no TLS context to build
        for option, path in (("--ca-bundle", ca_bundle), ("--client-cert", client_cert), ("--client-key", client_key)):
            if path and not (os.path.isfile(path) or option == "--ca-bundle" and os.path.isdir(path)):
                problem = "a directory, not a file" if os.path.isdir(path) else "no such file"
                raise ClientError(f"Cannot read the {option} file {path}: {problem}.")
        try:
            if insecure:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            elif ca_bundle:
                where = {"capath": ca_bundle} if os.path.isdir(ca_bundle) else {"cafile": ca_bundle}
                context = ssl.create_default_context(**where)
            else:
                context = system_trust()
            if client_cert:
                _check_client_files(client_cert, client_key)
                context.load_cert_chain(client_cert, client_key, password=_no_password)
        except _Encrypted:
            raise ParameterError(f"The private key in {client_key or client_cert} is encrypted: atlctl needs it "
                                 "unencrypted (openssl pkey -in KEY -out PLAIN-KEY), kept private.") from None
        except ssl.SSLError as exc:
            if "KEY_VALUES_MISMATCH" in str(exc):
                raise ParameterError(f"The private key in {client_key or client_cert} does not belong to the "
                                     f"--client-cert certificate {client_cert}: give the key it was issued "
                                     "with.") from None
            raise ClientError(f"Cannot use the TLS files given (--ca-bundle/--client-cert/--client-key): "
                              f"{clause(exc)}.") from None
        except OSError as exc:
            raise ClientError(f"Cannot use the TLS files given (--ca-bundle/--client-cert/--client-key): "
                              f"{clause(exc.strerror or exc)}.") from None
        return context

    def speaks_tls(self) -> bool:
        """Whether the server's port answers a TLS handshake (asked after plain http:// got no answer), once
        per process and for at most TLS_PROBE seconds: only a hint, it must not make a dropped connection
        slower to report. Not through a proxy: there the port reached is the proxy's."""
        if self._speaks_tls is None:
            self._speaks_tls = self._probe_tls()
        return self._speaks_tls

    def _probe_tls(self) -> bool:
        if self.proxy or not is_loopback(self.host) and _environment_proxy(self.server):
            return False
        url = httpx.URL(self.server)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # only whether it speaks TLS
        try:
            with socket.create_connection((url.host, url.port or 80), timeout=min(self.timeout, TLS_PROBE)) as sock:
                with context.wrap_socket(sock, server_hostname=url.host):
                    return True
        except ssl.SSLError as exc:  # a TLS alert (a client certificate wanted...) is TLS too
            return "ALERT" in str(exc).upper()
        except OSError:
            return False

    def refuse_cleartext(self, server: str | None = None) -> None:
        """Credentials never travel in clear text to another machine (checked before any request); `server`:
        another URL they go to (the Cloud gateway), else the pool's server."""
        server = server or self.server
        host = httpx.URL(server).host
        if server.startswith("http://") and not is_loopback(host) and not self.insecure:
            raise ClientError(
                f"Refusing to send credentials over plain http:// to {host}: anyone on the network could read "
                "them. Use an https:// server URL, or --insecure if you accept the risk."
            )

    def close(self) -> None:
        self.client.close()

    # --debug: every request and response, secrets masked
    def _log_request(self, request: httpx.Request) -> None:
        log = self.console.debug
        log(f"> {request.method} {self.console.redactor.url(str(request.url))}")
        for name, value in request.headers.multi_items():
            log(f"> {name}: {self.console.redactor.header(name, value)}")
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/"):
            log(f"> [multipart body, {request.headers.get('content-length', '?')} bytes]")
        else:
            try:
                body = request.content
            except httpx.RequestNotRead:
                body = b"[streamed body]"
            if body:
                log("> " + self.console.redactor.body(body[:4000], content_type))

    def _log_response(self, response: httpx.Response) -> None:
        log = self.console.debug
        log(f"< {response.status_code} {response.reason_phrase} ({response.request.method} {self.console.redactor.url(response.request.url.path)})")
        for name, value in response.headers.multi_items():
            log(f"< {name}: {self.console.redactor.header(name, value)}")

    def log_body(self, response: httpx.Response) -> None:
        """--debug: the body, once read within the caps (the response hook runs before it is read)."""
        log = self.console.debug
        content_type = response.headers.get("content-type", "")
        if response.content and ("json" in content_type or "text" in content_type):
            log("< " + self.console.redactor.body(response.content[:4000], content_type))


class Connection:
    """One server, one auth scheme, for the whole process (and all threads of a bulk run): sending,
    retries, redirects, response validation and failure classification live here once."""

    def __init__(self, pool: Pool, auth: httpx.Auth | None = None, situation: Situation | None = None, *,
                 blocks: dict | None = None, secret: str | None = None, cookie_file: str | None = None,
                 session_cache=None):
        if auth is not None:
            pool.refuse_cleartext()
        self.pool = pool
        self.server = pool.server
        self.host = pool.host
        self.console = pool.console
        self.dialect = pool.dialect
        self.auth = auth
        self.situation = situation or Situation(pool.dialect.title)
        # (server, user) -> error after a lockout, (server, user, digest of the secret) -> error after a refusal:
        # shared by every connection of a process
        self.blocks = {} if blocks is None else blocks
        self._digest = hashlib.blake2b((secret or "").encode(), key=_DIGEST_KEY, digest_size=16).digest()
        self.cookie_file = cookie_file  # --cookies: the session is saved there, not ended
        self.session_cache = session_cache  # a profile's session_cache: likewise, in its secret store
        self.keep_session = False  # set by the login action: this session outlives the process

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.server + path

    @property
    def _block_keys(self):
        user = self.server, self.situation.user
        return user, (*user, self._digest)

    @property
    def blocked(self) -> AtlctlError | None:
        """After a CAPTCHA nothing more is sent for that user and server, and after refused credentials nothing
        more with the same secret, from any connection of the process: each attempt would prolong a lockout (or
        start one). Another secret for the user (a script line with the corrected password) is still tried."""
        locked, refused = self._block_keys
        return self.blocks.get(locked) or self.blocks.get(refused)

    def block(self, error: AtlctlError) -> None:
        locked, refused = self._block_keys
        self.blocks[locked if getattr(error, "reason", None) == "lockout" else refused] = error

    def send(self, method: str, path: str, *, params=None, json=None, data=None, files=None, content=None,
             headers=None, anonymous: bool = False, expect_json: bool = True, ok=(), answer: str | None = None,
             ) -> httpx.Response:
        """Send a request; return the response if it succeeded (2xx or a status in `ok`), else raise the
        classified error. Retries rate limits and transient failures per the retry policy.

        `answer` is what a success may carry (http/validate.py): JSON (the default, `expect_json`), EMPTY
        (a write: no body, or anything but an HTML page), BYTES (a download: anything but a login page,
        the default with expect_json=False) or PAGE (a web page: anything)."""
        if self.blocked is not None and not anonymous:
            raise self.blocked
        answer = answer or (validate.JSON if expect_json else validate.BYTES)
        url = self.url(path)
        retry = self.pool.retry
        asked = []  # per wait: whether the server's Retry-After set it (else atlctl's own backoff)
        for attempt in itertools.count():
            retry.wait_turn()
            for _, part in (files or {}).items():
                if hasattr(part[1], "seek"):
                    part[1].seek(0)  # a retried upload must send the whole file again
            try:
                response = self._exchange(method, url, answer, params=params, json=json, data=data, files=files,
                                          content=content, headers=headers, auth=None if anonymous else self.auth)
            except httpx.TransportError as exc:
                if _bad_location(exc):  # httpx parses Location even when not following it
                    raise RemoteError(f"{self.server} answered {method} {httpx.URL(url).path} with a redirect to a "
                                      "Location that is not a valid URL: the server or a proxy in front of it is "
                                      "misconfigured.", reason="unexpected") from None
                if self._retry_transport(method, exc, attempt):
                    continue
                raise self._transport_failure(method, url, exc) from None
            if response.is_success or response.status_code in ok:
                validate.refuse_page(response, answer, self.situation, self.dialect)  # an SSO proxy's login page [§9]
                return response
            delay = retry.delay(method, response.status_code, response.headers.get("Retry-After"), attempt)
            if delay is not None:
                asked.append(seconds(response.headers.get("Retry-After")) is not None)
                self.console.info(f"HTTP {response.status_code} from {method} {response.request.url.path}; retrying in {delay:g} s")
                if response.status_code == 429:
                    retry.pause_all(delay)
                else:
                    time.sleep(delay)
                continue
            error = classify(response, self.situation, self.dialect)
            if getattr(error, "reason", None) == "lockout" or self._refuses_credentials(response, error):
                self.block(error)
            raise self._said_why_not_again(error, response, attempt, asked)

    def _said_why_not_again(self, error: AtlctlError, response: httpx.Response, attempt: int, asked: list) -> AtlctlError:
        """What the retries did, as they happened: a wait asked for that is too long (after how many tries),
        or every try used, each wait the server's own or atlctl's backoff."""
        max_wait = self.pool.retry.max_wait
        wait = seconds(response.headers.get("Retry-After"))
        said = ""
        if wait is not None and wait > max_wait:
            said = (f"The server asked to wait {wait:g} s before retrying, longer than the {max_wait:g} s atlctl waits "
                    "at most, so atlctl " + (f"stopped after {attempt + 1} tries" if attempt else "did not wait")
                    + ": retry later.")
        elif attempt and response.status_code == 429:
            how = ("waiting as asked" if all(asked) else
                   "backing off between them (the server did not say how long to wait)" if not any(asked) else
                   "waiting as asked where the server said how long, else backing off")
            said = f"atlctl gave up after {attempt + 1} tries, {how}."
        if said and isinstance(error, RemoteError):
            return RemoteError(f"{error} {said}", error.status, error.reason)
        return error

    def _exchange(self, method: str, url: str, answer: str, *, auth, **kwargs) -> httpx.Response:
        """One request and its whole answer, read within the total deadline (--timeout) and the size cap:
        a server dripping bytes or a compression bomb is stopped, not waited for."""
        pool = self.pool
        request = pool.client.build_request(method, url, **kwargs)
        deadline = pool.clock() + pool.timeout
        try:
            response = pool.client.send(request, auth=auth, stream=True)
        except httpx.DecodingError:  # an auth flow (or a transport) read the body already
            raise self._undecodable(method, request.url.path, None) from None
        limit = pool.max_body if answer in (validate.JSON, validate.EMPTY) else pool.max_download
        try:
            chunks, size = [], 0
            try:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise RemoteError(
                            f"{self.server} answered {method} {response.request.url.path} with more than "
                            f"{limit / 2**20:g} MiB{_encoded(response)}: atlctl stops reading (a damaged or hostile "
                            "answer).", reason="unexpected")
                    if pool.clock() > deadline:
                        raise ClientError(
                            f"No complete answer from {url} within {pool.timeout:g} s (--timeout is the total time "
                            "allowed per request; the server was still sending). Check the server, or raise --timeout.")
                    chunks.append(chunk)
            except httpx.DecodingError:
                raise self._undecodable(method, response.request.url.path, response.headers.get('content-encoding')) from None
            response._content = b"".join(chunks)  # what response.read() would have set
        finally:
            response.close()
        if answer in (validate.JSON, validate.EMPTY) or not response.is_success:  # not a download's content
            validate.refuse_deep(response, f"{self.server} answered {method} {response.request.url.path}")
        if self.console.debug_on:
            pool.log_body(response)
        return response

    def _undecodable(self, method: str, path: str, encoding: str | None) -> RemoteError:
        return RemoteError(
            f"{self.server} answered {method} {path} with a body that cannot be decoded as its Content-Encoding "
            f"{f'({encoding}) ' if encoding else ''}says: a damaged answer, or a proxy in the way.", reason="unexpected")

    def _refuses_credentials(self, response: httpx.Response, error: AtlctlError) -> bool:
        """A 401 to credentials sent with every request, or a refused login: the same ones would fail
        again (and count towards a CAPTCHA), e.g. on every line of a run script with --continue."""
        if is_login(response.request):
            return response.status_code in (401, 403)
        return (response.status_code == 401 and self.situation.scheme in ("basic", "token")
                and getattr(error, "reason", None) not in ("elevation", "not_permitted", "scope"))

    def _retry_transport(self, method: str, exc: httpx.TransportError, attempt: int) -> bool:
        if attempt >= 1 or isinstance(exc, httpx.ConnectTimeout):
            return False
        if isinstance(exc, httpx.ConnectError) and "CERTIFICATE" not in str(exc):
            return True  # nothing was sent: safe for any method
        return method in IDEMPOTENT and isinstance(exc, (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError))

    def _transport_failure(self, method: str, url: str, exc: httpx.TransportError) -> AtlctlError:
        pool = self.pool
        sent = isinstance(exc, (httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError))
        if sent and method not in IDEMPOTENT:
            refused = refused_certificate(exc, url, pool.client_cert)
            if refused is not None and certificate_alert(exc):  # refused in the handshake: nothing was done
                return refused
            path = httpx.URL(url).path
            if isinstance(exc, httpx.ReadTimeout):
                return OutcomeUnknown(
                    f"No answer to {method} {path} within {pool.timeout:g} s: the server may or may not have done "
                    "it (check before running it again), so atlctl does not repeat it. If the server is only "
                    "slow, raise --timeout.")
            return OutcomeUnknown(
                f"The connection was lost after sending {method} {path}: the server may or may not "
                "have done it, so atlctl does not repeat it. Check the result before retrying."
                + (f" If every request ends so: {refused}" if refused is not None else ""))
        return transport_error(exc, url, pool.timeout, client_cert=pool.client_cert, server=self.server,
                               speaks_tls=pool.speaks_tls)

    def json(self, method: str, path: str, *, expect=None, **kwargs):
        """Send and decode the JSON answer, checked against `expect` (see http/validate.py) and the
        product's dialect: anything else is explained, never a traceback. A write whose answer may be
        empty (`expect` None, not a GET) gives None for no body."""
        response = self.send(method, path, **kwargs)
        what = f"{self.server} answered {method} {response.request.url.path}"
        if not response.content.strip() and (response.status_code == 204 or method != "GET") and expect is None:
            data = None
        else:
            data = validate.decode(response, what)
        error = self.dialect.body_error(response, data)
        if error is not None:
            raise error
        if expect is not None:
            validate.check(data, expect, what)
        return data

    def get_json(self, path: str, **kwargs):
        return self.json("GET", path, **kwargs)

    def download(self, url: str) -> httpx.Response:
        """GET that follows redirects by hand: credentials go only to the server's own origin (the auth
        schemes check every hop), so a redirect to a CDN or another host gets none. A login page at
        the end of the redirects is refused, never saved as the file."""
        hops = []
        for _ in range(MAX_REDIRECTS + 1):
            response = self.send("GET", url, answer=validate.PAGE, ok=(301, 302, 303, 307, 308))
            if not response.has_redirect_location:
                if looks_like_login_page(response):
                    raise ClientError(
                        (f"The download was redirected to {_without_query(url)}, which answered" if hops else
                         f"{_without_query(url)} answered the download") + " with an HTML login page, not the file"
                        + (" (credentials are never sent to another origin)" if origin(url) != origin(self.server) else "")
                        + ". Ask your administrator for the URL that serves attachments directly, or use a personal "
                        "access token if a single sign-on proxy is in the way.")
                return response
            hops.append(url)
            try:
                url = str(response.request.url.join(response.headers["Location"]))
            except httpx.InvalidURL:
                raise RemoteError(f"{self.server} redirected the download to a Location that is not a valid URL.",
                                  reason="unexpected") from None
        raise ClientError(f"Too many redirects while downloading {url}.")

    def end_session(self) -> None:
        """End the session this connection rides (the logout action): the server forgets it, and so does atlctl."""
        logout_path = self.auth.strategy.logout_path
        if logout_path:
            self.send("DELETE", logout_path, expect_json=False)
        self.auth.cookies.clear()

    def close(self) -> None:
        """Save the session to the cookie file, or end a session this process opened, then close
        the pool. Failures here only get a --verbose note: the action's outcome is already known."""
        from atlctl.auth.session import SessionAuth

        auth = self.auth
        try:
            if isinstance(auth, SessionAuth) and self.cookie_file:  # also after a logout: no dead session kept
                from atlctl.http import cookiefile

                cookiefile.save(self.cookie_file, self.server, auth.cookies, self.server.startswith("https://"),
                                auth.owner)
            elif isinstance(auth, SessionAuth) and self.session_cache is not None:
                self.session_cache.save(auth.cookies if self.blocked is None else {})
            elif isinstance(auth, SessionAuth) and auth.session_id:
                logout = auth.logout_request()
                if logout is not None and auth.created and not self.keep_session and self.blocked is None:
                    self.pool.client.send(logout)
                    self.console.info("Logged out (session ended)")
        except (httpx.HTTPError, OSError, UnicodeError, AtlctlError) as exc:
            self.console.info(f"Could not end or save the session: {exc.__class__.__name__}")
        finally:
            self.pool.close()


def _bad_location(exc: Exception) -> bool:
    return isinstance(exc, httpx.RemoteProtocolError) and "location header" in str(exc).lower()


def _encoded(response: httpx.Response) -> str:
    encoding = response.headers.get("content-encoding")
    return f" once decompressed (Content-Encoding: {encoding})" if encoding else ""


def _without_query(url: str) -> str:
    return str(httpx.URL(url).copy_with(query=None))


def _proxy_problem(exc: Exception) -> str:
    if isinstance(exc, ImportError):
        return "SOCKS proxies need the socksio package (pip install 'httpx[socks]')."
    return "give a URL such as http://proxy.example.com:3128 (scheme http, https or socks5)."


PEM_CERTIFICATE = re.compile(rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----")
PEM_KEY = re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")


def _check_client_files(client_cert: str, client_key: str | None) -> None:
    """What ssl's load_cert_chain would only call "PEM lib": a file that is not what its option says."""
    def read(option: str, path: str) -> bytes:
        try:
            with open(path, "rb") as file:
                return file.read()
        except OSError as exc:
            raise ClientError(f"Cannot read the {option} file {path}: {clause(exc.strerror or exc)}.") from None

    cert = read("--client-cert", client_cert)
    if not PEM_CERTIFICATE.search(cert):
        raise ParameterError(
            f"The --client-cert file {client_cert} is not a certificate (no PEM CERTIFICATE block)"
            + (": it holds a private key; give it as --client-key, and the certificate as --client-cert."
               if PEM_KEY.search(cert) else "; give the client certificate in PEM format."))
    if client_key is not None and not PEM_KEY.search(read("--client-key", client_key)):
        raise ParameterError(f"The --client-key file {client_key} has no private key (no PEM PRIVATE KEY block).")
    if client_key is None and not PEM_KEY.search(cert):
        raise ParameterError(f"The --client-cert file {client_cert} has no private key: give the key's file with "
                             "--client-key.")


class _Encrypted(Exception):
    pass


def _no_password():
    raise _Encrypted  # never OpenSSL's own prompt on the terminal


def _environment_proxy(server: str) -> bool:
    import urllib.request

    host = httpx.URL(server).host
    return bool(urllib.request.getproxies().get("http")) and not urllib.request.proxy_bypass(host)


class OutcomeUnknown(ClientError):
    """A non-idempotent request whose outcome is unknown (connection lost after sending)."""
