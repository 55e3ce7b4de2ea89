"""How a product's server speaks, as far as the http layer needs to know: what every request
carries, how its error bodies read, which answers are failures although their status says success.
Each product's declaration (products/base.py) is its dialect; this default suits a plain JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from atlctl.errors import AtlctlError


class Dialect:
    title = "The server"  # how messages name the product
    headers: dict[str, str] = {}  # sent with every request
    # what messages about refused credentials add: the product's lockout rule ({title}), its tokens
    lockout_advice = "Check them before retrying: servers lock accounts out after repeated failures."
    token_name = "token"
    token_advice = "Check it, or create a new one."

    def message(self, response: httpx.Response) -> str:
        """The server's own words in an error answer: a JSON `message`/`error`, or a line of plain text."""
        try:
            data = response.json()
        except (ValueError, RecursionError):  # not JSON, undecodable, or nested past any use
            try:
                text = response.text.strip()
            except (LookupError, UnicodeDecodeError):  # a charset Python does not know
                text = ""
            html = "html" in response.headers.get("content-type", "").lower()
            return one_line(text.splitlines()[0]) if text and not html else ""
        if isinstance(data, dict):
            for key in ("message", "error", "errorMessage"):
                if isinstance(data.get(key), str):
                    return one_line(data[key])
        return ""

    def explain(self, response: httpx.Response, situation: Situation) -> AtlctlError | None:
        """A product-specific explanation of a failed answer (checked before the generic rules), or None."""
        return None

    def user_hint(self, situation: Situation) -> str:
        """What a refused user name and password may mean beyond "wrong" (e.g. an email where a user
        name is needed), as a sentence to add, or ""."""
        return ""

    def body_error(self, response: httpx.Response, data) -> AtlctlError | None:
        """The error in a successful answer's decoded body (e.g. `{"ok": false}`), or None."""
        return None


def one_line(text: str, limit: int = 300) -> str:
    """A server's words as one printable line (its message may hold newlines, control characters, a novel)."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Situation:
    """What the classifier needs to know about the connection to explain a failure."""

    def __init__(self, title: str = "The server", deployment: str | None = None, scheme: str = "anonymous",
                 user: str | None = None, row: str = "", gateway: str | None = None, given: str | None = None):
        self.title = title
        self.deployment = deployment
        self.scheme = scheme
        self.user = user
        self.given = given  # which secret the user gave: "password" or "token" (a Basic secret may be either)
        self.row = row  # the authentication row in use, in words (--verbose)
        self.gateway = gateway  # Cloud: the --gateway mode in use (auth/gateway.py), None elsewhere
