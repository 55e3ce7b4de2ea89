"""myself, user and group resources (the administration ones are websudo-protected on DC)."""

from __future__ import annotations

import re
import secrets
import uuid

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Avatars, numeric_id
from atlctl.sandbox.jira.resources import expand_param, find_issue, int_param, not_deserializable, read_object
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.realm import User
from atlctl.sandbox.responses import empty_response, json_response

_GDPR = "The query parameter '{}' is not supported in GDPR strict mode."


async def myself(call: JiraCall) -> Response:
    return json_response(call.render.user(call.user, expand_param(call)))


def _target_user(call: JiraCall) -> User:
    """The user named by ?username= / ?key= (DC) or ?accountId= (Cloud)."""
    params, realm = call.request.query_params, call.product.realm
    if call.product.deployment.cloud:
        for legacy in ("username", "key"):
            if legacy in params:
                raise Refusal(errors.collection(400, [_GDPR.format(legacy)]))
        user = realm.users.get(params.get("accountId", ""))
        if user is None:
            raise Refusal(errors.collection(404, [errors.NO_CLOUD_USER]))
        return user
    name = params.get("username") or params.get("key") or ""
    user = realm.find_user(name) or realm.users.get(name)
    if user is None:
        raise Refusal(errors.collection(404, [f"The user named '{name or 'null'}' does not exist"]))
    return user


async def get_user(call: JiraCall) -> Response:
    return json_response(call.render.user(_target_user(call), expand_param(call)))


async def create_user(call: JiraCall) -> Response:
    body = await read_object(call)
    realm, cloud = call.product.realm, call.product.deployment.cloud
    for field in ("name", "password", "emailAddress", "displayName"):
        if body.get(field) is not None and not isinstance(body[field], str):
            raise not_deserializable(field, "a string")
    # Without a password Jira generates one and mails the user; here nobody learns it.
    # Hashed first: no await may fall between the duplicate check and the insert.
    password_hash = await realm.make_hash(body.get("password") or secrets.token_urlsafe(18))
    email = body.get("emailAddress")
    if not isinstance(email, str) or "@" not in email:
        raise Refusal(errors.collection(400, errors={"email": "You must specify an email address."}))
    if cloud:
        if realm.find_user(email):
            raise Refusal(errors.collection(400, [f"A user with email address '{email}' already exists."]))
        key, name = uuid.uuid4().hex[:24], email
        display = body.get("displayName") or email.split("@")[0]
    else:
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise Refusal(errors.collection(400, errors={"username": "You must specify a username."}))
        if realm.find_user(name):
            raise Refusal(errors.collection(400, errors={"username": "A user with that username already exists."}))
        key = f"JIRAUSER{realm.sequences.next('user', 10200)}"
        display = body.get("displayName") or name
    user = User(key=key, name=name, display_name=display, email=email, password_hash=password_hash)
    user.groups.append(call.product.deployment.user_group)
    realm.add_user(user)
    out = {**call.render.user(user), "emailAddress": email}  # the creator gave it: the answer shows it
    return json_response(out, 201, {"Location": call.render.user_url(user)})


async def delete_user(call: JiraCall) -> Response:
    user = _target_user(call)
    if user is call.user:
        raise Refusal(errors.collection(400, ["You cannot delete the currently logged in user."]))
    call.product.realm.remove_user(user)
    return empty_response(204)


def _group_name(call: JiraCall, body: dict | None = None) -> str:
    name = call.request.query_params.get("groupname") or (body or {}).get("name")
    if not isinstance(name, str) or not name.strip():
        raise Refusal(errors.collection(400, ["You must specify a group name."]))
    return name


def _existing_group(call: JiraCall) -> str:
    """The group named by ?groupname=, or on Cloud by ?groupId= (which the spec recommends)."""
    realm = call.product.realm
    group_id = call.request.query_params.get("groupId") if call.product.deployment.cloud else None
    name = realm.group_named(group_id) if group_id else _group_name(call)
    if name not in realm.groups:
        raise Refusal(errors.collection(404, [f"Specified group does not exist: '{name or group_id}'."]))
    return name


def _group(call: JiraCall, name: str) -> dict:
    members = call.product.realm.members(name)
    return {
        **call.render.group_ref(name),
        "users": {"size": len(members), "items": [], "max-results": 50, "start-index": 0, "end-index": 0},
        "expand": "users",
    }


