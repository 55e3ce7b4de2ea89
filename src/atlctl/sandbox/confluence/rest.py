"""Confluence REST v1 (DC /rest/api, Cloud /wiki/rest/api): server info, users, spaces, content
(pages, comments, attachments), history, labels, CQL search, personal access tokens."""

from __future__ import annotations

import base64
import json
import mimetypes
import secrets
from typing import Any
from urllib.parse import unquote

from starlette.datastructures import UploadFile
from starlette.responses import Response

from atlctl.sandbox.confluence import cql as cql_parser
from atlctl.sandbox.confluence import errors, storage
from atlctl.sandbox.confluence.model import Content, Space, Version, title_of
from atlctl.sandbox.confluence.render import V1, iso
from atlctl.sandbox.product import Call, Refusal
from atlctl.sandbox.responses import empty_response, json_response

MAX_LIMIT = 200  # Confluence caps limit (the default is 25)


def _v1(call: Call, expand: str | None = None) -> V1:
    wanted = expand if expand is not None else call.request.query_params.get("expand", "")
    return V1(call.product, call.base, {part.strip() for part in wanted.split(",") if part.strip()})


def _int(call: Call, name: str, default: int, high: int = 10**6) -> int:
    raw = call.request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return max(0, min(high, int(raw)))
    except ValueError:
        raise Refusal(errors.error(400, f"{name} must be a number: {raw}")) from None  # [I]


async def read_json(call: Call) -> Any:
    media = call.request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media and media != "application/json":
        raise Refusal(Response(b"", 415))
    try:
        return json.loads(await call.body() or b"null")
    except (ValueError, RecursionError):
        raise Refusal(errors.error(400, "Unable to parse the request body as JSON.")) from None  # [I]


async def read_object(call: Call) -> dict[str, Any]:
    body = await read_json(call)
    if not isinstance(body, dict):
        raise Refusal(errors.error(400, "Unable to parse the request body as JSON."))
    return body


def _visible_space(call: Call, space: Space) -> bool:
    return call.product.can_use(call.user)


def _space(call: Call, key: str) -> Space:
    space = call.product.data.space(key)
    if space is None or not _visible_space(call, space):
        raise Refusal(errors.error(404, f"No space with key : {key}"))
    return space


def _content(call: Call, ref: str, status: str = "current") -> Content:
    content = call.product.data.get(ref, status)
    if content is None or not call.product.can_use(call.user):
        raise Refusal(errors.error(404, f"No content found with id : ContentId{{id={ref}}}"))
    return content


def _page_of(call: Call, items: list[Any], path: str, render, **params: Any) -> Response:
    start, limit = _int(call, "start", 0), _int(call, "limit", 25, MAX_LIMIT) or 25
    chunk = items[start : start + limit]
    return json_response(_v1(call).page([render(i) for i in chunk], start, limit, path, params, len(items)))


# ---- server, users ---------------------------------------------------------------------------


async def manifest(call: Call) -> Response:
    """§2.5: JSON when asked for (the sandbox answers JSON to any Accept)."""
    product = call.product
    version = "1000.0.0" if product.cloud else product.settings.version
    major = product.settings.version_tuple[0]
    return json_response({"id": "8f2b6c1e-4d3a-3c5b-9e7f-0a1b2c3d4e5f", "name": "Confluence", "typeId": "confluence",
                          "version": version, "buildNumber": 9012 if major < 1000 else 6452, "applinksVersion": "9.1.4",
                          "inboundAuthenticationTypes": [], "outboundAuthenticationTypes": [], "publicSignup": False,
                          "url": call.base})


async def system_info(call: Call) -> Response:
    return json_response({"cloudId": "c57406ca-3b3d-4bd4-bb8b-5c5e0a1b2c3d", "commitHash": "a1b2c3d4e5f6", "baseUrl": call.base,
                          "edition": "standard", "siteTitle": "Confluence", "defaultLocale": "en_GB"})


async def current_user(call: Call) -> Response:
    return json_response(_v1(call).user(call.user))


# ---- spaces ----------------------------------------------------------------------------------


