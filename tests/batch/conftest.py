import pytest

from atlctl.products.registry import PRODUCTS
from tests.batch.fake.actions import STORE
from tests.credentials.home import home  # noqa: F401 -- an isolated config file and keyring
from tests.e2e.conftest import dc  # noqa: F401 -- users with distinctive passwords: every run is a leak test


@pytest.fixture
def fake(monkeypatch):
    """The `fake` product (tests/batch/fake/actions.py): actions that record what they did, no server."""
    monkeypatch.setitem(PRODUCTS, "fake", "tests.batch.fake.product")
    STORE.reset()
    return STORE
