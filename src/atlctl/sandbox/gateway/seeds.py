"""What the gateway seeds: the admin's scoped API token, the service account with its scoped token,
and the OAuth 2.0 apps (a 3LO integration and the service account's OAuth credential)."""

from __future__ import annotations

from dataclasses import dataclass

from atlctl.sandbox.atlassian import SCOPED_API_TOKEN
from atlctl.sandbox.gateway import scopes
from atlctl.sandbox.realm import SeedToken, SeedUser

ADMIN_KEY = "5f8e3c2a1b0d4e0069a1b2c3"  # the Cloud site's admin@example.com (Jira Cloud's seed)
BOT_KEY = "712020:3f9a7c52-1d4e-4b8a-9c6f-2e5d7a1b0c93"
SERVICE_DOMAIN = "@serviceaccount.atlassian.com"
BOT_EMAIL = "sandbox-bot" + SERVICE_DOMAIN
USERS = (
    SeedUser(ADMIN_KEY, "admin@example.com", "Sandbox Admin", "admin@example.com", "admin",
             ("site-admins", "jira-software-users", "confluence-users"),
             (SeedToken("sandbox-scoped-token-admin", SCOPED_API_TOKEN, scopes.SEEDED),)),
    # A service account never signs in to a web page (the consent page refuses it); its "password"
    # says so on the index page, as Slack's bot does.
    SeedUser(BOT_KEY, BOT_EMAIL, "sandbox-bot", BOT_EMAIL, "(none: a service account signs in with its token)",
             ("jira-software-users", "confluence-users"),
             (SeedToken("sandbox-bot-scoped-token", SCOPED_API_TOKEN, scopes.SEEDED),)),
)


@dataclass(frozen=True)
class Client:
    """An OAuth 2.0 app: a 3LO integration (acts for the users who consent) or a service account's
    OAuth credential (acts as the account, client credentials only)."""

    client_id: str
    secret: str
    name: str
    account: str | None = None  # the service account's key: a client-credentials client


CLIENTS = {
    client.client_id: client
    for client in (
        Client("sandbox-3lo-client", "sandbox-3lo-secret", "Sandbox 3LO app"),
        Client("sandbox-bot-client", "sandbox-bot-secret", "sandbox-bot", account=BOT_KEY),
    )
}
