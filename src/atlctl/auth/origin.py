"""Credentials are attached per origin: a request to any other scheme/host/port gets none."""

import httpx


def origin(url) -> tuple[str, str, int | None]:
    url = httpx.URL(str(url))
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)