async def list_spaces(call: Call) -> Response:
    keys = set(call.query_list("spaceKey"))
    spaces = [s for s in call.product.data.spaces.values() if _visible_space(call, s) and (not keys or s.key in keys)]
    return _page_of(call, sorted(spaces, key=lambda s: s.key), "/rest/api/space", _v1(call).space,
                    spaceKey=",".join(sorted(keys)) or None)


async def get_space(call: Call) -> Response:
    return json_response(_v1(call).space(_space(call, call.params["key"])))


async def create_space(call: Call) -> Response:
    body = await read_object(call)
    key, name = body.get("key"), body.get("name")
    if not isinstance(key, str) or not key.isalnum() or not isinstance(name, str) or not name.strip():
        return errors.bad_request("Space key and name are required; the key may contain only letters and numbers.")  # [I]
    data = call.product.data
    if data.space(key) is not None:
        return errors.bad_request(f"A space already exists with key {key}")
    plain = ((body.get("description") or {}).get("plain") or {}).get("value", "") if isinstance(body.get("description"), dict) else ""
    space = data.add_space(key.upper(), name.strip(), str(plain), call.user.key, call.product.realm.clock.now())
    return json_response(_v1(call, "description.plain,homepage").space(space))


async def delete_space(call: Call) -> Response:
    space = _space(call, call.params["key"])
    if not call.product.space_admin(call.user, space):
        return errors.error(403, f"User {call.user.name} does not have permission to delete space {space.key}")  # [I]
    call.product.data.remove_space(space)
    task = secrets.token_hex(8)
    return json_response({"id": task, "links": {"status": f"/rest/api/longtask/{task}"}}, 202)


# ---- content ---------------------------------------------------------------------------------


def _visible(call: Call):
    ok = call.product.can_use(call.user)
    return lambda c: ok


async def list_content(call: Call) -> Response:
    q = call.request.query_params
    type_ = q.get("type", "page")
    items = [c for c in call.product.data.current() if c.type == type_ and c.type in ("page", "blogpost")]
    if q.get("spaceKey"):
        items = [c for c in items if c.space.upper() == q["spaceKey"].upper()]
    if q.get("title"):
        items = [c for c in items if c.title == q["title"]]
    items = [c for c in items if call.product.can_use(call.user)]
    return _page_of(call, items, "/rest/api/content", _v1(call).content, type=type_, spaceKey=q.get("spaceKey"),
                    title=q.get("title"), expand=q.get("expand"))


def _storage(body: dict[str, Any]) -> str | None:
    value = ((body.get("body") or {}).get("storage") or {}) if isinstance(body.get("body"), dict) else {}
    return value.get("value") if isinstance(value, dict) and isinstance(value.get("value"), str) else None


def _ancestor_id(body: dict[str, Any]) -> Any:
    ancestors = body.get("ancestors")
    if isinstance(ancestors, list) and ancestors and isinstance(ancestors[-1], dict):
        return ancestors[-1].get("id")
    return None


async def create_content(call: Call) -> Response:
    body = await read_object(call)
    product, data = call.product, call.product.data
    type_ = body.get("type")
    now = product.realm.clock.now()
    if type_ == "comment":
        container = body.get("container") if isinstance(body.get("container"), dict) else {}
        parent = data.get(container.get("id"))
        if parent is None or not product.can_use(call.user):
            return errors.error(404, "Cannot find content to comment on")  # [I]
        text = _storage(body)
        if text is None:
            return errors.bad_request("Comment body is required")  # [I]
        storage.check(text, product.cloud)
        comment = data.add_content("comment", f"Re: {parent.title}", parent.space, text, call.user.key, now, parent=parent.id)
        return json_response(_v1(call, "version,container,body.storage").content(comment))
    if type_ not in ("page", "blogpost"):
        return errors.bad_request(f"Unsupported content type: {type_}")  # [I]
    space_ref = body.get("space") if isinstance(body.get("space"), dict) else {}
    title = title_of(body)
    if title is None:
        return errors.bad_request("Title is required")  # [I]
    space = data.space(str(space_ref.get("key", "")))
    if space is None or not product.can_use(call.user):
        return errors.error(403, f"Space does not exist or you do not have permission to add a page: {space_ref.get('key')}")  # [I]
    if data.page_titled(space.key, title, type_) is not None:
        return errors.bad_request(f"A page with this title already exists: A page already exists with the title {title} in the space with key {space.key}")
    text = _storage(body)
    storage.check(text, product.cloud)
    parent_id = _ancestor_id(body)
    parent = data.get(parent_id) if parent_id is not None else data.content.get(space.homepage)
    if parent_id is not None and (parent is None or parent.space != space.key):
        return errors.bad_request(f"Could not find parent page with id {parent_id}")  # [I]
    page = data.add_content(type_, title, space.key, text or "", call.user.key, now, parent=parent.id if parent else None)
    return json_response(_v1(call, "space,history,version,ancestors").content(page))


