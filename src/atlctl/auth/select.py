"""One scheme per connection, chosen before any request: a lookup in the product's authentication
rows. A row says, for a deployment, the credentials given and the --auth asked for, which scheme is
used and how it is sent, or why it is refused; the first row that matches wins. `atlctl auth
matrix` prints the same rows, so the table a user reads is the table this code runs."""

from __future__ import annotations

import re
from typing import NamedTuple

from atlctl.credentials.resolve import SECRET_ENV, Credentials
from atlctl.errors import ClientError, ParameterError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(user: str | None) -> bool:
    return bool(user and EMAIL.match(user))


# What a row may ask of the credentials: a name (printed in the matrix), a test, and an example
# that passes the test (the matrix test feeds it back through `choose`).
GIVEN: dict[str, tuple] = {
    "nothing": (lambda c: not (c.user or c.secret or c.session), Credentials()),
    "a user, no secret": (lambda c: bool(c.user) and not c.secret and not c.session, Credentials(user="alice")),
    "password and token": (lambda c: bool(c.password and c.token), Credentials("alice", "pw", "pat")),
    "a token": (lambda c: bool(c.token), Credentials(token="pat")),
    "a token, no password": (lambda c: bool(c.token) and not c.password, Credentials("alice", token="pat")),
    "user + password": (lambda c: bool(c.user and c.password), Credentials("alice", "pw")),
    "user + token": (lambda c: bool(c.user and c.token) and not c.password, Credentials("alice", token="pat")),
    "a token, no user": (lambda c: bool(c.token) and not c.user and not c.password, Credentials(token="pat")),
    "a session (--login)": (lambda c: bool(c.session), Credentials(session="abc")),
    "email + API token": (lambda c: is_email(c.user) and bool(c.secret), Credentials("alice@example.com", token="api")),
    "a secret, no email": (lambda c: bool(c.secret) and not is_email(c.user), Credentials("alice", token="api")),
    "email + password": (lambda c: is_email(c.user) and bool(c.password) and not c.token,
                         Credentials("alice@example.com", "pw")),
    "user name + secret": (lambda c: bool(c.user) and not is_email(c.user) and bool(c.secret),
                           Credentials("alice", token="secret")),
    "an OAuth 2.0 login (--web)": (lambda c: bool(c.grant), Credentials(grant="{}")),
    "client id + secret": (lambda c: bool(c.client_id and c.client_secret),
                           Credentials(client_id="bot-client", client_secret="bot-secret")),
    "a client id, no secret": (lambda c: bool(c.client_id) and not c.client_secret, Credentials(client_id="bot-client")),
    "anything": (lambda c: True, Credentials(password="pw")),
}


class Row(NamedTuple):
    deployment: str
    given: str  # a key of GIVEN
    auth: tuple[str, ...]  # the --auth values it answers
    scheme: str | None  # what is used: basic | session | token | oauth | anonymous; None: refused
    sent: str = ""  # how the scheme sends the credentials
    min_version: tuple[int, ...] | None = None  # the server version that introduced the scheme
    restrictions: tuple[str, ...] = ()  # what the scheme cannot do, in words
    refuses: dict | None = None  # capability -> the message refusing it (no request is sent)
    upgrades: dict | None = None  # capability -> the scheme used instead for actions that need it
    error: type | None = None  # a refusal row: ClientError (255) or ParameterError (254)
    message: str = ""  # the refusal, or for a min_version row the too-old message; {title} {user} {got} {minimum} {version}
    reason: str = ""  # why, for --verbose
    example: Credentials | None = None  # credentials this row answers, if the given's example is taken earlier

    def matches(self, deployment: str, creds: Credentials, requested: str) -> bool:
        return self.deployment == deployment and requested in self.auth and GIVEN[self.given][0](creds)

    @property
    def example_credentials(self) -> Credentials:
        return self.example or GIVEN[self.given][1]

    @property
    def outcome(self) -> str:
        if self.scheme is not None:
            return self.scheme
        return f"refused ({self.error.exit_code})" if self.error else "refused"


