"""The gateway's scope tables agree with the OpenAPI document and cover every Cloud route the
sandbox serves, so no operation passes the gateway unchecked."""

import json
import pathlib
import re

import pytest

from atlctl.sandbox.confluence import routes as confluence_routes
from atlctl.sandbox.gateway import scopes
from atlctl.sandbox.gateway.jira_scopes import JIRA
from atlctl.sandbox.jira import routes as jira_routes
from atlctl.sandbox.jira.deployment import CLOUD

SUBSET = json.loads((pathlib.Path(__file__).parent / "data" / "jira-cloud-openapi-subset.json").read_text())


def _operations(router):
    """(method, path) of every route of a sandbox router."""
    for path, methods in [*router._fixed.items(), *router._templates.items()]:
        for method in methods:
            yield method, path


def test_the_jira_table_holds_the_classic_scopes_of_the_openapi_document():
    for (method, path), (classic, _granular) in JIRA.items():
        security = SUBSET["paths"][path][method.lower()]["security"]
        assert next((s["OAuth2"] for s in security if "OAuth2" in s), []) == list(classic), (method, path)


@pytest.mark.parametrize(("method", "path"), sorted(_operations(jira_routes.build(CLOUD))))
def test_every_jira_cloud_route_has_scopes(method, path):
    concrete = re.sub(r"\{\w+\}", "X", path)
    assert scopes.required("jira", method, concrete) is not None


@pytest.mark.parametrize(("method", "path"), sorted(_operations(confluence_routes.build(cloud=True))))
def test_every_confluence_cloud_route_has_scopes(method, path):
    concrete = "/wiki" + re.sub(r"\{\w+\}", "X", path)
    assert scopes.required("confluence", method, concrete) is not None


def test_v2_and_latest_ask_what_v3_asks():
    for version in ("2", "3", "latest"):
        assert scopes.required("jira", "GET", f"/rest/api/{version}/myself") == (("read:jira-user",), ("read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"))


def test_one_of_the_sets_is_enough():
    needed = scopes.required("jira", "GET", "/rest/api/3/issue/DEMO-1")
    assert scopes.allowed(["read:jira-work"], needed)
    assert scopes.allowed(list(needed[1]), needed)  # the granular set alone
    assert not scopes.allowed(["write:jira-work", "read:jira-user"], needed)


def test_an_operation_without_scopes_needs_none():
    assert scopes.allowed([], scopes.required("jira", "GET", "/rest/api/3/serverInfo"))
