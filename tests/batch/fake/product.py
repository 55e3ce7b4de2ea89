"""The `fake` product's declaration: no server, no authentication."""

from atlctl.auth.select import Row
from atlctl.products.base import Product


class Fake(Product):
    name = "fake"
    title = "Fake"
    clients = {"fake": None}
    deployments = {"local": "local"}
    rows = (Row("local", "anything", ("auto",), "anonymous", "nothing: there is no server"),)
    actions = "tests.batch.fake.actions"


PRODUCT = Fake()