async def create_group(call: JiraCall) -> Response:
    name = _group_name(call, await read_object(call))
    if name in call.product.realm.groups:
        raise Refusal(errors.collection(400, errors={"groupName": "A group with that name already exists."}))
    call.product.realm.add_group(name)
    return json_response(_group(call, name), 201)


async def delete_group(call: JiraCall) -> Response:
    call.product.realm.remove_group(_existing_group(call))
    return empty_response(200)


def _member(call: JiraCall, body: dict) -> User:
    realm, cloud = call.product.realm, call.product.deployment.cloud
    field, param = ("accountId", "accountId") if cloud else ("name", "username")
    if body.get(field) is not None and not isinstance(body[field], str):
        raise not_deserializable(field, "a string")
    name = body.get(field) or call.request.query_params.get(param) or ""
    user = realm.users.get(name) if cloud else realm.find_user(name)
    if user is None:
        raise Refusal(errors.collection(404, [errors.NO_CLOUD_USER if cloud else f"The user named '{name or 'null'}' does not exist"]))
    return user


async def add_member(call: JiraCall) -> Response:
    group = _existing_group(call)
    user = _member(call, await read_object(call))
    if group in user.groups:
        raise Refusal(errors.collection(400, [f"Cannot add user. '{user.name}' is already a member of '{group}'"]))
    call.product.realm.join_group(user, group)
    return json_response(_group(call, group), 201)


async def remove_member(call: JiraCall) -> Response:
    group = _existing_group(call)
    user = _member(call, {})
    call.product.realm.leave_group(user, group)
    return empty_response(200)


async def members(call: JiraCall) -> Response:
    group = _existing_group(call)
    start, limit = int_param(call, "startAt", 0), int_param(call, "maxResults", 50, 1, 50)
    users = sorted(call.product.realm.members(group), key=lambda u: u.name)
    page = users[start : start + limit]
    return json_response(
        {
            "self": str(call.request.url),
            "maxResults": limit,
            "startAt": start,
            "total": len(users),
            "isLast": start + limit >= len(users),
            "values": [call.render.user_ref(u.key) for u in page],
        }
    )


# ---- user search ---------------------------------------------------------------------------


def _matches(user: User, query: str, cloud: bool) -> bool:
    """Jira's user search: a prefix of the login name, the email or a word of the display name,
    case-insensitively; on Cloud the email matches whether or not it is shown."""
    query = query.lower()
    words = [user.display_name.lower(), *user.display_name.lower().split()]
    names = [user.email.lower()] + ([] if cloud else [user.name.lower()])
    return any(text.startswith(query) for text in (*names, *words))


def _search(call: JiraCall, query_param: str, required: bool = True) -> list[User]:
    """Active users matching ?username= (DC) / ?query= (Cloud), in a page of startAt/maxResults."""
    params, cloud = call.request.query_params, call.product.deployment.cloud
    query = params.get(query_param)
    account = params.get("accountId") if cloud else None
    if required and not query and not account:
        message = "The query parameter 'query' or 'accountId' is required." if cloud else "The username query parameter was not provided"
        raise Refusal(errors.collection(400, [message]))
    active = params.get("includeActive", "true").lower() != "false"
    inactive = params.get("includeInactive", "false").lower() == "true"
    users = [
        u for u in call.product.realm.users.values()
        if (u.active and active or not u.active and inactive)
        and (account is None or u.key == account)
        and (not query or query == "." or _matches(u, query, cloud))
    ]
    return _page(call, users)


def _page(call: JiraCall, users: list[User]) -> list[User]:
    """Ordered by display name, a page of startAt/maxResults (at most 1000; a negative one is the
    default 50, a choice: docs/sandbox.md)."""
    users = sorted(users, key=lambda u: (u.display_name.lower(), u.name))
    if call.request.query_params.get("maxResults", "").strip().startswith("-"):
        limit = 50
    else:
        limit = int_param(call, "maxResults", 50, 1, 1000)
    start = int_param(call, "startAt", 0)
    return users[start : start + limit]


def _user_list(call: JiraCall, users: list[User]) -> Response:
    return json_response([call.render.user_ref(u.key) for u in users])


async def search_users(call: JiraCall) -> Response:
    """DC: ?username= (a name, email or display name prefix; "." for everyone); Cloud: ?query= or ?accountId=."""
    if call.user is None:
        return json_response([])
    return _user_list(call, _search(call, "query" if call.product.deployment.cloud else "username"))


