"""Confluence Server/Data Center and Confluence Cloud, as the shared layers see them.

Confluence DC has no session resource (CONFSERVER-54062): the session is the JSESSIONID the server
sets on the first request sent with basic auth, so a process checks the password once however many
requests follow. Websudo is confirmed on Confluence's own page, /doauthenticate.action."""

from __future__ import annotations

from atlctl.auth.strategy import Elevation, SessionStrategy
from atlctl.errors import RemoteError
from atlctl.products.atlassian import BASIC_DISABLED, NO_XSRF, AtlassianProduct, cloud_rows, server_rows
from atlctl.products.base import ServerInfo, parse_version

CLOUD_HOSTS = (".atlassian.net", ".jira.com", ".jira-dev.com")
CLOUD_VERSION = 1000  # Atlassian Cloud reports versions from 1000 on (as Jira Cloud's 1001.0.0-SNAPSHOT)
NO_CONFLUENCE = "Current user not permitted to use Confluence"
WEBSUDO = Elevation("/doauthenticate.action", "This resource requires WebSudo.", "password",
                    (("authenticate", "Confirm"), ("destination", "/")), None,
                    ("X-Atlassian-WebSudo", "Has-Authentication"), "Confluence")
SESSION = SessionStrategy("JSESSIONID", elevation=WEBSUDO, headers=NO_XSRF,  # no login resource: the first request's cookie
                          whoami=("/rest/api/user/current", "X-AUSERNAME"))


class Confluence(AtlassianProduct):
    name = "confluence"
    title = "Confluence"
    clients = {"confluence": None, "confluencecloud": "cloud"}
    gateway = ("confluence", "/wiki")  # https://api.atlassian.com/ex/confluence/{cloudId}/wiki/...
    oauth_scopes = ("read:confluence-user read:confluence-content.all write:confluence-content "
                    "read:confluence-space.summary search:confluence read:page:confluence write:page:confluence "
                    "read:space:confluence offline_access")
    scopes = (("GET", "/api/v2/pages", "read:page:confluence"), (None, "/api/v2/pages", "write:page:confluence"),
              ("GET", "/api/v2/spaces", "read:space:confluence"), ("GET", "/rest/api/user", "read:confluence-user"),
              ("GET", "/rest/api/space", "read:confluence-space.summary"), ("GET", "/search", "search:confluence"),
              ("POST", "/child/attachment", "write:confluence-file"), ("GET", "", "read:confluence-content.all"),
              (None, "", "write:confluence-content"))  # v2's granular scopes, v1's classic ones
    deployments = {"server": "Server/Data Center", "cloud": "Cloud"}
    rows = server_rows(pat_version=(7, 9), session_how="Cookie set by the first request, sent with basic auth "
                       "(one password check per process; no login resource)") + cloud_rows()
    actions = "atlctl.products.confluence.actions"

    def session(self, deployment):
        return SESSION if deployment == "server" else None

    def deployment_from_host(self, host):
        return "cloud" if host.endswith(CLOUD_HOSTS) else None

    def discover(self, conn):
        """The application-links manifest, anonymously: Confluence has no serverInfo [§2.5]."""
        from atlctl.errors import ClientError
        from atlctl.products.confluence.client import MANIFEST

        try:
            raw = conn.get_json(MANIFEST, anonymous=True, headers={"Accept": "application/json"})
        except RemoteError as exc:
            if exc.status == 404:
                raise ClientError(
                    f"No Confluence at {conn.server} (the application manifest answered 404). Check --server: it must "
                    "be the Confluence base URL, including any context path (e.g. https://host/confluence, or "
                    "https://site.atlassian.net/wiki on Cloud)."
                ) from None
            raise
        if not isinstance(raw, dict) or str(raw.get("typeId", "")).lower() != "confluence":
            kind = raw.get("typeId") if isinstance(raw, dict) else None
            raise ClientError(f"{conn.server} is not Confluence" + (f" (it says it is {kind})." if kind else "."))
        version = parse_version(str(raw.get("version", "")))
        cloud = bool(version) and version[0] >= CLOUD_VERSION
        return ServerInfo("cloud" if cloud else "server", None if cloud else version, raw)

    def explain(self, response, situation):
        if response.status_code == 403 and BASIC_DISABLED in response.text:  # §2.3
            return RemoteError(
                "Basic authentication is disabled on this Confluence, and Confluence has no login resource for "
                "scripts: atlctl's session starts with a basic request, so a password cannot be used. Use a personal "
                "access token (--token; create one on your profile's Personal Access Tokens page), or ask an "
                "administrator to allow basic authentication for your account.", 403, reason="scheme_disabled")
        if response.status_code == 403 and NO_CONFLUENCE in response.text:  # products.md §2.1
            return RemoteError(
                f"The Atlassian account {situation.user or ''} has no access to Confluence on this site (the API token "
                "is right: Jira may work with it). Ask a site administrator to give the account Confluence access, or "
                "use an account that has it.".replace("account  has", "account has"), 403)
        return super().explain(response, situation)

    def client(self, conn, deployment, info):
        from atlctl.products.confluence.client import ConfluenceClient

        return ConfluenceClient(conn, deployment, info)


PRODUCT = Confluence()
