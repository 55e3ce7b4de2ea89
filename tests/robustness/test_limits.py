"""Items 2, 7, 9 (the network half) and 11 of issue 9: no self-inflicted lockout with basic auth and
threads, output that cannot be written, a total deadline per request and a cap on what an answer may
inflate to (with a clock the test controls and bytes counted, never wall time), and the messages."""

from __future__ import annotations

import gzip
import io

import httpx
import pytest

from atlctl.console import Console
from atlctl.environment import Environment
from atlctl.errors import ClientError, RemoteError
from atlctl.http.classify import Situation
from atlctl.http.connection import Connection, Pool
from atlctl.auth.basic import BasicAuth
from atlctl.products.registry import product
from tests.e2e.conftest import DAVE_PASSWORD, checks
from tests.helpers import NO_CONFIG, run, secret
from tests.robustness.conftest import FakeTime
from tests.robustness.oddserver import JSON, OddServer, response

SERVER = "http://127.0.0.1:1/jira"
DAVE = ["--user", "dave", "--password", DAVE_PASSWORD]


def connection(handler, clock=None, timeout: float = 60.0) -> Connection:
    pool = Pool(SERVER, Console(Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})), product("jira"),
                timeout=timeout)
    pool.client._transport = httpx.MockTransport(handler)
    if clock is not None:
        pool.clock = clock.monotonic
    return Connection(pool, BasicAuth(SERVER, "dave", "pw"), Situation("Jira", "server", "basic", "dave"))


# -- 2. --auth basic --threads N with a wrong password: one password check --------------------------

def test_basic_auth_with_threads_and_a_wrong_password_checks_it_once(dc):
    wrong = secret("Wr0ng-basic-pw-19")
    before = checks(dc)
    outcome = run("jira", "runFromList", "--server", dc.jira, "--user", "dave", "--password", wrong, "--auth", "basic",
                  "--threads", "8", "--list", ",".join(f"DEMO-{i}" for i in range(1, 17)), "--continue",
                  "--common", "--action getIssue --issue @entry@")
    assert outcome.code == 255 and "16 actions failed" in outcome.err
    assert checks(dc) - before == 1  # not 8 at once, not 16 in all
    assert "refused the credentials for dave earlier in this run" in outcome.text


def test_basic_auth_with_threads_and_the_right_password_runs_in_parallel_after_the_first(dc):
    outcome = run("jira", "runFromList", "--server", dc.jira, *DAVE, "--auth", "basic", "--threads", "4",
                  "--list", "DEMO-1,DEMO-2,DEMO-3", "--common", "--action getIssue --issue @entry@")
    assert outcome.code == 0, outcome.err


# -- 7. output that cannot be written --------------------------------------------------------------

class Full(io.StringIO):
    def __init__(self, error: OSError):
        super().__init__()
        self.error = error

    def write(self, text):
        raise self.error


def _run_to(stdout, sandbox_url: str):
    from atlctl.cli.main import main

    stderr = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=stdout, stderr=stderr, environ={"ATLCTL_CONFIG": NO_CONFIG},
                      stdin_isatty=False, stderr_isatty=False)
    code = main(["jira", "getIssue", "--server", sandbox_url, *DAVE, "--issue", "DEMO-1"], env)
    return code, stderr.getvalue()


def test_no_space_on_stdout_is_exit_255(dc):
    code, err = _run_to(Full(OSError(28, "No space left on device")), dc.jira)
    assert code == 255 and err.strip() == "Client error: Cannot write the output to standard output: No space left on device."


def test_a_closed_stdout_is_exit_255(dc):
    closed = io.StringIO()
    closed.close()
    code, err = _run_to(closed, dc.jira)
    assert code == 255 and "standard output" in err


def test_a_pipe_closed_early_stays_141(dc):
    code, err = _run_to(Full(BrokenPipeError(32, "Broken pipe")), dc.jira)
    assert code == 141 and err == ""