async def get_content(call: Call) -> Response:
    status = call.request.query_params.get("status", "current")
    return json_response(_v1(call).content(_content(call, call.params["id"], "trashed" if status == "trashed" else "current")))


async def history(call: Call) -> Response:
    return json_response(_v1(call).history(_content(call, call.params["id"])))


async def update_content(call: Call) -> Response:
    content = _content(call, call.params["id"])
    body = await read_object(call)
    version = body.get("version")
    number = version.get("number") if isinstance(version, dict) else None
    if isinstance(number, str) and number.isdecimal():
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool):
        return errors.error(400, "Must supply an incremented version when updating Content. No version supplied.")
    if number != content.version.number + 1:
        return errors.error(409, f"Version must be incremented on update. Current version is: {content.version.number}")
    title = title_of(body)
    if title is None:
        return errors.bad_request("Title is required")  # [I]
    data = call.product.data
    clash = data.page_titled(content.space, title, content.type) if content.type in ("page", "blogpost") else None
    if clash is not None and clash.id != content.id:
        return errors.bad_request(f"A page with this title already exists: A page already exists with the title {title} in the space with key {content.space}")
    text = _storage(body)
    storage.check(text, call.product.cloud)
    parent_id = _ancestor_id(body)
    parent = data.get(parent_id) if parent_id is not None and content.type == "page" else None
    if parent_id is not None and content.type == "page" and (parent is None or parent.space != content.space):
        return errors.bad_request(f"Could not find parent page with id {parent_id}")  # [I] as on create
    if parent is not None and data.moves_under(content, parent):
        return errors.bad_request(errors.ANCESTOR_AS_CHILD)
    content.title = title
    if text is not None:
        content.body = text
    if parent is not None:
        content.parent = parent.id
    content.versions.append(Version(number, call.user.key, call.product.realm.clock.now(), str(version.get("message") or ""),
                                    bool(version.get("minorEdit"))))
    data.save(content)
    return json_response(_v1(call, "space,history,version,body.storage,ancestors").content(content))


async def delete_content(call: Call) -> Response:
    status = call.request.query_params.get("status")
    content = _content(call, call.params["id"], "trashed" if status == "trashed" else "current")
    space = call.product.data.space(content.space)
    if content.created.by != call.user.key and not (space and call.product.space_admin(call.user, space)):
        return errors.error(403, "Not permitted to delete content with id: " + str(content.id))  # [I]
    if content.status == "trashed":
        call.product.data.purge(content)
    else:
        content.status = "trashed"
        call.product.data.save(content)
        for child in call.product.data.children(content, "page"):
            child.parent = content.parent
            call.product.data.save(child)
    return empty_response(204)


async def children(call: Call) -> Response:
    content = _content(call, call.params["id"])
    kind = call.params["type"]
    if kind not in ("page", "comment", "attachment"):
        return errors.error(404, f"null for uri: {call.request.url}")
    items = call.product.data.children(content, kind)
    if kind == "attachment" and call.request.query_params.get("filename"):
        items = [a for a in items if a.title == call.request.query_params["filename"]]
    return _page_of(call, items, f"/rest/api/content/{content.id}/child/{kind}", _v1(call).content,
                    expand=call.request.query_params.get("expand"))


