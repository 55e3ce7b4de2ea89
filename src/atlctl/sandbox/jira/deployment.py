"""What differs between the Jira Data Center and Jira Cloud products, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedUser:
    key: str  # DC user key / Cloud accountId
    login: str  # DC username / Cloud email
    display_name: str
    email: str
    password: str
    groups: tuple[str, ...]
    api_token: str | None = None


@dataclass(frozen=True)
class Deployment:
    name: str  # key in /_sandbox/settings and /_sandbox/stats
    prefix: str  # URL path of the product base
    cloud: bool
    api_versions: tuple[str, ...]  # /rest/api/<v>/...
    admin_group: str
    user_group: str  # what every user gets: browse DEMO, create issues
    xsrf_failure: str  # §0.4
    users: tuple[SeedUser, ...]


DC = Deployment(
    name="jira",
    prefix="/jira",
    cloud=False,
    api_versions=("2", "latest"),
    admin_group="jira-administrators",
    user_group="jira-software-users",
    xsrf_failure="XSRF check failed",
    users=(
        SeedUser("JIRAUSER10000", "admin", "Administrator", "admin@example.com", "admin", ("jira-administrators", "jira-software-users")),
        SeedUser("JIRAUSER10100", "alice", "Alice Example", "alice@example.com", "alice", ("jira-software-users",)),
    ),
)

CLOUD = Deployment(
    name="jira_cloud",
    prefix="/jira-cloud",
    cloud=True,
    api_versions=("2", "3", "latest"),
    admin_group="site-admins",
    user_group="jira-software-users",
    xsrf_failure="XSRF check failed. More information at https://confluence.atlassian.com/x/DhpJMQ",
    users=(
        SeedUser(
            "5f8e3c2a1b0d4e0069a1b2c3",
            "admin@example.com",
            "Sandbox Admin",
            "admin@example.com",
            "admin",
            ("site-admins", "jira-software-users"),
            api_token="sandbox-token-admin",
        ),
        SeedUser(
            "5f8e3c2a1b0d4e0069a1b2c4",
            "alice@example.com",
            "Alice Example",
            "alice@example.com",
            "alice",
            ("jira-software-users",),
            api_token="sandbox-token-alice",
        ),
    ),
)