async def all_users(call: JiraCall) -> Response:
    """Cloud's users/search: every account, active or not, a page at a time."""
    return _user_list(call, _page(call, list(call.product.realm.users.values())))


def _projects_named(call: JiraCall, refs: list[str]) -> list:
    data = call.product.data
    found = []
    for ref in refs:
        project = data.project(ref)
        if project is None or not call.product.can_browse(call.user):
            raise Refusal(errors.collection(404, [f"No project could be found with key '{ref}'."]))
        found.append(project)
    return found


def _in_scope(call: JiraCall, projects: list[str], issue: str | None) -> None:
    """The project(s) or issue a permission search is about must exist and be visible."""
    if issue:
        find_issue(call, issue)
    _projects_named(call, projects)


def _query_param(call: JiraCall) -> str:
    return "query" if call.product.deployment.cloud else "username"


def _with_permission(call: JiraCall) -> list[User]:
    """Everyone with Jira access has DEMO's Assignable User and Browse Projects permissions."""
    group = call.product.deployment.user_group
    return [u for u in _search(call, _query_param(call), required=False) if group in u.groups]


async def assignable_users(call: JiraCall) -> Response:
    return _users_of_a_project_or_issue(call, "project", "The 'project' or 'issueKey' parameter is required.")


async def assignable_multi_project(call: JiraCall) -> Response:
    keys = [k for v in call.query_list("projectKeys") for k in v.split(",") if k]
    if not keys:
        raise Refusal(errors.collection(400, ["The 'projectKeys' parameter is required."]))
    _in_scope(call, keys, None)
    return _user_list(call, _with_permission(call))


async def view_issue_users(call: JiraCall) -> Response:
    return _users_of_a_project_or_issue(call, "projectKey", "The 'issueKey' or 'projectKey' parameter is required.")


def _users_of_a_project_or_issue(call: JiraCall, project_param: str, missing: str) -> Response:
    """The users with the permission on the project (`project_param`) or the issue (issueKey)."""
    params = call.request.query_params
    project, issue = params.get(project_param), params.get("issueKey")
    if not project and not issue:
        raise Refusal(errors.collection(400, [missing]))
    _in_scope(call, [project] if project else [], issue)
    return _user_list(call, _with_permission(call))


# ---- groups --------------------------------------------------------------------------------


async def group_picker(call: JiraCall) -> Response:
    """DC and Cloud: groups whose name contains ?query=, case-insensitively, highlighted as Jira does."""
    params, realm = call.request.query_params, call.product.realm
    query = params.get("query", "")
    excluded = set(call.query_list("exclude"))
    limit = int_param(call, "maxResults", 20, 1, 1000)
    user_name = params.get("userName") or params.get("accountId")
    member = realm.find_user(user_name) or realm.users.get(user_name) if user_name else None
    names = sorted(
        (n for n in realm.groups if query.lower() in n.lower() and n not in excluded and (member is None or n in member.groups)),
        key=str.lower,
    )
    groups = []
    for name in names[:limit]:
        at = name.lower().find(query.lower())
        html = f"{name[:at]}<b>{name[at : at + len(query)]}</b>{name[at + len(query):]}" if query else name
        group = {"name": name, "html": html, "labels": []}
        if call.product.deployment.cloud:
            group["groupId"] = realm.groups[name]
        groups.append(group)
    shown = f"Showing {len(groups)} of {len(names)} matching groups"
    return json_response({"header": shown, "total": len(names), "groups": groups})


async def get_group(call: JiraCall) -> Response:
    """GET group?groupname=..&expand=users: the group, its members in the expanded page."""
    name = _existing_group(call)
    out = _group(call, name)
    expand = expand_param(call)
    wanted = next((item for item in expand if item == "users" or item.startswith("users[")), None)
    if wanted is not None:
        members = sorted(call.product.realm.members(name), key=lambda u: u.name)
        first, last = _expand_range(wanted[len("users"):], len(members))
        shown = members[first : last + 1][:50]
        out["users"].update(items=[call.render.user_ref(u.key) for u in shown], **{"start-index": first})
        out["users"]["end-index"] = first + max(0, len(shown) - 1)
    return json_response(out)


