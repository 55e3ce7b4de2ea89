"""What differs between the Jira Data Center and Jira Cloud products, as data."""

from __future__ import annotations

from dataclasses import dataclass

from atlctl.sandbox.atlassian import API_TOKEN  # Cloud API tokens, sent as the Basic password (§4.1)
from atlctl.sandbox.realm import SeedToken, SeedUser

# Token types in the realm.
PAT = "pat"  # DC personal access tokens, sent as Bearer (§1.5)


@dataclass(frozen=True)
class Deployment:
    name: str  # key in /_sandbox/settings and /_sandbox/stats
    prefix: str  # URL path of the product base
    title: str
    realm: str  # products with the same realm share its accounts (Atlassian Cloud: one account store)
    cloud: bool
    api_versions: tuple[str, ...]  # /rest/api/<v>/...
    admin_group: str
    user_group: str  # what every user gets: browse DEMO, create issues
    xsrf_failure: str  # §0.4
    users: tuple[SeedUser, ...]  # key: DC user key / Cloud accountId; login: DC username / Cloud email
    aliases: tuple[str, ...] = ()  # other paths it answers under


DC = Deployment(
    name="jira",
    prefix="/jira",
    title="Jira Data Center",
    realm="jira",
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
    prefix="/cloud",  # the Cloud site, as <site>.atlassian.net: Jira at its root (Confluence at /cloud/wiki)
    aliases=("/jira-cloud",),  # where Jira Cloud was served first
    title="Jira Cloud",
    realm="atlassian_cloud",
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
            tokens=(SeedToken("sandbox-token-admin", API_TOKEN),),
        ),
        SeedUser(
            "5f8e3c2a1b0d4e0069a1b2c4",
            "alice@example.com",
            "Alice Example",
            "alice@example.com",
            "alice",
            ("jira-software-users",),
            tokens=(SeedToken("sandbox-token-alice", API_TOKEN),),
        ),
        SeedUser(  # Jira, but no Confluence (the site's one account without confluence-users)
            "5f8e3c2a1b0d4e0069a1b2c5",
            "bob@example.com",
            "Bob Example",
            "bob@example.com",
            "bob",
            ("jira-software-users",),
            tokens=(SeedToken("sandbox-token-bob", API_TOKEN),),
        ),
    ),
)
