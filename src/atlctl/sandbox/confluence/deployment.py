"""What Confluence's two deployments declare (accounts, settings), and what its endpoints and calls
carry beyond the shared ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from atlctl.sandbox.atlassian import API_TOKEN, ServerSettings  # API_TOKEN: the type Jira Cloud's seeds use too: one realm
from atlctl.sandbox.product import Call, Endpoint
from atlctl.sandbox.realm import SeedToken, SeedUser
from atlctl.sandbox.settings import Schema, boolean, int_between, version

PAT = "pat"  # DC personal access tokens, Bearer only
PAT_VERSION = (7, 9, 0)
BASIC_SWITCH_VERSION = (7, 16, 0)  # Confluence can turn basic auth off natively from 7.16 (§2.3)
CLOUD_USERS = "confluence-users"  # Cloud: the product access group


@dataclass(frozen=True)
class Deployment:
    name: str
    prefix: str
    title: str
    realm: str
    cloud: bool
    admin_group: str
    user_group: str
    users: tuple[SeedUser, ...]


DC = Deployment(
    "confluence", "/confluence", "Confluence Data Center", "confluence", False, "confluence-administrators", "confluence-users",
    (
        SeedUser("8a7f808a8c1d4e5a018c1d4e5a9d0000", "admin", "Administrator", "admin@example.com", "admin",
                 ("confluence-administrators", "confluence-users")),
        SeedUser("8a7f808a8c1d4e5a018c1d4e5a9d0001", "alice", "Alice Example", "alice@example.com", "alice", ("confluence-users",)),
    ),
)
CLOUD = Deployment(
    "confluence_cloud", "/cloud/wiki", "Confluence Cloud", "atlassian_cloud", True, "site-admins", CLOUD_USERS,
    (  # the accounts of Jira Cloud that have Confluence (same keys); bob, seeded by Jira Cloud, has not
        SeedUser("5f8e3c2a1b0d4e0069a1b2c3", "admin@example.com", "Sandbox Admin", "admin@example.com", "admin",
                 ("site-admins", "jira-software-users", CLOUD_USERS), (SeedToken("sandbox-token-admin", API_TOKEN),)),
        SeedUser("5f8e3c2a1b0d4e0069a1b2c4", "alice@example.com", "Alice Example", "alice@example.com", "alice",
                 ("jira-software-users", CLOUD_USERS), (SeedToken("sandbox-token-alice", API_TOKEN),)),
    ),
)

DC_SCHEMA: Schema = {
    "version": version,
    "websudo": boolean,
    "websudo_idle_seconds": int_between(1, 86400),
    "basic_auth": boolean,
    "session_idle_seconds": int_between(1, 30 * 86400),
    "captcha_threshold": int_between(1, 1000),
}


class ConfluenceSettings(ServerSettings):
    product_name, basic_switch = "Confluence", BASIC_SWITCH_VERSION
    version_tuple = (1000, 0, 0)  # Cloud: always the newest


def dc_defaults(confluence_version: str) -> dict[str, Any]:
    return {
        "version": confluence_version,
        "websudo": True,
        "websudo_idle_seconds": 600,
        "basic_auth": True,
        "session_idle_seconds": 3600,  # Confluence's default session timeout (60 minutes)
        "captcha_threshold": 3,
    }


@dataclass(frozen=True)
class ConfluenceEndpoint(Endpoint):
    websudo: bool = False  # @WebSudoRequired (§0.5)
    admin: bool = False  # Confluence administrators only
    xsrf: bool = True
    public: bool = False  # Cloud: served to anonymous callers (elsewhere they are refused)
    min_version: tuple[int, int, int] | None = None


class ConfluenceCall(Call):
    __slots__ = ("reasons",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.reasons: list[str] = []