def _expand_range(index: str, size: int) -> tuple[int, int]:
    """Atlassian REST's expand index: "" (all), "[n]", "[a:b]" (b included), "[:b]", "[a:]"; negative
    numbers count from the end. Out of range: an empty slice. Unparseable: the whole list."""
    match = re.fullmatch(r"\[(-?\d*)(?::(-?\d*))?\]", index)
    if not match:
        return 0, size - 1

    def at(text: str | None, default: int) -> int:
        if not text or text == "-":
            return default
        number = int(text)
        return number + size if number < 0 else number

    first = at(match.group(1), 0)
    last = first if match.group(2) is None and match.group(1) else at(match.group(2), size - 1)
    return max(0, first), min(size - 1, last)


async def bulk_groups(call: JiraCall) -> Response:
    """Cloud: group/bulk, a page of groups (?groupName=, ?groupId= filter)."""
    realm = call.product.realm
    names, ids = set(call.query_list("groupName")), set(call.query_list("groupId"))
    chosen = sorted((n for n in realm.groups if (not names and not ids) or n in names or realm.groups[n] in ids), key=str.lower)
    start, limit = int_param(call, "startAt", 0), int_param(call, "maxResults", 50, 1, 1000)
    page = chosen[start : start + limit]
    return json_response({"maxResults": limit, "startAt": start, "total": len(chosen), "isLast": start + limit >= len(chosen),
                          "values": [{"name": n, "groupId": realm.groups[n]} for n in page]})


# ---- avatars (DC) --------------------------------------------------------------------------

SYSTEM_AVATARS = tuple(range(10100, 10124))  # Jira's 24 system user avatars
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _avatar_user(call: JiraCall) -> User:
    """The ?username= user, whose avatar only they or an administrator may change."""
    user = _target_user(call)
    if call.request.method != "GET" and user.key != call.user.key and not call.product.realm.is_admin(call.user):
        raise Refusal(errors.collection(403, ["You do not have permission to change the avatar of this user."]))
    return user


async def user_avatars(call: JiraCall) -> Response:
    user = _avatar_user(call)
    mine = call.product.data.avatars_of(user.key)
    render = call.render
    return json_response({"system": [render.avatar(a, user, mine.selected, True) for a in SYSTEM_AVATARS],
                          "custom": [render.avatar(a, user, mine.selected, False) for a in mine.custom]})


async def temporary_avatar(call: JiraCall) -> Response:
    """The image is the body; Jira decodes it whatever the media type says (clients without a
    type detector send none or JSON's). Cropping follows in POST user/avatar."""
    user = _avatar_user(call)
    if not (await call.body()).startswith(_IMAGE_MAGIC):
        raise Refusal(errors.collection(400, ["The avatar must be an image (PNG, JPEG or GIF)."]))
    data = call.product.data
    mine = data.avatars_of(user.key)
    mine.pending = True
    data.save_avatars(mine)
    return json_response({"cropperWidth": 48, "cropperOffsetX": 0, "cropperOffsetY": 0,
                          "url": f"{call.render.base}/secure/temporaryavatar?cropped=true&magic={user.key}", "needsCropping": True}, 201)


async def confirm_avatar(call: JiraCall) -> Response:
    user = _avatar_user(call)
    await read_object(call)  # the cropping (the sandbox keeps the image whole)
    data = call.product.data
    mine = data.avatars_of(user.key)
    if not mine.pending:
        raise Refusal(errors.collection(400, ["No temporary avatar has been uploaded."]))
    avatar_id = data.new_avatar_id()
    mine.custom.append(avatar_id)
    mine.pending = False
    data.save_avatars(mine)
    return json_response(call.render.avatar(avatar_id, user, mine.selected, False), 201)


async def select_avatar(call: JiraCall) -> Response:
    user = _avatar_user(call)
    body = await read_object(call)
    data = call.product.data
    mine = data.avatars_of(user.key)
    wanted = numeric_id(str(body.get("id", "")))
    if wanted not in SYSTEM_AVATARS and wanted not in mine.custom:
        raise Refusal(errors.collection(404, [f"Avatar with id '{body.get('id')}' does not exist."]))
    mine.selected = wanted
    data.save_avatars(mine)
    return empty_response(204)


async def delete_avatar(call: JiraCall) -> Response:
    user = _avatar_user(call)
    data = call.product.data
    mine = data.avatars_of(user.key)
    avatar_id = numeric_id(call.params["id"])
    if avatar_id not in mine.custom:
        raise Refusal(errors.collection(404 if avatar_id not in SYSTEM_AVATARS else 403, ["The avatar cannot be deleted."]))
    mine.custom.remove(avatar_id)
    if mine.selected == avatar_id:
        mine.selected = Avatars(user.key).selected
    data.save_avatars(mine)
    return empty_response(204)
