"""The failure classifier end to end, plus the transport rules: SSO login pages, rate limits, server
errors, lost connections, TLS trust, redirects to other hosts, .netrc and proxies never replacing
explicit credentials, no credentials over plain http."""

import http.server
import json
import os
import shutil
import ssl
import subprocess
import threading
import time

import pytest

from tests.e2e.conftest import DAVE_PASSWORD
from tests.canned import Canned
from tests.helpers import run

DAVE = ["--user", "dave", "--password", DAVE_PASSWORD]


def test_sso_login_page_instead_of_json(dc):
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/myself", "kind": "html_login"}]}})
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE)
    assert outcome.code == 255
    assert "HTML login page" in outcome.err and "single sign-on proxy" in outcome.err


def test_rate_limit_waits_for_retry_after_then_succeeds(dc):
    dc.settings({"jira": {"rate_limit": {"requests": 2, "interval_seconds": 1}}})
    outcome = run("jira", "getIssueList", "--server", dc.jira, *DAVE, "--jql", "project = DEMO", "--verbose")
    assert outcome.code == 0, outcome.err
    retried = run("jira", "transitionIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1",
                  "--transition", "Start Progress", "--verbose")
    assert retried.code == 0, retried.err
    assert "HTTP 429" in outcome.err + retried.err and "retrying in" in outcome.err + retried.err


def test_rate_limit_longer_than_we_wait_fails_clearly(dc):
    dc.settings({"jira": {"rate_limit": {"requests": 1, "interval_seconds": 3600}}})
    outcome = run("jira", "transitionIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1", "--transition", "Start Progress")
    assert outcome.code == 253
    assert "Rate limited by the server (HTTP 429)" in outcome.err and "Retry later" in outcome.err


def test_server_error_is_retried_for_reads(dc):
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/issue/DEMO-1", "kind": "status", "status": 503, "count": 1}]}})
    outcome = run("jira", "getIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1")
    assert outcome.code == 0, outcome.err


def test_server_error_on_create_is_reported_not_retried(dc):
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "status", "status": 500}]}})
    outcome = run("jira", "createIssue", "--server", dc.jira, *DAVE, "--project", "DEMO", "--type", "Task",
                  "--summary", "x")
    assert outcome.code == 253 and "server error (HTTP 500)" in outcome.err
    assert "may or may not have been done: check before sending it again" in outcome.err


def test_server_error_on_a_read_says_what_to_do(dc):
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/issue/DEMO-1", "kind": "status", "status": 500}]}})
    outcome = run("jira", "getIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1")
    assert outcome.code == 253 and "Jira server error (HTTP 500)" in outcome.err
    assert "Try again later; if it goes on, tell the server's administrator (--debug shows the answer)." in outcome.err


def test_connection_dropped_after_sending_a_create(dc):
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "drop"}]}})
    outcome = run("jira", "createIssue", "--server", dc.jira, *DAVE, "--project", "DEMO", "--type", "Task",
                  "--summary", "x")
    assert outcome.code == 255
    assert "may or may not have done it" in outcome.err and "Traceback" not in outcome.err


def test_no_answer_to_a_create_within_the_timeout_may_have_been_done(sandbox):
    """The slow server finishes the create after atlctl gave up: the message says it may have been done."""
    bitbucket = ["--server", sandbox.url + "/bitbucket", "--user", "admin", "--password", "admin"]
    sandbox.settings({"bitbucket": {"faults": [{"path": "/rest/api/1.0/projects/DEMO/repos", "method": "POST",
                                                "kind": "slow", "seconds": 3, "count": 1}]}})
    outcome = run("bitbucket", "createRepository", *bitbucket, "--project", "DEMO", "--repository", "slowrepo",
                  "--timeout", "1")
    assert outcome.code == 255
    assert ("No answer to POST /bitbucket/rest/api/1.0/projects/DEMO/repos within 1 s: the server may or may not "
            "have done it (check before running it again)") in outcome.err and "raise --timeout" in outcome.err
    for _ in range(200):  # the sandbox finishes it, as a real server would (bounded, never a hang)
        found = run("bitbucket", "getRepository", *bitbucket, "--project", "DEMO", "--repository", "slowrepo")
        if found.code == 0:
            break
        time.sleep(0.05)
    assert found.code == 0, found.err


def test_debug_log_masks_every_secret(dc):
    outcome = run("jira", "getIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1", "--debug")
    assert outcome.code == 0
    assert "> POST " in outcome.err and "< 200" in outcome.err and "JSESSIONID=****" in outcome.err
    # run() already fails the test if DAVE_PASSWORD shows; the session id must not either
    session_ids = [line.split("JSESSIONID=", 1)[1][:4] for line in outcome.err.splitlines() if "JSESSIONID=" in line]
    assert session_ids and all(value == "****" for value in session_ids)


