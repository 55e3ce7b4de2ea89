"""Project administration: create, update and delete projects with the default schemes, the
schemes and categories a client lists first, project roles, permissions and application properties."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from atlctl.sandbox.jira import catalog, errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Category, PermissionScheme, Project, numeric_id
from atlctl.sandbox.jira.resources import find_issue, find_project, not_deserializable, read_object, record_by_id
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import empty_response, json_response

_KEY = re.compile(r"[A-Z][A-Z0-9_]+")
# Jira DC's DefaultProjectService limits and messages (its unit and functional tests); on Cloud only
# the key's is known to be the same (docs/sandbox.md).
_MAX_KEY, _MAX_NAME = 10, 80
_TOO_LONG = "The {} must not exceed {} characters in length."
_SCHEME_EXPAND = "permissions,user,group,projectRole,field,all"


def _scheme(call: JiraCall, path: str, scheme: dict[str, Any]) -> dict[str, Any]:
    return {"expand": _SCHEME_EXPAND, "id": scheme["id"], "self": f"{call.render.rest}/{path}/{scheme['id']}",
            "name": scheme["name"], "description": scheme["description"]}


def _permission_schemes(call: JiraCall) -> list[dict[str, Any]]:
    stored = sorted(call.product.data.permission_schemes.values(), key=lambda s: s.id)
    return [catalog.PERMISSION_SCHEME, *({"id": s.id, "name": s.name, "description": s.description} for s in stored)]


def _find_permission_scheme(call: JiraCall) -> dict[str, Any]:
    ref = call.params["id"]
    for scheme in _permission_schemes(call):
        if str(scheme["id"]) == ref:
            return scheme
    raise Refusal(errors.collection(404, [f"Permission scheme with id {ref} does not exist."]))


async def permission_schemes(call: JiraCall) -> Response:
    return json_response({"permissionSchemes": [_scheme(call, "permissionscheme", s) for s in _permission_schemes(call)]})


async def permission_scheme(call: JiraCall) -> Response:
    return json_response(_scheme(call, "permissionscheme", _find_permission_scheme(call)))


async def create_permission_scheme(call: JiraCall) -> Response:
    """Administrators only (the route says so: others get Jira's 403). The grants (`permissions`)
    are accepted and not kept: every project answers as the default scheme grants."""
    body = await read_object(call)
    for name in ("name", "description"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise not_deserializable(name, "a string")
    if body.get("permissions") is not None and not isinstance(body["permissions"], list):
        raise not_deserializable("permissions", "a list of permission grants")
    name = body.get("name")
    if not name or not name.strip():
        raise Refusal(errors.collection(400, errors={"name": "The name of the permission scheme must not be empty."}))
    if any(s["name"].lower() == name.lower() for s in _permission_schemes(call)):
        raise Refusal(errors.collection(400, errors={"name": f"A permission scheme with the name '{name}' already exists."}))
    scheme = call.product.data.add("permissionscheme", PermissionScheme, name=name, description=body.get("description") or "")
    return json_response(_scheme(call, "permissionscheme", {"id": scheme.id, "name": scheme.name,
                                                            "description": scheme.description}), 201)


async def delete_permission_scheme(call: JiraCall) -> Response:
    scheme = _find_permission_scheme(call)
    if scheme is catalog.PERMISSION_SCHEME:
        raise Refusal(errors.collection(400, ["The default permission scheme cannot be deleted."]))
    data = call.product.data
    data.remove("permissionscheme", data.permission_schemes[scheme["id"]])
    return empty_response(204)


def _security_scheme(call: JiraCall) -> dict[str, Any]:
    out = _scheme(call, "issuesecurityschemes", catalog.ISSUE_SECURITY_SCHEME)
    out.pop("expand")
    out["defaultSecurityLevelId"] = -1
    return out


async def issue_security_schemes(call: JiraCall) -> Response:
    return json_response({"issueSecuritySchemes": [_security_scheme(call)]})


async def issue_security_scheme(call: JiraCall) -> Response:
    if call.params["id"] != str(catalog.ISSUE_SECURITY_SCHEME["id"]):
        raise Refusal(errors.collection(404, [f"Issue security scheme with id {call.params['id']} does not exist."]))
    levels = [{"self": f"{call.render.rest}/securitylevel/{lv['id']}", **lv} for lv in catalog.SECURITY_LEVELS]
    return json_response({**_security_scheme(call), "levels": levels})


# ---- project categories --------------------------------------------------------------------


def _category(call: JiraCall, category: Category) -> dict[str, Any]:
    return {"self": f"{call.render.rest}/projectCategory/{category.id}", "id": str(category.id),
            "name": category.name, "description": category.description}


def _find_category(call: JiraCall) -> Category:
    return record_by_id(call, call.product.data.categories, "No project category with id '{}' exists.")


async def categories(call: JiraCall) -> Response:
    return json_response([_category(call, c) for c in sorted(call.product.data.categories.values(), key=lambda c: c.id)])


async def get_category(call: JiraCall) -> Response:
    return json_response(_category(call, _find_category(call)))


def _category_fields(call: JiraCall, body: dict[str, Any], current: Category | None) -> dict[str, Any]:
    for name in ("name", "description"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise not_deserializable(name, "a string")
    name = body.get("name")
    changes: dict[str, Any] = {}
    if name is not None or current is None:
        if not name or not name.strip():
            raise Refusal(errors.collection(400, errors={"name": "The project category name must not be empty."}))
        if any(c.name.lower() == name.lower() and c is not current for c in call.product.data.categories.values()):
            raise Refusal(errors.collection(409, errors={"name": f"The project category '{name}' already exists."}))
        changes["name"] = name
    if "description" in body:
        changes["description"] = body["description"] or ""
    return changes


async def create_category(call: JiraCall) -> Response:
    changes = _category_fields(call, await read_object(call), None)
    return json_response(_category(call, call.product.data.add("category", Category, **changes)), 201)


async def update_category(call: JiraCall) -> Response:
    category = _find_category(call)
    call.product.data.change("category", category, **_category_fields(call, await read_object(call), category))
    return json_response(_category(call, category))


async def delete_category(call: JiraCall) -> Response:
    category = _find_category(call)
    data = call.product.data
    for project in data.projects.values():
        if project.category_id == category.id:
            data.change_project(project, category_id=None)
    data.remove("category", category)
    return empty_response(204)


# ---- projects ------------------------------------------------------------------------------


def _lead(call: JiraCall, body: dict[str, Any], problems: dict[str, str]) -> str | None:
    cloud = call.product.deployment.cloud
    name = body.get("leadAccountId") if cloud else body.get("lead", body.get("leadUserName"))
    if name is None:
        return None
    realm = call.product.realm
    user = realm.users.get(name) if cloud else realm.find_user(name) if isinstance(name, str) else None
    if user is None:
        problems["projectLead"] = "The project lead must be a valid user." if cloud else "You must specify a valid project lead."
        return None
    return user.key


def _project_fields(call: JiraCall, body: dict[str, Any], current: Project | None) -> dict[str, Any]:
    for name in ("key", "name", "description", "url", "lead", "leadAccountId", "projectTypeKey", "projectTemplateKey", "assigneeType"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise not_deserializable(name, "a string")
    data = call.product.data
    problems: dict[str, str] = {}
    changes: dict[str, Any] = {}
    key, name = body.get("key"), body.get("name")
    if key is not None or current is None:
        if not key:
            problems["projectKey"] = "You must specify a unique project key, at least 2 characters long."
        elif _KEY.fullmatch(key) and len(key) > _MAX_KEY:
            problems["projectKey"] = _TOO_LONG.format("project key", _MAX_KEY)
        elif not _KEY.fullmatch(key):
            problems["projectKey"] = ("You must specify a valid project key: 2 to 10 characters, the first a letter, then "
                                      "uppercase letters, digits or underscores.")
        elif any(p.key == key and p is not current for p in data.projects.values()):
            problems["projectKey"] = f"Project '{next(p.name for p in data.projects.values() if p.key == key)}' uses this project key."
        else:
            changes["key"] = key
    if name is not None or current is None:
        if not name or not name.strip():
            problems["projectName"] = "You must specify a valid project name."
        elif len(name) > _MAX_NAME and not call.product.deployment.cloud:
            problems["projectName"] = _TOO_LONG.format("project name", _MAX_NAME)
        elif any(p.name.lower() == name.lower() and p is not current for p in data.projects.values()):
            problems["projectName"] = "A project with that name already exists."
        else:
            changes["name"] = name
    lead = _lead(call, body, problems)
    if lead:
        changes["lead"] = lead
    elif current is None and "projectLead" not in problems:
        problems["projectLead"] = "You must specify a valid project lead."
    if len(body.get("url") or "") > 255 and not call.product.deployment.cloud:
        problems["projectUrl"] = _TOO_LONG.format("URL", 255)
    for field, attr in (("description", "description"), ("url", "url"), ("projectTypeKey", "type_key"), ("assigneeType", "assignee_type")):
        if body.get(field) is not None:
            changes[attr] = body[field]
    if body.get("projectTypeKey") not in (None, "software", "business", "service_desk"):
        problems["projectType"] = f"Invalid project type key '{body['projectTypeKey']}'."
    template = body.get("projectTemplateKey")
    if template is not None and current is None:
        if template not in catalog.TEMPLATES:
            problems["projectTemplateKey"] = f"The project template '{template}' does not exist."
        changes["template"] = template
    scheme = body.get("permissionScheme")
    if scheme is not None and scheme not in [s["id"] for s in _permission_schemes(call)]:
        problems["permissionScheme"] = f"The permission scheme with id {scheme} does not exist."
    security = body.get("issueSecurityScheme")
    if security is not None:
        if security != catalog.ISSUE_SECURITY_SCHEME["id"]:
            problems["issueSecurityScheme"] = f"The issue security scheme with id {security} does not exist."
        elif template is None:  # a template brings its own schemes, without issue security
            changes["issue_security_scheme"] = security
    category = body.get("categoryId")
    if category is not None:
        if numeric_id(str(category)) not in data.categories:
            problems["categoryId"] = f"No project category with id '{category}' exists."
        else:
            changes["category_id"] = int(category)
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    return changes


async def create_project(call: JiraCall) -> Response:
    changes = _project_fields(call, await read_object(call), None)
    data = call.product.data
    project = data.add_project(Project(data.new_project_id(), changes.pop("key"), changes.pop("name"), changes.pop("lead"), **changes))
    return json_response({"self": f"{call.render.rest}/project/{project.id}", "id": int(project.id), "key": project.key}, 201)


async def update_project(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    changes = _project_fields(call, await read_object(call), project)
    if "key" in changes and changes["key"] != project.key:
        raise Refusal(errors.collection(400, errors={"projectKey": "Changing the project key is not supported by the sandbox."}))
    call.product.data.change_project(project, **changes)
    return json_response(call.render.project(project, full=True))


async def delete_project(call: JiraCall) -> Response:
    """`enableUndo` (Cloud's recycle bin) is accepted and the project is gone at once either way."""
    project = find_project(call, call.params["ref"])
    call.product.data.delete_project(project)
    return empty_response(204)


# ---- the schemes and roles of a project ----------------------------------------------------


async def project_permission_scheme(call: JiraCall) -> Response:
    find_project(call, call.params["ref"])
    return json_response(_scheme(call, "permissionscheme", catalog.PERMISSION_SCHEME))


async def project_notification_scheme(call: JiraCall) -> Response:
    find_project(call, call.params["ref"])
    return json_response(_scheme(call, "notificationscheme", catalog.NOTIFICATION_SCHEME))


async def project_priority_scheme(call: JiraCall) -> Response:
    find_project(call, call.params["ref"])
    out = _scheme(call, "priorityschemes", catalog.PRIORITY_SCHEME)
    out.update(defaultOptionId=catalog.DEFAULT_PRIORITY, optionIds=[p[0] for p in catalog.PRIORITIES], defaultScheme=True)
    return json_response(out)


async def project_workflow_scheme(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    name = f"{project.key}: Software Simplified Workflow Scheme" if project.template else "Default Workflow Scheme"
    workflow = f"Software Simplified Workflow for Project {project.key}" if project.template else "jira"
    return json_response({"id": int(project.id), "name": name, "description": "", "defaultWorkflow": workflow,
                          "issueTypeMappings": {}, "draft": False, "self": f"{call.render.rest}/workflowscheme/{project.id}"})


async def project_security_level_scheme(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    if project.issue_security_scheme is None:
        raise Refusal(errors.collection(404, ["The project does not have an issue security level scheme."]))
    levels = [{"self": f"{call.render.rest}/securitylevel/{lv['id']}", **lv} for lv in catalog.SECURITY_LEVELS]
    return json_response({**_security_scheme(call), "levels": levels})


def _role(call: JiraCall, project: Project, role_id: str) -> dict[str, Any]:
    found = next((r for r in catalog.ROLES if r[0] == role_id), None)
    if found is None:
        raise Refusal(errors.collection(404, ["Can not retrieve a role actor for a null project role."]))
    _, name, description, _ = found
    members = project.roles.get(role_id, {"users": [], "groups": []})
    realm, cloud = call.product.realm, call.product.deployment.cloud
    actors = []
    for n, group in enumerate(members["groups"]):
        actor = {"id": 10000 + n, "displayName": group, "type": "atlassian-group-role-actor", "name": group}
        if cloud:
            actor["actorGroup"] = {"name": group, "displayName": group, "groupId": realm.groups.get(group)}
        actors.append(actor)
    for n, key in enumerate(members["users"]):
        user = realm.users.get(key)
        if user is None:
            continue
        actor = {"id": 10100 + n, "displayName": user.display_name, "type": "atlassian-user-role-actor", "name": user.name}
        if cloud:
            actor["actorUser"] = {"accountId": user.key}
        actors.append(actor)
    return {"self": f"{call.render.rest}/project/{project.id}/role/{role_id}", "name": name, "id": int(role_id),
            "description": description, "actors": actors}


async def project_roles(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    return json_response({name: f"{call.render.rest}/project/{project.id}/role/{rid}" for rid, name, _, _ in catalog.ROLES})


async def project_role(call: JiraCall) -> Response:
    project = find_project(call, call.params["ref"])
    return json_response(_role(call, project, call.params["id"]))


def _names(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise not_deserializable(field, "a list of strings")
    return value


def _actors(call: JiraCall, users: Any, groups: Any) -> tuple[list[str], list[str]]:
    realm, cloud = call.product.realm, call.product.deployment.cloud
    keys, names = [], []
    for name in users:
        user = realm.users.get(name) if cloud else realm.find_user(str(name))
        if user is None:
            raise Refusal(errors.collection(404, [f"We can't find '{name}' in any accessible user directory. Check they're still active and available, and try again."]))
        keys.append(user.key)
    for group in groups:
        if group not in realm.groups:
            raise Refusal(errors.collection(404, [f"We can't find '{group}' in any accessible user directory."]))
        names.append(group)
    return keys, names


async def set_role_actors(call: JiraCall) -> Response:
    """PUT: the role's actors become the given ones (categorisedActors)."""
    project = find_project(call, call.params["ref"])
    role = _role(call, project, call.params["id"])
    body = await read_object(call)
    actors = body.get("categorisedActors") or {}
    if not isinstance(actors, dict):
        raise not_deserializable("categorisedActors", "an object")
    users, groups = (_names(actors.get(f"atlassian-{kind}-role-actor"), f"atlassian-{kind}-role-actor") for kind in ("user", "group"))
    keys, names = _actors(call, users, groups)
    roles = {**project.roles, str(role["id"]): {"users": keys, "groups": names}}
    call.product.data.change_project(project, roles=roles)
    return json_response(_role(call, project, call.params["id"]))


async def add_role_actors(call: JiraCall) -> Response:
    """POST: {"user": [...], "group": [...]} join the role."""
    project = find_project(call, call.params["ref"])
    role_id = str(_role(call, project, call.params["id"])["id"])
    body = await read_object(call)
    field = "accountId" if call.product.deployment.cloud else "user"
    keys, names = _actors(call, _names(body.get(field), field), _names(body.get("group"), "group"))
    members = project.roles.get(role_id, {"users": [], "groups": []})
    merged = {"users": list(dict.fromkeys(members["users"] + keys)), "groups": list(dict.fromkeys(members["groups"] + names))}
    call.product.data.change_project(project, roles={**project.roles, role_id: merged})
    return json_response(_role(call, project, call.params["id"]))


# ---- permissions ---------------------------------------------------------------------------


async def my_permissions(call: JiraCall) -> Response:
    params = call.request.query_params
    cloud = call.product.deployment.cloud
    if params.get("projectKey") or params.get("projectId"):
        find_project(call, params.get("projectKey") or params.get("projectId"))
    if params.get("issueKey") or params.get("issueId"):
        find_issue(call, params.get("issueKey") or params.get("issueId"))
    wanted = {k.strip() for k in params.get("permissions", "").split(",") if k.strip()}
    if cloud and not wanted:
        raise Refusal(errors.collection(400, ["The 'permissions' query parameter is required."]))
    admin = call.product.realm.is_admin(call.user)
    signed_in = call.user is not None
    out = {}
    for number, (key, name, kind, who) in enumerate(catalog.PERMISSIONS, start=1):
        if wanted and key not in wanted:
            continue
        have = admin or (signed_in and who == "user")
        out[key] = {"id": str(number), "key": key, "name": name, "type": kind, "description": name + ".", "havePermission": have}
    unknown = wanted - out.keys()
    if unknown:
        raise Refusal(errors.collection(400, [f"Unrecognized permission key(s): {', '.join(sorted(unknown))}"]))
    return json_response({"permissions": out})


# ---- application properties ----------------------------------------------------------------


def _property(key: str, value: str) -> dict[str, Any]:
    kind, name, default = catalog.APPLICATION_PROPERTIES[key]
    return {"id": key, "key": key, "value": value, "name": name, "desc": name, "type": kind, "defaultValue": default}


async def application_properties(call: JiraCall) -> Response:
    values = call.product.data.properties
    key = call.request.query_params.get("key")
    if key:
        if key not in catalog.APPLICATION_PROPERTIES:
            raise Refusal(errors.collection(404, [f"Property '{key}' does not exist."]))
        return json_response(_property(key, values.get(key, catalog.APPLICATION_PROPERTIES[key][2])))
    return json_response([_property(k, values.get(k, v[2])) for k, v in catalog.APPLICATION_PROPERTIES.items()])


async def set_application_property(call: JiraCall) -> Response:
    key = call.params["id"]
    if key not in catalog.APPLICATION_PROPERTIES:
        raise Refusal(errors.collection(404, [f"Property '{key}' does not exist."]))
    body = await read_object(call)
    value = body.get("value")
    if not isinstance(value, str):
        raise not_deserializable("value", "a string")
    call.product.data.set_property(key, value)
    return json_response(_property(key, value))


async def project_templates(call: JiraCall) -> Response:
    """DC's /rest/project-templates/latest/templates, grouped by project type."""
    groups = {}
    for key in catalog.DC_TEMPLATES:
        name, kind = catalog.TEMPLATES[key]
        template = {"projectTemplateModuleCompleteKey": key, "name": name, "projectTypeKey": kind, "weight": len(groups.get(kind, [])),
                    "description": f"{name}.", "createProject": True}
        groups.setdefault(kind, []).append(template)
    return json_response({"projectTemplatesGroupedByType": [
        {"projectTypeBean": {"projectTypeKey": kind, "projectTypeDisplayKey": kind.title()}, "projectTemplates": templates}
        for kind, templates in groups.items()
    ]})
