from tests.credentials.home import home  # noqa: F401  (the fixture)
