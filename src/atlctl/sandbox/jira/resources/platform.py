"""Server information and configuration lists: serverInfo, field, issuetype, status, priority,
the applinks manifest."""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

from starlette.responses import Response

from atlctl.sandbox.jira import catalog, errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.render import jira_time
from atlctl.sandbox.jira.resources import list_param, page_bean
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import json_response

CLOUD_VERSION = "1001.0.0-SNAPSHOT"


def build_number(version: tuple[int, int, int]) -> int:
    """§1.7: 8.5.3 -> 805003, 9.12.7 -> 912007; from 10 on 10.3.19 -> 10030019."""
    major, minor, patch = version
    if major >= 10:
        return major * 1_000_000 + minor * 10_000 + patch
    return major * 100_000 + minor * 1_000 + patch


async def server_info(call: JiraCall) -> Response:
    """§1.7 (DC) and §4.5 (Cloud). The base URL is the one the client used to reach us."""
    now = jira_time(call.product.realm.clock.now())
    if call.product.deployment.cloud:
        return json_response(
            {
                "baseUrl": call.base,
                "displayUrl": call.base,
                "displayUrlServicedeskHelpCenter": call.base,
                "version": CLOUD_VERSION,
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
                "buildNumber": 100298,
                "buildDate": "2025-06-02T00:00:00.000+0000",
                "serverTime": now,
                "scmInfo": hashlib.sha1(CLOUD_VERSION.encode()).hexdigest(),
                "serverTitle": "Jira",
                "defaultLocale": {"locale": "en_US"},
                "serverTimeZone": "Etc/UTC",
            }
        )
    settings = call.product.settings
    build = build_number(settings.version_tuple)
    info = {
        "baseUrl": call.base,
        "version": settings.version,
        "versionNumbers": list(settings.version_tuple),
        "deploymentType": "Server",
        "buildNumber": build,
        "buildDate": "2024-01-10T00:00:00.000+0000",
        "databaseBuildNumber": build,
        "serverTime": now,
        "scmInfo": hashlib.sha1(settings.version.encode()).hexdigest(),
        "serverTitle": "Sandbox Jira",
    }
    if call.request.query_params.get("doHealthCheck", "").lower() == "true":
        info["healthChecks"] = []
    return json_response(info)


async def fields(call: JiraCall) -> Response:
    return json_response(call.render.fields())


async def issue_types(call: JiraCall) -> Response:
    visible = call.product.can_browse(call.user)
    return json_response([call.render.issue_type(it) for it in catalog.ISSUE_TYPES] if visible else [])


async def statuses(call: JiraCall) -> Response:
    return json_response([call.render.status(s) for s in catalog.STATUSES])


async def status(call: JiraCall) -> Response:
    """By id or name, as Jira's status/{idOrName}."""
    found = catalog.status_named(call.params["ref"])
    if found is None:
        raise Refusal(errors.collection(404, [f"The status with id '{call.params['ref']}' does not exist"]))
    return json_response(call.render.status(found))


async def status_categories(call: JiraCall) -> Response:
    return json_response([call.render.status_category(c) for c in catalog.STATUS_CATEGORIES])


async def status_category(call: JiraCall) -> Response:
    ref = call.params["ref"]
    found = next((c for c in catalog.STATUS_CATEGORIES if ref in (str(c.id), c.key)), None)
    if found is None:
        raise Refusal(errors.collection(404, [f"The status category with id '{ref}' does not exist"]))
    return json_response(call.render.status_category(found))


async def priorities(call: JiraCall) -> Response:
    return json_response([call.render.priority(p[0]) for p in catalog.PRIORITIES])


async def priority(call: JiraCall) -> Response:
    ref = call.params["id"]
    if all(p[0] != ref for p in catalog.PRIORITIES):
        raise Refusal(errors.collection(404, [f"The priority with id '{ref}' does not exist"]))
    return json_response(call.render.priority(ref))


async def applinks_manifest(call: JiraCall) -> Response:
    """§2.5: anonymous discovery, XML unless the client asks for JSON."""
    settings = call.product.settings
    manifest = {
        "id": hashlib.md5(b"sandbox-jira").hexdigest(),
        "name": "Sandbox Jira",
        "typeId": "jira",
        "version": settings.version,
        "buildNumber": build_number(settings.version_tuple),
        "applinksVersion": "9.1.4",
        "publicSignup": False,
        "url": call.base,
    }
    if "json" in call.request.headers.get("accept", ""):
        return json_response(manifest)
    body = "".join(f"<{k}>{escape(str(v).lower() if isinstance(v, bool) else str(v))}</{k}>" for k, v in manifest.items())
    return Response(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><manifest>{body}</manifest>', media_type="application/xml")


async def resolutions(call: JiraCall) -> Response:
    return json_response([call.render.resolution(r["id"]) for r in catalog.RESOLUTIONS])


async def search_resolutions(call: JiraCall) -> Response:
    """Cloud's resolution/search: a page of resolutions, narrowed to the ids given (`id`, repeated or
    comma-separated) and with `onlyDefault=true` to the default one (Done, which the sandbox sets
    when a transition gives none)."""
    ids = list_param(call, "id")
    only_default = call.request.query_params.get("onlyDefault", "").lower() == "true"
    chosen = [r for r in catalog.RESOLUTIONS
              if (not ids or r["id"] in ids) and (not only_default or r is catalog.DONE_RESOLUTION)]

    def render(found: dict) -> dict:
        return {**call.render.resolution(found["id"]), "default": found is catalog.DONE_RESOLUTION}

    return json_response(page_bean(call, "resolution/search", chosen, render))


async def resolution(call: JiraCall) -> Response:
    ref = call.params["id"]
    if not any(r["id"] == ref for r in catalog.RESOLUTIONS):
        raise Refusal(errors.collection(404, [f"The resolution with id '{ref}' does not exist"]))
    return json_response(call.render.resolution(ref))
