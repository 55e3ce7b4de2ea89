"""The `jira` fixture of the Jira resource tests: each test runs against DC and against Cloud."""

import pytest

DC = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")
ALICE_CLOUD = "5f8e3c2a1b0d4e0069a1b2c4"


@pytest.fixture(params=["dc", "cloud"])
def jira(request, sandbox):
    """call(method, path under /rest/api/2, **httpx arguments), as the administrator unless `auth`
    is given; `cloud`, and Alice's name (`alice`), credentials (`alice_auth`) and the user field
    that names her (`who`) on that deployment."""
    cloud = request.param == "cloud"
    base, auth = (sandbox.jira_cloud, CLOUD) if cloud else (sandbox.jira, DC)

    def call(method, path, **kwargs):
        return sandbox.http.request(method, base + "/rest/api/2" + path, auth=kwargs.pop("auth", auth), **kwargs)

    call.cloud = cloud
    call.alice = ALICE_CLOUD if cloud else "alice"
    call.alice_auth = ("alice@example.com", "sandbox-token-alice") if cloud else ("alice", "alice")
    call.who = "accountId" if cloud else "name"
    return call
