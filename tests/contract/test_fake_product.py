"""The product contract proved without Jira: a product defined only here (fake_product.py, client
side; fake_sandbox.py, server side) goes through selection, its login strategy (a session from the
first request's cookie), its error bodies, `auth matrix`, `--help` and a `run` script."""

import httpx
import pytest

from atlctl.actions.registry import REGISTRY
from atlctl.products import registry
from atlctl.sandbox.server import SandboxServer
from tests.contract import fake_product, fake_sandbox
from tests.helpers import run, secret

PASSWORD = secret("s3cret-Ann-pw")  # ann's, seeded by the fake sandbox
TOKEN = secret("fake-token-ann")


@pytest.fixture(scope="module")
def server():
    with SandboxServer(port=0, declarations=(fake_sandbox.NAME,)) as running:
        yield running


@pytest.fixture
def fake(server, monkeypatch):
    """The fake product registered on the client side, and a fresh fake sandbox."""
    monkeypatch.setitem(registry.PRODUCTS, fake_product.NAME, fake_product.__name__)
    monkeypatch.delitem(REGISTRY.actions, fake_product.NAME, raising=False)
    httpx.post(server.url + "/_sandbox/reset").raise_for_status()
    return server.url + "/fake"


def stats(base: str) -> dict:
    return httpx.get(base.rsplit("/", 1)[0] + "/_sandbox/stats").json()["products"]["fake"]


def test_session_from_the_first_request_one_password_check_for_a_script(fake, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("getCurrentUser\n" * 5 + "fakesite getServerInfo\n")
    outcome = run("fakesite", "run", "--file", script, "-s", fake, "-u", "ann", environ={"ATLCTL_PASSWORD": PASSWORD})
    assert outcome.code == 0, outcome.err
    assert outcome.out.count("Scheme  . . . . . . . : basic") == 1  # the first request logged in with basic
    assert outcome.out.count("Scheme  . . . . . . . : session") == 4  # the others rode its cookie
    assert "User  . . . . . . . . : ann" in outcome.out and "6 actions were successful" in outcome.out
    counted = stats(fake)
    assert counted["password_checks"] == 1 and counted["requests_by_auth"]["basic"] == 1


def test_basic_on_every_request(fake):
    outcome = run("fakesite", "getCurrentUser", "-s", fake, "-u", "ann", "--password", PASSWORD, "--auth", "basic")
    assert outcome.code == 0 and "Scheme  . . . . . . . : basic" in outcome.out
    assert stats(fake)["password_checks"] == 1


def test_token_as_bearer(fake):
    outcome = run("fakesite", "getCurrentUser", "-s", fake, "--token", TOKEN, "--verbose")
    assert outcome.code == 0 and "Scheme  . . . . . . . : bearer" in outcome.out
    assert "Authentication: token (a token as Bearer; row: Fakesite Local, a token, --auth auto/token -> token" in outcome.err
    assert stats(fake)["password_checks"] == 0


def test_capability_refused_up_front_by_the_row(fake):
    outcome = run("fakesite", "renderRequest", "-s", fake, "--token", TOKEN, "--request", "/x")
    assert (outcome.code, outcome.err) == (255, "Client error: Fakesite shows no pages to tokens.\n")
    assert stats(fake)["requests_by_auth"] == {"basic": 0, "session": 0, "bearer": 0, "anonymous": 0}


def test_refusal_rows_speak_with_the_products_words(fake):
    outcome = run("fakesite", "getCurrentUser", "-s", fake, "--password", PASSWORD)
    assert (outcome.code, outcome.err) == (254, "Fakesite needs --user and --password, or --token.\n")


def test_the_products_error_body_is_the_message(fake):
    outcome = run("fakesite", "getPath", "-s", fake, "--token", TOKEN, "--path", "/api/nothing")
    assert (outcome.code, outcome.err) == (253, "Remote error: no such path: /api/nothing\n")


def test_a_refused_first_request_is_a_failed_login_and_blocks_the_user(fake, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("getCurrentUser\ngetCurrentUser\n")
    outcome = run("fakesite", "run", "--file", script, "--continue", "-s", fake, "-u", "ann", "--password", "wrong")
    assert outcome.code == 255 and outcome.err.count("Login failed for user ann") == 2
    assert stats(fake)["password_checks"] == 1  # the second line sent nothing


def test_get_server_info_verifies_what_it_is_given(fake):
    anonymous = run("fakesite", "getServerInfo", "-s", fake)
    assert anonymous.code == 0 and "Greeting  . . . . . . : hello" in anonymous.out
    wrong = run("fakesite", "getServerInfo", "-s", fake, "-u", "ann", "--password", "wrong")
    assert wrong.code == 253 and "Login failed for user ann" in wrong.err


def test_client_name_matrix_and_help(fake):
    implied = run("fakesitecloud", "getCurrentUser", "-s", fake, "--token", TOKEN)
    assert implied.code == 0, implied.err
    matrix = run("auth", "matrix", "fakesite")
    assert matrix.code == 0 and "Cookie from the first basic request" in matrix.out
    assert "message: Fakesite needs --user and --password, or --token." in matrix.out
    helped = run("fakesite", "--help")
    assert helped.code == 0 and "getPath" in helped.out and "a token as Bearer" not in helped.out
    assert "Authorization: Bearer TOKEN" in helped.out
    assert "--deployment {auto|local}" in helped.out  # the choices come from the declared deployments
