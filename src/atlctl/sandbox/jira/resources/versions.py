"""Project versions and components: list per project, create, get, update, delete."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Callable

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Component, Project, Version
from atlctl.sandbox.jira.resources import FieldError, find_project, not_deserializable, page_bean, read_object, record_by_id, user_ref_key
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import empty_response, json_response

Handler = Callable[[JiraCall], Awaitable[Response]]
_ASSIGNEE_TYPES = ("PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED")


def _project_of(call: JiraCall, body: dict[str, Any]) -> Project:
    """The body's `project` (key) or `projectId`, as the version and component resources take it."""
    ref = body.get("projectId", body.get("project"))
    if ref is None:
        raise Refusal(errors.collection(400, errors={"project": "Project must be specified to create a version."}))
    if isinstance(ref, bool) or not isinstance(ref, (str, int)):
        raise not_deserializable("projectId" if "projectId" in body else "project", "a project key or id")
    project = call.product.data.project(str(ref))
    if project is None or not call.product.can_browse(call.user):
        raise Refusal(errors.collection(404, [f"No project could be found with key '{ref}'."]))
    return project


def _admin(call: JiraCall) -> None:
    """DEMO's "Administer Projects": administrators (and the project lead)."""
    if not call.product.realm.is_admin(call.user):
        raise Refusal(errors.collection(403, ["The user does not have permission to complete this operation."]))


def _strings(body: dict[str, Any], *names: str) -> None:
    for name in names:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise not_deserializable(name, "a string")


def _date(body: dict[str, Any], name: str, problems: dict[str, str]) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        problems[name] = 'Invalid date format. Please enter the date in the format "yyyy-MM-dd".'
        return None


# ---- versions ------------------------------------------------------------------------------


def _version_changes(call: JiraCall, body: dict[str, Any], project: Project, current: Version | None) -> dict[str, Any]:
    _strings(body, "name", "description", "releaseDate", "startDate")
    changes: dict[str, Any] = {}
    problems: dict[str, str] = {}
    name = body.get("name")
    if name is not None or current is None:
        if not name or not name.strip():
            problems["name"] = "You must specify a valid version name"
        elif any(v.name.lower() == name.lower() and v is not current for v in call.product.data.versions_of(project)):
            problems["name"] = "A version with this name already exists in this project."
        else:
            changes["name"] = name
    if "description" in body:
        changes["description"] = body["description"] or ""
    for key, attr in (("releaseDate", "release_date"), ("startDate", "start_date")):
        if key in body:
            changes[attr] = _date(body, key, problems)
    for key in ("released", "archived"):
        if key in body:
            if not isinstance(body[key], bool):
                raise not_deserializable(key, "true or false")
            changes[key] = body[key]
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    return changes


