"""core: rows can tell a token given with its user from one given alone (Bitbucket: a personal token
may go as the basic password with its user; project and repository tokens have no user)."""

from atlctl.auth.select import GIVEN
from atlctl.credentials.resolve import Credentials


def test_user_and_token_versus_a_token_alone():
    with_user, alone = GIVEN["user + token"][0], GIVEN["a token, no user"][0]
    assert with_user(Credentials("alice", token="t")) and not with_user(Credentials(token="t"))
    assert alone(Credentials(token="t")) and not alone(Credentials("alice", token="t"))
    assert not with_user(Credentials("alice", "pw", "t")) and not alone(Credentials(password="pw", token="t"))


def test_a_not_permitted_401_does_not_block_the_credentials(sandbox, tmp_path):
    """core: Bitbucket answers a token's missing permission with 401; the next line of a script with the
    same token is still sent (a wrong token's 401 blocks them, as before)."""
    from tests.helpers import run, secret

    url = sandbox.url + "/bitbucket"
    made = sandbox.http.put(url + "/rest/access-tokens/1.0/projects/DEMO", auth=("admin", "admin"),
                            json={"name": "t", "permissions": ["PROJECT_READ"]})
    token = secret(made.json()["token"])
    script = tmp_path / "lines.txt"
    script.write_text("createRepository --project DEMO --repository x\ngetRepositoryList --project DEMO\n")
    outcome = run("bitbucket", "run", "--file", script, "--server", url, "--token", token, "--continue")
    assert "1 actions failed, 1 actions were successful" in outcome.err and "demo-repo" in outcome.out
