"""Credentials are attached per origin: a request to any other scheme/host/port gets none."""

import httpx


def origin(url) -> tuple[str, str, int | None]:
    url = url if isinstance(url, httpx.URL) else httpx.URL(str(url))  # parsing again costs on every request
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)
