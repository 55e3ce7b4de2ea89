"""core: a realm keeps tokens that belong to no user (Bitbucket's project and repository tokens),
bound to a resource the product names, and they survive a state file."""

from atlctl.sandbox.realm import Clock, Realm
from atlctl.sandbox.store import Store


class Policy:
    captcha_threshold = 3
    session_idle_seconds = 60
    websudo_idle_seconds = 60


def test_a_token_of_no_user_is_bound_to_a_resource_and_persists(tmp_path):
    path = str(tmp_path / "state.db")
    store = Store(path)
    realm = Realm("r", store, Clock(), Policy(), by_email=False, admin_groups=())
    token = realm.add_token(None, "raw-secret-value", name="ci", type="project", scopes=["PROJECT_READ"], resource="DEMO")
    assert (token.user_key, token.resource) == (None, "DEMO")
    assert realm.token("raw-secret-value") is token
    store.close()
    again = Realm("r", Store(path), Clock(), Policy(), by_email=False, admin_groups=())
    again.load(again.store.load("r"))
    found = again.token("raw-secret-value")
    assert found is not None and (found.user_key, found.resource, found.scopes) == (None, "DEMO", ["PROJECT_READ"])
    again.store.close()