async def children_or_upload(call: Call) -> Response:
    if call.request.method == "POST":
        return await add_attachment(call)
    call.params["type"] = "attachment"
    return await children(call)


async def descendants(call: Call) -> Response:
    content = _content(call, call.params["id"])
    return _page_of(call, call.product.data.descendants(content), f"/rest/api/content/{content.id}/descendant/page", _v1(call).content)


# ---- labels ----------------------------------------------------------------------------------


async def labels(call: Call) -> Response:
    content = _content(call, call.params["id"])
    return _page_of(call, content.labels, f"/rest/api/content/{content.id}/label", _v1(call).label)


async def add_labels(call: Call) -> Response:
    content = _content(call, call.params["id"])
    body = await read_json(call)
    items = body if isinstance(body, list) else [body]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip() or any(ch in name for ch in ' :;,.?&[]()#^*@!<>'):
            return errors.bad_request(f"Invalid label name: {name}")  # [I]
        names.append(name.strip().lower())
    for name in names:
        if name not in (n for _, n in content.labels):
            content.labels.append((call.product.data.label_id(name), name))
    call.product.data.save(content)
    return _page_of(call, content.labels, f"/rest/api/content/{content.id}/label", _v1(call).label)


async def remove_label(call: Call) -> Response:
    content = _content(call, call.params["id"])
    name = call.params.get("label") or call.request.query_params.get("name")
    name = unquote(name or "").lower()
    if name not in (n for _, n in content.labels):
        return errors.error(404, f"Label with name {name} not found on content")  # [I]
    content.labels = [label for label in content.labels if label[1] != name]
    call.product.data.save(content)
    return empty_response(204)


# ---- attachments -----------------------------------------------------------------------------


async def _upload(call: Call) -> tuple[UploadFile, str, bool]:
    form = await call.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Refusal(errors.bad_request("No file was found in the request: send it as the multipart field 'file'."))  # [I]
    comment = form.get("comment")
    return upload, comment if isinstance(comment, str) else "", str(form.get("minorEdit", "false")).lower() == "true"


async def add_attachment(call: Call) -> Response:
    page = _content(call, call.params["id"])
    upload, comment, _minor = await _upload(call)
    name = upload.filename or "file"
    data = call.product.data
    if any(a.title == name for a in data.children(page, "attachment")):
        if call.request.query_params.get("allowDuplicated") != "true":
            return errors.error(400, f"com.atlassian.confluence.api.service.exceptions.BadRequestException: Cannot add a new "
                                     f"attachment with same file name as an existing attachment: {name}", authorized=True,
                                successful=True)
        existing = next(a for a in data.children(page, "attachment") if a.title == name)
        return await _new_version(call, existing, upload, comment)
    content = data.add_content("attachment", name, page.space, "", call.user.key, call.product.realm.clock.now(), parent=page.id)
    content.data = await call.product.realm.settle(upload.read())
    content.media_type = upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    content.comment = comment
    data.save(content)
    v1 = _v1(call, "version,container")
    return json_response(v1.page([v1.content(content)], 0, 25, f"/rest/api/content/{page.id}/child/attachment", {}, 1))


async def _new_version(call: Call, attachment: Content, upload: UploadFile, comment: str) -> Response:
    attachment.data = await call.product.realm.settle(upload.read())
    attachment.media_type = upload.content_type or attachment.media_type
    attachment.comment = comment or attachment.comment
    attachment.versions.append(Version(attachment.version.number + 1, call.user.key, call.product.realm.clock.now(), comment))
    call.product.data.save(attachment)
    return json_response(_v1(call, "version,container").content(attachment))


async def attachment_data(call: Call) -> Response:
    page = _content(call, call.params["id"])
    attachment = call.product.data.get(call.params["att"])
    if attachment is None or attachment.parent != page.id or attachment.type != "attachment":
        return errors.error(404, f"No attachment with id {call.params['att']}")  # [I]
    upload, comment, _minor = await _upload(call)
    return await _new_version(call, attachment, upload, comment)