def test_netrc_never_replaces_explicit_credentials(dc, tmp_path, monkeypatch):
    (tmp_path / ".netrc").write_text("machine 127.0.0.1 login admin password admin\n")
    os.chmod(tmp_path / ".netrc", 0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(tmp_path / ".netrc"))
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE, "--output", "json")
    assert outcome.code == 0 and json.loads(outcome.out)["name"] == "dave"
    anonymous = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave")
    assert anonymous.code == 254  # no secret given: .netrc does not quietly fill it in


def test_proxy_environment_never_carries_our_credentials(dc, monkeypatch):
    """A proxy from the environment is ignored for loopback and can never replace the credentials."""
    monkeypatch.setenv("HTTP_PROXY", "http://proxyuser:proxypass@127.0.0.1:9")
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE, "--output", "json")
    assert outcome.code == 0 and json.loads(outcome.out)["name"] == "dave"


def test_no_credentials_over_plain_http_to_another_host():
    outcome = run("jira", "getCurrentUser", "--server", "http://jira.example.invalid", *DAVE)
    assert outcome.code == 255 and "Refusing to send credentials over plain http://" in outcome.err


def _serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_credentials_never_follow_a_redirect_to_another_host():
    """A download whose URL redirects elsewhere (as Cloud attachments do, to a media host) is fetched from
    the other host with no Authorization header; the server's own origin gets the credentials."""
    seen = {}

    class Other(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen["other"] = {k.lower() for k in self.headers.keys()}
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"bytes")

        def log_message(self, *args):
            pass

    other, other_url = _serve(Other)

    class Origin(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen["origin"] = {k.lower() for k in self.headers.keys()}
            self.send_response(302)
            self.send_header("Location", other_url + "/file")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    origin, origin_url = _serve(Origin)
    import io

    from atlctl.auth.basic import BasicAuth
    from atlctl.console import Console
    from atlctl.environment import Environment
    from atlctl.http.connection import Connection, Pool

    pool = Pool(origin_url, Console(Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})))
    conn = Connection(pool, BasicAuth(origin_url, "dave", DAVE_PASSWORD))
    try:
        assert conn.download(origin_url + "/attachment/1").content == b"bytes"
    finally:
        conn.close()
        origin.shutdown()
        other.shutdown()
    assert "authorization" in seen["origin"]
    assert "authorization" not in seen["other"] and "cookie" not in seen["other"]


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """A local HTTPS Jira stand-in with a self-signed certificate for 127.0.0.1."""
    if not shutil.which("openssl"):
        pytest.skip("openssl not available to make a test certificate")
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = Canned(tls=context)
    yield server.url, str(cert)
    server.close()


def test_tls_verification_failure_names_the_fix(tls_server):
    url, _ = tls_server
    outcome = run("jira", "getServerInfo", "--server", url)
    assert outcome.code == 255
    assert "TLS certificate verification failed for 127.0.0.1" in outcome.err and "--ca-bundle" in outcome.err


def test_ca_bundle_trusts_the_private_authority(tls_server):
    url, cert = tls_server
    outcome = run("jira", "getServerInfo", "--server", url, "--ca-bundle", cert)
    assert outcome.code == 0, outcome.err and "Version . . . . . . . : 9.12.4" in outcome.out


def test_insecure_skips_verification(tls_server):
    url, _ = tls_server
    assert run("jira", "getServerInfo", "--server", url, "--insecure").code == 0


def test_explicit_proxy_is_used(dc):
    """--proxy routes every request through the proxy."""
    from tests.proxy import ForwardProxy

    proxy = ForwardProxy()
    try:
        outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE, "--proxy", proxy.url)
    finally:
        proxy.close()
    assert outcome.code == 0, outcome.err
    assert ("POST", "/jira/rest/auth/1/session") in proxy.seen and ("GET", "/jira/rest/api/2/myself") in proxy.seen


@pytest.fixture(scope="module")
def mtls_server(tls_server, tmp_path_factory):
    """An HTTPS server that requires a client certificate signed by its own test authority."""
    directory = tmp_path_factory.mktemp("mtls")
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, csr, cert = directory / "client.key", directory / "client.csr", directory / "client.pem"
    server_cert, server_key = directory / "server.pem", directory / "server.key"
    openssl = lambda *args: subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca", "-keyout", ca_key, "-out", ca_cert)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=client", "-keyout", key, "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial", "-days", "2", "-out", cert)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", server_key, "-out", server_cert)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server_cert, server_key)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(ca_cert)
    server = Canned(tls=context)
    yield server.url, str(server_cert), str(cert), str(key)
    server.close()


def test_client_certificate(mtls_server):
    url, server_cert, cert, key = mtls_server
    with_cert = run("jira", "getServerInfo", "--server", url, "--ca-bundle", server_cert, "--client-cert", cert,
                    "--client-key", key)
    assert with_cert.code == 0, with_cert.err
    without = run("jira", "getServerInfo", "--server", url, "--ca-bundle", server_cert)
    assert without.code == 255 and "wants a client certificate" in without.err and "--client-cert" in without.err
    missing = run("jira", "getServerInfo", "--server", url, "--client-cert", "/nonexistent.pem")
    assert missing.code == 255 and "/nonexistent.pem" in missing.err

