"""Jira Data Center and Jira Cloud as sandbox products (the contract is sandbox/product.py)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from starlette.responses import Response

from atlctl.sandbox.jira import errors, filters, model, routes
from atlctl.sandbox.jira.auth import authenticate_cloud, authenticate_dc
from atlctl.sandbox.jira.call import JiraCall, JiraEndpoint
from atlctl.sandbox.jira.deployment import Deployment
from atlctl.sandbox.jira.settings import CLOUD_SCHEMA, DC_SCHEMA, JiraSettings, dc_defaults
from atlctl.sandbox.product import Environment, Product
from atlctl.sandbox.ratelimit import RateLimiter
from atlctl.sandbox.realm import Session, Stats, User
from atlctl.sandbox.responses import method_not_allowed_handler


class JiraProduct(Product):
    call_type = JiraCall

    def __init__(self, deployment: Deployment, env: Environment):
        self.deployment = deployment
        self.key, self.prefix, self.title, self.users = deployment.name, deployment.prefix, deployment.title, deployment.users
        self.aliases = deployment.aliases
        # Cloud: the seeded accounts let anyone see their email (a profile setting); accounts made
        # later keep Atlassian's default, which shows it to nobody but the owner.
        self.public_emails = frozenset(seed.key for seed in deployment.users) if deployment.cloud else frozenset()
        self.tomcat = not deployment.cloud
        self.session_cookie = "" if deployment.cloud else "JSESSIONID"  # Cloud has no cookie sessions (§4.1)
        # DC and Cloud differ in these hooks; the pipeline calls them as attributes.
        if deployment.cloud:
            self.settings = JiraSettings(CLOUD_SCHEMA, dict)
            self.authenticate = authenticate_cloud
            self.rate_limited = filters.rate_limited_cloud
            self.finish = filters.finish_cloud
        else:
            jira_version = env.options["jira_version"]
            self.settings = JiraSettings(DC_SCHEMA, lambda: dc_defaults(jira_version))
            self.authenticate = authenticate_dc
            self.rate_limited = filters.rate_limited_dc
            self.finish = filters.finish_dc
        self.guard = filters.guard
        self.realm = env.realm(deployment.realm, self.settings, by_email=deployment.cloud, admin_groups=(deployment.admin_group,))
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.data = model.JiraData(self.realm, deployment.name)
        self.router = routes.build(deployment)
        self._request_numbers = itertools.count(1)

    @property
    def version(self) -> str | None:
        """The DC version shown in web pages (Cloud pages carry none)."""
        return None if self.deployment.cloud else self.settings.version

    def load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        self.data.load(records, blobs)

    def reset(self) -> None:
        self.settings.reset()
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.data.clear()
        keys = {seed.login.split("@")[0]: seed.key for seed in self.users}
        model.seed(self.data, keys["admin"], keys)

    def error(self, status: int, message: str) -> Response:
        return errors.collection(status, [message])

    def session_cookies(self, session: Session) -> list[str]:
        state = "lin" if session.user_key else "lout"
        return [*super().session_cookies(session), f"atlassian.xsrf.token={session.xsrf}|{state}; Path={self.prefix}"]

    def unrouted(self, path: str, method: str, allowed: list[str]) -> JiraEndpoint:
        """Unknown paths still pass through authentication, like everything behind Seraph."""
        if allowed:
            return JiraEndpoint(method, path, method_not_allowed_handler(allowed))
        if path.startswith("/rest/"):
            return JiraEndpoint(method, path, _rest_not_found)
        return JiraEndpoint(method, path, _page_not_found, kind="web")

    def next_request_id(self) -> str:
        """X-AREQUESTID as Jira writes it: <minute of the day>x<request number>x<n> (§0.2)."""
        minute = int(time.time() // 60 % 1440)
        return f"{minute}x{next(self._request_numbers)}x1"

    def can_browse(self, user: User | None) -> bool:
        """DEMO's permission scheme: any logged-in user; anonymous users see nothing (§1.6)."""
        return user is not None


async def _rest_not_found(call: JiraCall) -> Response:
    return errors.null_for_uri(call)


async def _page_not_found(call: JiraCall) -> Response:
    return errors.page_not_found(call)