def test_file_that_is_a_fifo_is_written_in_place(dc, tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    outcome = run("jira", "getIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1", "--file", fifo)
    reader.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced by a file"
    assert outcome.code == 0 and got and b"DEMO-1" in got[0]


def test_an_unwritable_file_is_exit_255(dc, tmp_path):
    outcome = run("jira", "getIssue", "--server", dc.jira, *DAVE, "--issue", "DEMO-1", "--file", tmp_path / "no" / "x")
    assert outcome.code == 255 and "Cannot write file" in outcome.err


# -- 9. a total deadline per request, a cap on the decompressed size ---------------------------------

class Drip(httpx.SyncByteStream):
    """One byte every 0.5 s of the test's clock, for ever (counted)."""

    def __init__(self, clock: FakeTime):
        self.clock = clock
        self.sent = 0

    def __iter__(self):
        while self.sent < 100_000:
            self.clock.now += 0.5
            self.sent += 1
            yield b" "


def test_a_dripping_server_meets_the_total_deadline():
    clock = FakeTime()
    drip = Drip(clock)
    conn = connection(lambda request: httpx.Response(200, headers=JSON, stream=drip), clock, timeout=10)
    with pytest.raises(ClientError) as caught:
        conn.get_json("/rest/api/2/myself")
    assert "within 10 s" in str(caught.value) and "total time allowed per request" in str(caught.value)
    assert drip.sent == 21  # 10 s of drip at 0.5 s a byte, and no more


def test_a_compression_bomb_is_stopped_at_the_cap():
    bomb = gzip.compress(b"[" + b"0," * 5_000_000 + b"0]")  # ~10 MB of JSON in ~10 kB

    def handler(request):
        return httpx.Response(200, headers={**JSON, "Content-Encoding": "gzip"}, content=bomb)

    conn = connection(handler)
    conn.pool.max_body = 2**20
    with pytest.raises(RemoteError) as caught:
        conn.get_json("/rest/api/2/field")
    assert "more than 1 MiB once decompressed (Content-Encoding: gzip)" in str(caught.value)
    assert caught.value.exit_code == 253


def test_garbage_gzip_is_a_remote_error():
    conn = connection(lambda request: httpx.Response(200, headers={**JSON, "Content-Encoding": "gzip"},
                                                     content=b"\x1f\x8bnot gzip"))
    with pytest.raises(RemoteError, match="cannot be decoded as its Content-Encoding"):
        conn.get_json("/rest/api/2/field")


# -- 11. the misleading messages ---------------------------------------------------------------

def _odd(answer: bytes, *argv, method_argv=None):
    server = OddServer()
    server.answer = answer
    try:
        return run("jira", *(method_argv or ["getIssue", "--issue", "A-1"]), "--server", server.url, "--deployment",
                   "server", *DAVE, "--auth", "basic", *argv)
    finally:
        server.close()


def test_an_empty_302_is_not_called_a_login_page():
    outcome = _odd(response(302, b"", {"Location": "/rest/api/latest/issue/A-1"}))
    assert outcome.code == 253 and "login page" not in outcome.err and "redirect (HTTP 302)" in outcome.err


def test_a_cross_origin_redirect_says_so():
    outcome = _odd(response(301, b"", {"Location": "https://elsewhere.example.com/rest/api/2/issue/A-1"}))
    assert outcome.code == 253 and "another origin" in outcome.err and "login page" not in outcome.err


def test_a_bad_location_on_a_post_is_not_a_lost_connection():
    outcome = _odd(response(302, b"", {"Location": "http://[::1"}),
                   method_argv=["createIssue", "--project", "DEMO", "--type", "Task", "--summary", "s"])
    assert outcome.code == 253 and "not a valid URL" in outcome.err and "connection was lost" not in outcome.err


def test_a_garbage_retry_after_is_not_printed(no_waiting):
    outcome = _odd(response(429, b"", {"Retry-After": "soon-ish"}))
    assert outcome.code == 253 and "soon-ish" not in outcome.err and "HTTP 429" in outcome.err


def test_a_503_asking_for_longer_than_the_cap_says_so(no_waiting):
    outcome = _odd(response(503, b"", {"Retry-After": "86400"}))
    assert outcome.code == 253 and "asked to wait 86400 s" in outcome.err and "longer than the 60 s" in outcome.err


def test_auth_status_verbose_names_the_stored_secret_not_a_flag(dc, home):
    from atlctl.credentials import keyring_store

    home.write_config(f'[profiles.work]\nproduct = "jira"\nserver = "{dc.jira}"\ndeployment = "server"\n'
                      'user = "dave"\npassword = "keyring"\n')
    keyring_store.put(home.env(), "work", DAVE_PASSWORD)
    outcome = home.run("auth", "status", "work", "--verbose")
    assert outcome.code == 0, outcome.err
    assert "secret from profile work: plaintext keyring" in outcome.err and "flag --password" not in outcome.err
