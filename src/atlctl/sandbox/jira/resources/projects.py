"""Project resources and the create metadata clients read before creating issues."""

from __future__ import annotations

from starlette.responses import Response

from atlctl.sandbox.jira import catalog, errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.resources import expand_param, find_project, int_param, page_bean
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import json_response


def _visible(call: JiraCall) -> list:
    if not call.product.can_browse(call.user):
        return []
    return sorted(call.product.data.projects.values(), key=lambda p: p.key)


async def list_projects(call: JiraCall) -> Response:
    expand = expand_param(call)
    return json_response([call.render.project(p, expand=expand) for p in _visible(call)])


async def search_projects(call: JiraCall) -> Response:
    """Cloud's paginated project list (PageBeanProject)."""
    expand = expand_param(call)
    return json_response(page_bean(call, "project/search", _visible(call), lambda p: call.render.project(p, expand=expand)))


async def get_project(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    return json_response(call.render.project(project, full=True, expand=expand_param(call)))


async def project_statuses(call: JiraCall) -> Response:
    find_project(call, call.params["ref"])
    render = call.render
    return json_response(
        [
            {
                "self": f"{render.rest}/issuetype/{it.id}",
                "id": it.id,
                "name": it.name,
                "subtask": False,
                "statuses": [render.status(s) for s in catalog.STATUSES],
            }
            for it in catalog.ISSUE_TYPES
        ]
    )


def _listed(call: JiraCall, name: str) -> set[str]:
    """A list parameter, repeated and/or comma-separated."""
    return {item.strip() for value in call.query_list(name) for item in value.split(",") if item.strip()}


def _page(call: JiraCall, key: str, items: list) -> dict:
    """DC pages carry `values` and `isLast`; Cloud names the list (issueTypes / fields)."""
    start, limit = int_param(call, "startAt", 0), int_param(call, "maxResults", 50, 1, 200)
    page = items[start : start + limit]
    out = {"maxResults": limit, "startAt": start, "total": len(items)}
    if call.product.deployment.cloud:
        out[key] = page
    else:
        out.update(isLast=start + limit >= len(items), values=page)
    return out


async def createmeta_issue_types(call: JiraCall) -> Response:
    find_project(call, call.params["ref"])
    return json_response(_page(call, "issueTypes", [call.render.issue_type(it) for it in catalog.ISSUE_TYPES]))


async def createmeta_fields(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    it = catalog.issue_type(call.params["type"])
    if it is None or it.id != call.params["type"]:
        raise Refusal(errors.collection(404, ["Issue type with id " + call.params["type"] + " does not exist"]))
    return json_response(_page(call, "fields", call.render.field_meta(project, it.id)))


async def createmeta(call: JiraCall) -> Response:
    """The old create metadata (DC before 9.0, Cloud): projects with their issue types."""
    keys, ids = _listed(call, "projectKeys"), _listed(call, "projectIds")
    type_names, type_ids = {n.lower() for n in _listed(call, "issuetypeNames")}, _listed(call, "issuetypeIds")
    with_fields = "projects.issuetypes.fields" in expand_param(call)
    projects = [p for p in _visible(call) if (not keys and not ids) or p.key in keys or p.id in ids]
    types = [it for it in catalog.ISSUE_TYPES if (not type_names and not type_ids) or it.name.lower() in type_names or it.id in type_ids]
    render = call.render
    out = []
    for project in projects:
        entry = {k: v for k, v in render.project(project).items() if k in ("self", "id", "key", "name", "avatarUrls")}
        entry["issuetypes"] = []
        for it in types:
            item = render.issue_type(it)
            if with_fields:  # the legacy FieldMeta has no fieldId (the Cloud OpenAPI document)
                item["fields"] = {f["key"]: f for f in render.field_meta(project, it.id, field_id=False)}
            entry["issuetypes"].append(item)
        out.append(entry)
    return json_response({"expand": "projects", "projects": out})
