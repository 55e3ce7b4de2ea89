"""Issue links and their types: /issueLinkType, /issueLink (create, get, delete)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from atlctl.sandbox.jira import catalog, errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Issue, Link, numeric_id
from atlctl.sandbox.jira.resources import find_issue, read_object
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import empty_response, json_response


async def link_types(call: JiraCall) -> Response:
    return json_response({"issueLinkTypes": [call.render.link_type(t) for t in catalog.LINK_TYPES]})


def _issue(call: JiraCall, ref: Any, role: str) -> Issue:
    key = ref.get("key") or ref.get("id") if isinstance(ref, dict) else None
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        raise Refusal(errors.collection(400, errors={role: f"The {role} is required."}))
    return find_issue(call, str(key))


async def create_link(call: JiraCall) -> Response:
    """`inwardIssue` is the issue the outward description is said of: {Blocks, inward A, outward B}
    is "A blocks B"."""
    body = await read_object(call)
    found = catalog.link_type(body.get("type"))
    if found is None:
        name = body.get("type", {}).get("name") if isinstance(body.get("type"), dict) else None
        raise Refusal(errors.collection(404, [f"No issue link type with name '{name}' found."]))
    source = _issue(call, body.get("inwardIssue"), "inwardIssue")
    target = _issue(call, body.get("outwardIssue"), "outwardIssue")
    if source.id == target.id:
        raise Refusal(errors.collection(400, ["You cannot link an issue to itself."]))
    data = call.product.data
    if not any(k.type_id == found.id and (k.source, k.target) == (source.id, target.id) for k in data.links.values()):
        data.add_link(found.id, source, target)
    return empty_response(201)


def _link(call: JiraCall) -> Link:
    ref = call.params["id"]
    link = call.product.data.links.get(numeric_id(ref))
    if link is None:
        raise Refusal(errors.collection(404, [f"No issue link with id '{ref}' exists."]))
    find_issue(call, str(link.source))
    return link


async def get_link(call: JiraCall) -> Response:
    return json_response(call.render.link(_link(call)))


async def delete_link(call: JiraCall) -> Response:
    call.product.data.delete_link(_link(call))
    return empty_response(204)


async def get_link_type(call: JiraCall) -> Response:
    ref = call.params["id"]
    found = next((t for t in catalog.LINK_TYPES if t.id == ref), None)
    if found is None:
        raise Refusal(errors.collection(404, [f"No issue link type with id '{ref}' found."]))
    return json_response(call.render.link_type(found))
