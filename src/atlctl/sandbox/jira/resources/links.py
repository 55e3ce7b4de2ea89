"""Issue links and their types: /issueLinkType (administrators change them), /issueLink (create, get, delete)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Issue, Link, LinkType, RemoteLink
from atlctl.sandbox.jira.resources import find_issue, read_object, record_by_id
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import empty_response, json_response


async def link_types(call: JiraCall) -> Response:
    listed = sorted(call.product.data.link_types.values(), key=lambda t: t.name.lower())
    return json_response({"issueLinkTypes": [call.render.link_type(t) for t in listed]})


def _issue(call: JiraCall, ref: Any, role: str) -> Issue:
    key = ref.get("key") or ref.get("id") if isinstance(ref, dict) else None
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        raise Refusal(errors.collection(400, errors={role: f"The {role} is required."}))
    return find_issue(call, str(key))


async def create_link(call: JiraCall) -> Response:
    """`inwardIssue` is the issue the outward description is said of: {Blocks, inward A, outward B}
    is "A blocks B"."""
    body = await read_object(call)
    found = call.product.data.link_type(body.get("type"))
    if found is None:
        name = body.get("type", {}).get("name") if isinstance(body.get("type"), dict) else None
        raise Refusal(errors.collection(404, [f"No issue link type with name '{name}' found."]))
    source = _issue(call, body.get("inwardIssue"), "inwardIssue")
    target = _issue(call, body.get("outwardIssue"), "outwardIssue")
    if source.id == target.id:
        raise Refusal(errors.collection(400, ["You cannot link an issue to itself."]))
    data = call.product.data
    if not any(k.type_id == str(found.id) and (k.source, k.target) == (source.id, target.id) for k in data.links.values()):
        data.add_link(str(found.id), source, target)
    return empty_response(201)


def _link(call: JiraCall) -> Link:
    link = record_by_id(call, call.product.data.links, "No issue link with id '{}' exists.")
    find_issue(call, str(link.source))
    return link


async def get_link(call: JiraCall) -> Response:
    return json_response(call.render.link(_link(call)))


async def delete_link(call: JiraCall) -> Response:
    call.product.data.delete_link(_link(call))
    return empty_response(204)


def _link_type(call: JiraCall) -> LinkType:
    return record_by_id(call, call.product.data.link_types, "No issue link type with id '{}' found.")


def _link_type_fields(call: JiraCall, body: dict[str, Any], current: LinkType | None) -> dict[str, str]:
    """name, inward and outward: each required on create, each optional on update."""
    changes: dict[str, str] = {}
    for name in ("name", "inward", "outward"):
        value = body.get(name)
        if value is None and current is not None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise Refusal(errors.collection(400, [f"The issue link type '{name}' must be given."]))
        changes[name] = value.strip()
    wanted = changes.get("name", "").lower()
    if any(t.name.lower() == wanted and t is not current for t in call.product.data.link_types.values()):
        raise Refusal(errors.collection(400, ["You cannot create two issue link types with the same name."]))
    return changes


async def get_link_type(call: JiraCall) -> Response:
    return json_response(call.render.link_type(_link_type(call)))


async def create_link_type(call: JiraCall) -> Response:
    changes = _link_type_fields(call, await read_object(call), None)
    return json_response(call.render.link_type(call.product.data.add("linktype", LinkType, **changes)), 201)


async def update_link_type(call: JiraCall) -> Response:
    found = _link_type(call)
    call.product.data.change("linktype", found, **_link_type_fields(call, await read_object(call), found))
    return json_response(call.render.link_type(found))


async def delete_link_type(call: JiraCall) -> Response:
    call.product.data.delete_link_type(_link_type(call))
    return empty_response(204)


# ---- remote links ----------------------------------------------------------------------------


def _remote_out(call: JiraCall, issue: Issue, remote: RemoteLink) -> dict[str, Any]:
    return {"id": remote.id, "self": f"{call.render.rest}/issue/{issue.key}/remotelink/{remote.id}", **remote.link}


def _remote_body(body: dict[str, Any]) -> dict[str, Any]:
    target = body.get("object")
    if not isinstance(target, dict) or not isinstance(target.get("url"), str) or not target["url"]:
        raise Refusal(errors.collection(400, errors={"url": "'url' is required."}))
    if not isinstance(target.get("title"), str) or not target["title"]:
        raise Refusal(errors.collection(400, errors={"title": "'title' is required."}))
    return {k: body[k] for k in ("globalId", "application", "relationship", "object") if body.get(k) is not None}


def _remotes_of(call: JiraCall, issue: Issue) -> list[RemoteLink]:
    return sorted((r for r in call.product.data.remote_links.values() if r.issue_id == issue.id), key=lambda r: r.id)


async def remote_links(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    wanted = call.request.query_params.get("globalId")
    found = [r for r in _remotes_of(call, issue) if wanted is None or r.link.get("globalId") == wanted]
    if wanted is not None:
        if not found:
            raise Refusal(errors.collection(404, [f"No remote link with global id '{wanted}' exists."]))
        return json_response(_remote_out(call, issue, found[0]))
    return json_response([_remote_out(call, issue, r) for r in found])


async def add_remote_link(call: JiraCall) -> Response:
    """201 for a new link; a link with the same globalId is updated instead (200)."""
    issue = find_issue(call, call.params["ref"])
    link = _remote_body(await read_object(call))
    data = call.product.data
    same = next((r for r in _remotes_of(call, issue) if link.get("globalId") and r.link.get("globalId") == link["globalId"]), None)
    if same is not None:
        data.change("remotelink", same, link=link)
        return json_response({"id": same.id, "self": _remote_out(call, issue, same)["self"]}, 200)
    remote = data.add("remotelink", RemoteLink, issue_id=issue.id, link=link)
    return json_response({"id": remote.id, "self": _remote_out(call, issue, remote)["self"]}, 201)


def _remote(call: JiraCall, issue: Issue) -> RemoteLink:
    return record_by_id(call, call.product.data.remote_links, f"No remote link with id '{{}}' exists on issue '{issue.key}'.", issue)


async def get_remote_link(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    return json_response(_remote_out(call, issue, _remote(call, issue)))


async def update_remote_link(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    remote = _remote(call, issue)
    call.product.data.change("remotelink", remote, link=_remote_body(await read_object(call)))
    return empty_response(204)


async def delete_remote_link(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    call.product.data.remove("remotelink", _remote(call, issue))
    return empty_response(204)


async def delete_remote_links(call: JiraCall) -> Response:
    """DELETE ...remotelink?globalId=: the link with that global id."""
    issue = find_issue(call, call.params["ref"])
    wanted = call.request.query_params.get("globalId")
    if not wanted:
        raise Refusal(errors.collection(400, ["The 'globalId' parameter is required."]))
    found = [r for r in _remotes_of(call, issue) if r.link.get("globalId") == wanted]
    if not found:
        raise Refusal(errors.collection(404, [f"No remote link with global id '{wanted}' exists."]))
    for remote in found:
        call.product.data.remove("remotelink", remote)
    return empty_response(204)
