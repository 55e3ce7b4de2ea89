"""One Jira product (DC or Cloud) as an ASGI app mounted under its URL prefix."""

from __future__ import annotations

import itertools
import logging
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from atlctl.sandbox import faults
from atlctl.sandbox.jira import errors, gate, model, routes
from atlctl.sandbox.jira.auth import authenticate_cloud, authenticate_dc
from atlctl.sandbox.jira.deployment import Deployment
from atlctl.sandbox.realm import Clock, Realm, User, digest, seed_hash
from atlctl.sandbox.settings import JIRA_CLOUD_SCHEMA, JIRA_SCHEMA, Settings, jira_cloud_defaults, jira_defaults
from atlctl.sandbox.store import Store

log = logging.getLogger("atlctl.sandbox")


class JiraProduct:
    def __init__(self, deployment: Deployment, store: Store, clock: Clock, jira_version: str):
        self.deployment = deployment
        self.store = store
        if deployment.cloud:
            self.settings = Settings(JIRA_CLOUD_SCHEMA, jira_cloud_defaults)
            self.authenticate = authenticate_cloud
        else:
            self.settings = Settings(JIRA_SCHEMA, lambda: jira_defaults(jira_version))
            self.authenticate = authenticate_dc
        self.realm = Realm(deployment.name, store, clock, self.settings, by_email=deployment.cloud, admin_groups=(deployment.admin_group,))
        self.data = model.JiraData(self.realm)
        self.router = routes.build(deployment)
        self._request_numbers = itertools.count(1)
        records = store.load(deployment.name)
        if records:
            self.realm.load(records)
            self.data.load(records, store.load_blobs(deployment.name))
        else:
            self._seed()

    @property
    def version(self) -> str | None:
        """The DC version shown in web pages (Cloud pages carry none)."""
        return None if self.deployment.cloud else self.settings.version

    def reset(self) -> None:
        """Back to the seeded state: data, accounts, sessions, tokens, settings and counters."""
        self.store.clear(self.deployment.name)
        self.realm.clear()
        self.data.clear()
        self.settings.reset()
        self._seed()

    def _seed(self) -> None:
        for group in sorted({g for seed in self.deployment.users for g in seed.groups}):
            self.realm.add_group(group)
        keys = {}
        for seed in self.deployment.users:
            user = User(
                key=seed.key,
                name=seed.login,
                display_name=seed.display_name,
                email=seed.email,
                password_hash=seed_hash(seed.password),
                groups=list(seed.groups),
                api_token_digests=[digest(seed.api_token)] if seed.api_token else [],
            )
            self.realm.add_user(user)
            keys[seed.login.split("@")[0]] = user.key
        model.seed(self.data, keys["admin"], keys)

    def next_request_id(self) -> str:
        """X-AREQUESTID as Jira writes it: <minute of the day>x<request number>x<n> (§0.2)."""
        minute = int(time.time() // 60 % 1440)
        return f"{minute}x{next(self._request_numbers)}x1"

    def can_browse(self, user: User | None) -> bool:
        """DEMO's permission scheme: any logged-in user; anonymous users see nothing (§1.6)."""
        return user is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"][len(self.deployment.prefix) :] or "/"
        method = scope["method"]
        if self.settings.faults:
            fault = self.settings.take_fault(path, method)
            if fault is not None and await faults.inject(fault, scope, send):
                return
        endpoint, params, allowed = self.router.match(path, method)
        if endpoint is None:
            endpoint = _fallback(path, method, allowed)
        try:
            response = await gate.handle(self, endpoint, Request(scope, receive), params)
        except Exception:
            # A sandbox bug: answer like Jira's REST layer would and keep serving.
            log.exception("internal error on %s %s%s", method, self.deployment.prefix, path)
            response = errors.collection(500, ["Internal server error"])
        await response(scope, receive, send)


def _fallback(path: str, method: str, allowed: list[str]) -> gate.Endpoint:
    """Unknown paths still pass through authentication, like everything behind Seraph."""
    if allowed:

        async def not_allowed(call: gate.Call) -> Response:
            return errors.method_not_allowed(allowed)

        return gate.Endpoint(method, path, not_allowed)
    if path.startswith("/rest/"):
        return gate.Endpoint(method, path, _rest_not_found)
    return gate.Endpoint(method, path, _page_not_found, kind="web")


async def _rest_not_found(call: gate.Call) -> Response:
    return errors.null_for_uri(call)


async def _page_not_found(call: gate.Call) -> Response:
    return errors.page_not_found(call)