async def project_versions(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    return json_response([call.render.version(v) for v in call.product.data.versions_of(project)])


_VERSION_ORDER = {"sequence": lambda v: v.id, "name": lambda v: v.name.lower(),
                  "startDate": lambda v: v.start_date or "9999", "releaseDate": lambda v: v.release_date or "9999"}
_VERSION_STATUS = {"released": lambda v: v.released and not v.archived, "unreleased": lambda v: not v.released and not v.archived,
                   "archived": lambda v: v.archived}


def _found_and_ordered(call: JiraCall, items: list, orders: dict[str, Callable[[Any], Any]], default: str) -> list:
    """The paged lists' `query` (a part of the name or description, in any case) and `orderBy`
    (one of `orders`, + or - before it)."""
    params = call.request.query_params
    query = (params.get("query") or "").lower()
    if query:
        items = [i for i in items if query in i.name.lower() or query in (i.description or "").lower()]
    order = params.get("orderBy") or default
    if order.lstrip("+-") not in orders:
        raise Refusal(errors.collection(400, [f"Invalid orderBy: valid values are {', '.join(orders)} (with + or -)."]))
    return sorted(items, key=orders[order.lstrip("+-")], reverse=order.startswith("-"))


async def project_versions_page(call: JiraCall) -> Response:
    """The paginated list (PageBeanVersion), on DC and Cloud: `query` (in the name or description),
    `status` (released, unreleased, archived; comma-separated), `orderBy` ([+-]sequence, name,
    startDate, releaseDate)."""
    project = find_project(call, call.params["ref"])
    versions = call.product.data.versions_of(project)
    statuses = [s.strip() for s in (call.request.query_params.get("status") or "").split(",") if s.strip()]
    if any(s not in _VERSION_STATUS for s in statuses):
        raise Refusal(errors.collection(400, [f"Invalid status: valid values are {', '.join(_VERSION_STATUS)}."]))
    if statuses:
        versions = [v for v in versions if any(_VERSION_STATUS[s](v) for s in statuses)]
    versions = _found_and_ordered(call, versions, _VERSION_ORDER, "sequence")
    return json_response(page_bean(call, f"project/{call.params['ref']}/version", versions, call.render.version))


# ---- components ----------------------------------------------------------------------------


def _component_changes(call: JiraCall, body: dict[str, Any], project: Project, current: Component | None) -> dict[str, Any]:
    _strings(body, "name", "description", "leadUserName", "leadAccountId", "assigneeType")
    changes: dict[str, Any] = {}
    problems: dict[str, str] = {}
    name = body.get("name")
    if name is not None or current is None:
        if not name or not name.strip():
            problems["name"] = "The component name must not be empty."
        elif any(c.name.lower() == name.lower() and c is not current for c in call.product.data.components_of(project)):
            problems["name"] = f"A component with the name {name} already exists in this project."
        else:
            changes["name"] = name
    if "description" in body:
        changes["description"] = body["description"] or ""
    lead_field = "leadAccountId" if call.product.deployment.cloud else "leadUserName"
    if lead_field in body:
        ref = {"accountId": body[lead_field]} if call.product.deployment.cloud else {"name": body[lead_field]}
        try:
            changes["lead"] = user_ref_key(call, ref) if body[lead_field] else None
        except FieldError:
            problems["componentLead"] = f"The user {body[lead_field]} does not exist."
    if body.get("assigneeType") is not None:
        if body["assigneeType"] not in _ASSIGNEE_TYPES:
            problems["assigneeType"] = f"'{body['assigneeType']}' is not a valid assignee type."
        else:
            changes["assignee_type"] = body["assigneeType"]
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    return changes


async def project_components(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    return json_response([call.render.component(c) for c in call.product.data.components_of(project)])


_WITH_ISSUE_COUNT = {"assignee", "assigneeType", "description", "id", "isAssigneeTypeValid", "lead", "name", "project",
                     "projectId", "realAssignee", "realAssigneeType", "self"}


def _issue_count(call: JiraCall, component: Component) -> int:
    return sum(component.id in i.components for i in call.product.data.issues.values())


async def project_components_page(call: JiraCall) -> Response:
    """Cloud's paginated list (PageBeanComponentWithIssueCount): `query` (in the name or description),
    `orderBy` ([+-]name, description, issueCount, lead); Jira's own components (`componentSource`)."""
    project = find_project(call, call.params["ref"])
    counts: dict[Any, int] = {}  # each component's count once, for the order and the page

    def count(component: Component) -> int:
        if component.id not in counts:
            counts[component.id] = _issue_count(call, component)
        return counts[component.id]

    orders = {"name": lambda c: c.name.lower(), "description": lambda c: (c.description or "").lower(),
              "issueCount": count, "lead": lambda c: c.lead or ""}
    components = _found_and_ordered(call, call.product.data.components_of(project), orders, "name")

    def with_count(component: Component) -> dict[str, Any]:  # ComponentWithIssueCount: no leadAccountId
        out = {k: v for k, v in call.render.component(component).items() if k in _WITH_ISSUE_COUNT}
        return {**out, "issueCount": count(component)}

    return json_response(page_bean(call, f"project/{call.params['ref']}/component", components, with_count))


# ---- the same resources for both ------------------------------------------------------------


@dataclass(frozen=True)
class _ProjectThing:
    """What a project's versions and components differ in; the handlers below serve both."""

    kind: str  # in the store, and the renderer's method
    make: type
    table: str  # JiraData's table of them
    missing: str  # the 404 message, {} the id as given
    changes: Callable[[JiraCall, dict[str, Any], Project, Any], dict[str, Any]]
    issue_fields: tuple[str, ...]  # the Issue lists that name one by id

    def find(self, call: JiraCall) -> Any:
        return record_by_id(call, getattr(call.product.data, self.table), self.missing, visible=call.product.can_browse(call.user))

    def render(self, call: JiraCall, record: Any) -> dict[str, Any]:
        return getattr(call.render, self.kind)(record)


def _handlers(thing: _ProjectThing) -> tuple[Handler, Handler, Handler, Handler]:
    """create, get, update, delete: project administrators change them; deleting one takes it out
    of every issue that names it."""

    async def create(call: JiraCall) -> Response:
        body = await read_object(call)
        project = _project_of(call, body)
        _admin(call)
        changes = thing.changes(call, body, project, None)
        return json_response(thing.render(call, call.product.data.add(thing.kind, thing.make, project_id=project.id, **changes)), 201)

    async def get(call: JiraCall) -> Response:
        return json_response(thing.render(call, thing.find(call)))

    async def update(call: JiraCall) -> Response:
        record = thing.find(call)
        body = await read_object(call)
        _admin(call)
        changes = thing.changes(call, body, call.product.data.projects[record.project_id], record)
        call.product.data.change(thing.kind, record, **changes)
        return json_response(thing.render(call, record))

    async def delete(call: JiraCall) -> Response:
        record = thing.find(call)
        _admin(call)
        data = call.product.data
        for issue in data.issues.values():
            if any(record.id in getattr(issue, name) for name in thing.issue_fields):
                data.update_issue(issue, **{name: [i for i in getattr(issue, name) if i != record.id] for name in thing.issue_fields})
        data.remove(thing.kind, record)
        return empty_response(204)

    return create, get, update, delete


_VERSIONS = _ProjectThing("version", Version, "versions", "Could not find version for id '{}'", _version_changes,
                          ("fix_versions", "versions"))
_COMPONENTS = _ProjectThing("component", Component, "components", "The component with id {} does not exist.", _component_changes,
                            ("components",))
create_version, get_version, update_version, delete_version = _handlers(_VERSIONS)
create_component, get_component, update_component, delete_component = _handlers(_COMPONENTS)


async def component_issue_count(call: JiraCall) -> Response:
    component = _COMPONENTS.find(call)
    return json_response({"self": f"{call.render.rest}/component/{component.id}", "issueCount": _issue_count(call, component)})
