"""--state FILE and the gateway: OAuth tokens are realm tokens and survive a restart (codes do not);
the seeded scoped tokens are there once however often the sandbox starts."""

from starlette.testclient import TestClient

from atlctl.sandbox.app import create_app

CLOUD_ID = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"
BOT = {"client_id": "sandbox-bot-client", "client_secret": "sandbox-bot-secret"}


def _myself(client: TestClient, **kwargs):
    return client.get(f"/gateway/ex/jira/{CLOUD_ID}/rest/api/3/myself", **kwargs)


def test_oauth_tokens_survive_a_restart(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    app = create_app(state)
    with TestClient(app) as client:
        access = client.post("/gateway/auth/oauth/token", json={"grant_type": "client_credentials", **BOT}).json()["access_token"]
    app.close()
    for _ in range(2):  # every start seeds again: the seeded tokens must not pile up
        app = create_app(state)
        with TestClient(app) as client:
            assert _myself(client, headers={"Authorization": f"Bearer {access}"}).status_code == 200
            assert _myself(client, auth=("admin@example.com", "sandbox-scoped-token-admin")).status_code == 200
        scoped = [t for t in app.realms["atlassian_cloud"].tokens.values() if t.type == "scoped_api_token"]
        assert len(scoped) == 2  # the admin's and the service account's
        app.close()
