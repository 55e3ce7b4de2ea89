"""A sandbox product may answer under other paths too (Product.aliases): the same product, stats and
realm, with links built from the path the client called."""

from starlette.testclient import TestClient

from atlctl.sandbox.app import create_app
from tests.contract.fake_sandbox import OPTIONS, FakeProduct  # noqa: F401  (OPTIONS: this module is a declaration)


def create(env):
    product = FakeProduct(env, "fake", "/site")
    product.aliases = ("/old-site",)
    return [product, FakeProduct(env, "fake_twin", "/site/inner")]  # a longer prefix inside it wins


def test_an_alias_is_the_same_product_and_links_follow_the_path_called():
    app = create_app(declarations=[__name__])
    with TestClient(app) as client:
        for base in ("/site", "/old-site"):
            r = client.get(base + "/api/me", auth=("ann", "s3cret-Ann-pw"))
            assert r.status_code == 200 and r.headers["x-fake-product"] == "fake"
        assert client.get("/site/inner/api/hello").headers["x-fake-product"] == "fake_twin"
        stats = client.get("/_sandbox/stats").json()["products"]
        assert stats["fake"]["password_checks"] == 2
        assert "(also http://testserver/old-site)" in client.get("/").text
        assert client.get("/old-site-x/api/hello").status_code == 404  # a path merely starting with it is not it
    app.close()