class Choice(NamedTuple):
    scheme: str  # anonymous | basic | session | token | oauth
    user: str | None = None
    secret: str | None = None  # password or token the scheme sends (None for anonymous/session reuse)
    reason: str = ""
    row: Row | None = None


def row_for(rows, deployment: str, creds: Credentials, requested: str = "auto") -> Row:
    for row in rows:
        if row.matches(deployment, creds, requested):
            return row
    raise ParameterError(f"--auth {requested} is not available for this deployment.")


def choose(product, deployment: str, version: tuple[int, ...] | None, creds: Credentials, requested: str = "auto",
           *, needs=frozenset(), sources: dict | None = None) -> Choice:
    """The scheme for an action that authenticates. `product` declares `rows` and `title`; `sources`
    (resolve's: where each secret came from) lets a refusal name what the user gave."""
    row = _usable(product, row_for(product.rows, deployment, creds, requested), creds, version, sources)
    for capability in needs:
        if row.refuses and capability in row.refuses:
            raise ClientError(row.refuses[capability].format(**_words(product, creds, version, row)))
        if row.upgrades and capability in row.upgrades:
            upgraded = _usable(product, row_for(product.rows, deployment, creds, row.upgrades[capability]), creds,
                               version, sources)
            reason = f"the action needs {capability.replace('_', ' ')}: --auth {requested} becomes {upgraded.scheme}"
            return _choice(upgraded, creds)._replace(reason=reason)
    return _choice(row, creds)


def too_old(row: Row, version: tuple[int, ...] | None) -> bool:
    """The server's version is known and older than the one that introduced the row's scheme."""
    return bool(row.min_version and version is not None and tuple(version[:len(row.min_version)]) < row.min_version)


def _usable(product, row: Row, creds: Credentials, version, sources: dict | None = None) -> Row:
    """`row`, or the error saying why it cannot be used: a refusal row, no credentials, too old a server."""
    words = _words(product, creds, version, row, sources)
    if row.scheme is None:
        raise row.error(row.message.format(**words))
    if row.scheme == "anonymous":
        raise ParameterError(
            "This action needs credentials: give --user and --password (or set ATLCTL_PASSWORD), "
            "or a token with --token (or ATLCTL_TOKEN)."
        )
    if too_old(row, version):
        raise ClientError(row.message.format(**words))
    return row


def refused_up_front(product, creds: Credentials, requested: str, needs, known: str | None = None) -> str | None:
    """The refusal when no deployment (or the `known` one) could give these credentials
    a capability the action needs (a token and a web session): said before discovery, so nothing is sent at all."""
    for capability in needs:
        refusals = []
        for deployment in [known] if known else product.deployments:
            row = next((r for r in product.rows if r.matches(deployment, creds, requested)), None)
            if row is None or row.scheme is None:
                continue  # refused there anyway, whatever the action
            if not (row.refuses and capability in row.refuses):
                break  # that deployment can do it
            refusals.append(row.refuses[capability].format(**_words(product, creds, None, row)))
        else:
            if refusals:
                return refusals[0]
    return None


def _choice(row: Row, creds: Credentials) -> Choice:
    secret = {"token": creds.token, "basic": creds.password or creds.token, "session": creds.password}.get(row.scheme)
    reason = "reusing a saved session" if row.scheme == "session" and creds.session else row.reason
    return Choice(row.scheme, creds.user, secret, reason, row)


EITHER = "Give either --password or --token, not both"  # the {either} of a row's message


def _words(product, creds: Credentials, version, row: Row, sources: dict | None = None) -> dict:
    """What a row's messages may name."""
    return {"title": product.title, "user": creds.user or "", "version": dotted(version),
            "minimum": dotted(row.min_version),
            "got": f" (got '{creds.user}', not an email address)" if creds.user else "",
            "either": either(sources or {})}


def either(sources: dict) -> str:
    """A password and a token are both given: by flags, or (no flag given) by both variables."""
    if all(sources.get(slot, "").startswith("env ") for slot in SECRET_ENV):
        return f"Both {SECRET_ENV['password']} and {SECRET_ENV['token']} are set: unset one"
    return EITHER


def dotted(version) -> str:
    return ".".join(map(str, version)) if version else "unknown"