def _file(attachment: Content) -> Response:
    disposition = f"attachment; filename*=UTF-8''{attachment.title}"
    return Response(attachment.data, 200, {"Content-Disposition": disposition}, media_type=attachment.media_type)


async def download(call: Call) -> Response:
    page = _content(call, call.params["id"])
    name = unquote(call.params["name"])
    attachment = next((a for a in call.product.data.children(page, "attachment") if a.title == name), None)
    if attachment is None:
        return errors.error(404, f"No attachment named {name}")  # [I]
    return _file(attachment)


async def download_rest(call: Call) -> Response:
    page = _content(call, call.params["id"])
    attachment = call.product.data.get(call.params["att"])
    if attachment is None or attachment.parent != page.id:
        return errors.error(404, f"No attachment with id {call.params['att']}")  # [I]
    return _file(attachment)


# ---- search ----------------------------------------------------------------------------------


def _cql(call: Call) -> tuple[str, list[Content]]:
    query = call.request.query_params.get("cql", "")
    try:
        found = cql_parser.search(call.product.data, query, _visible(call))
    except cql_parser.CqlError:
        raise Refusal(errors.error(400, f"Could not parse cql : {query}")) from None
    return query, found


async def content_search(call: Call) -> Response:
    query, found = _cql(call)
    return _page_of(call, found, "/rest/api/content/search", _v1(call).content, cql=query, expand=call.request.query_params.get("expand"))


async def search(call: Call) -> Response:
    query, found = _cql(call)
    v1 = _v1(call)
    start, limit = _int(call, "start", 0), _int(call, "limit", 25, MAX_LIMIT) or 25
    data = call.product.data

    def result(c: Content) -> dict[str, Any]:
        space = data.space(c.space)
        return {"content": v1.content(c), "title": c.title, "excerpt": c.body[:200], "url": v1.content(c)["_links"]["webui"],
                "resultGlobalContainer": {"title": space.name if space else c.space, "displayUrl": f"/spaces/{c.space}"},
                "breadcrumbs": [], "entityType": "content", "iconCssClass": f"aui-icon content-type-{c.type}",
                "lastModified": iso(c.version.when), "friendlyLastModified": iso(c.version.when), "score": 0.0}

    page = v1.page([result(c) for c in found[start : start + limit]], start, limit, "/rest/api/search", {"cql": query}, len(found))
    page.update({"totalSize": len(found), "cqlQuery": query, "searchDuration": 3})
    return json_response(page)


# ---- personal access tokens (DC >= 7.9) --------------------------------------------------------


def _token(token) -> dict[str, Any]:
    out = {"id": token.id, "name": token.name, "createdAt": iso(token.created)}
    if token.expires is not None:
        out["expiringAt"] = iso(token.expires)
    if token.last_used is not None:
        out["lastAccessedAt"] = iso(token.last_used)
    return out


def _mine(call: Call) -> list:
    return sorted((t for t in call.product.realm.tokens.values() if t.type == "pat" and t.user_key == call.user.key), key=lambda t: t.id)


async def create_token(call: Call) -> Response:
    body = await read_object(call)
    name, days = body.get("name"), body.get("expirationDuration")
    if not isinstance(name, str) or not name.strip():
        return errors.error(400, "Token name is required.")  # [I]
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650):
        return errors.error(400, "Expiry must be a whole number of days from 1 to 3650.")  # [I]
    raw = base64.b64encode(f"{secrets.randbelow(10**12):012d}:".encode() + secrets.token_bytes(20)).decode()
    token = call.product.realm.add_token(call.user, raw, name=name.strip(), type="pat", expires_in=days * 86400 if days else None)
    return json_response({**_token(token), "rawToken": raw}, 201)


async def list_tokens(call: Call) -> Response:
    return json_response([_token(t) for t in _mine(call)])


async def revoke_token(call: Call) -> Response:
    token = next((t for t in _mine(call) if str(t.id) == call.params["id"]), None)
    if token is None:
        return errors.error(404, f"No token with id {call.params['id']}")  # [I]
    call.product.realm.revoke_token(token)
    return empty_response(204)
