"""Jira Server/Data Center and Jira Cloud, as the shared layers see them."""

from __future__ import annotations

from atlctl.auth.strategy import SessionStrategy
from atlctl.products.atlassian import NO_XSRF, WEBSUDO, AtlassianProduct, cloud_rows, server_rows
from atlctl.products.base import ServerInfo, parse_version

API = "/rest/api/2"
PAT_VERSION = (8, 14)  # the first Jira with personal access tokens [§1.5]
CLOUD_HOSTS = (".atlassian.net", ".jira.com", ".jira-dev.com")
SESSION = SessionStrategy("JSESSIONID", login_path="/rest/auth/1/session", logout_path="/rest/auth/1/session",
                          elevation=WEBSUDO, headers=NO_XSRF, whoami=("/rest/auth/1/session", "X-AUSERNAME"))


class Jira(AtlassianProduct):
    name = "jira"
    title = "Jira"
    clients = {"jira": None, "jiracloud": "cloud"}
    gateway = ("jira", "")  # https://api.atlassian.com/ex/jira/{cloudId}/rest/...
    oauth_scopes = "read:jira-work write:jira-work read:jira-user offline_access"
    scopes = (("GET", "/myself", "read:jira-user"), ("GET", "/user", "read:jira-user"), ("GET", "/group", "read:jira-user"),
              ("GET", "", "read:jira-work"), (None, "", "write:jira-work"))  # the classic scopes
    deployments = {"server": "Server/Data Center", "cloud": "Cloud"}
    rows = server_rows(pat_version=PAT_VERSION) + cloud_rows()
    actions = "atlctl.products.jira.actions"

    def session(self, deployment):
        return SESSION if deployment == "server" else None

    def deployment_from_host(self, host):
        return "cloud" if host.endswith(CLOUD_HOSTS) else None

    def discover(self, conn):
        """serverInfo, anonymously: it is anonymous-allowed on both deployments [§1.7, §4.5]."""
        from atlctl.errors import ClientError, RemoteError

        try:
            raw = conn.get_json(f"{API}/serverInfo", anonymous=True)
        except RemoteError as exc:
            if exc.status == 404:
                raise ClientError(
                    f"No Jira REST API at {conn.server} (serverInfo answered 404). Check --server: it must be the "
                    "Jira base URL, including any context path (e.g. https://host/jira)."
                ) from None
            raise
        if not isinstance(raw, dict) or "version" not in raw:
            raise ClientError(f"{conn.server} answered serverInfo without a Jira version: is it a Jira server?")
        cloud = str(raw.get("deploymentType", "")).lower() == "cloud"
        return ServerInfo("cloud" if cloud else "server", parse_version(raw.get("version")), raw)

    def client(self, conn, deployment, info):
        from atlctl.products.jira.client import JiraClient

        client = JiraClient(conn, deployment, info)
        client.pat_version = PAT_VERSION
        return client


PRODUCT = Jira()
