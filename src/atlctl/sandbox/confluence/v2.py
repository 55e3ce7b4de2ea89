"""Confluence Cloud REST v2 (/wiki/api/v2): spaces, pages, footer comments, page labels (read-only,
as in Cloud's v2), with opaque cursor paging and the Link header (§4.6)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from atlctl.sandbox.confluence import errors
from atlctl.sandbox.confluence.model import Content, Space, Version, title_of
from atlctl.sandbox.confluence.render import iso
from atlctl.sandbox.confluence.rest import read_object
from atlctl.sandbox.product import Call, Refusal
from atlctl.sandbox.responses import empty_response, json_response

ROOT = "/api/v2"


def _site(call: Call) -> str:
    return call.base  # https://site/wiki


def _context(call: Call) -> str:
    return "/" + call.base.split("://", 1)[1].partition("/")[2]


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(call: Call) -> int:
    raw = call.request.query_params.get("cursor")
    if not raw:
        return 0
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        return int(text.split(":", 1)[1]) if text.startswith("offset:") else -1
    except (ValueError, UnicodeDecodeError):
        return -1


def _paged(call: Call, items: list[Any], path: str, render) -> Response:
    offset = _offset(call)
    if offset < 0:
        return errors.v2_error(400, "Invalid cursor")  # [I]
    try:
        limit = int(call.request.query_params.get("limit", "25"))
    except ValueError:
        return errors.v2_error(400, "limit must be a number")  # [I]
    limit = max(1, min(250, limit))
    chunk = items[offset : offset + limit]
    links: dict[str, str] = {"base": _site(call)}
    headers = {}
    if offset + limit < len(items):
        query = {k: v for k, v in call.request.query_params.items() if k != "cursor"}
        nxt = f"{_context(call)}{ROOT}{path}?{urlencode({**query, 'cursor': _cursor(offset + limit)})}"
        links["next"] = nxt
        headers["Link"] = f'<{nxt}>; rel="next", <{_site(call)}>; rel="base"'
    return json_response({"results": [render(i) for i in chunk], "_links": links}, 200, headers)


def _space(call: Call, space: Space) -> dict[str, Any]:
    return {"id": str(space.id), "key": space.key, "name": space.name, "type": space.type, "status": "current",
            "authorId": space.admins[0] if space.admins else None, "homepageId": str(space.homepage),
            "description": None, "_links": {"webui": f"/spaces/{space.key}"}}


def _body(call: Call, content: Content) -> dict[str, Any]:
    wanted = call.request.query_params.get("body-format")
    return {"storage": {"value": content.body, "representation": "storage"}} if wanted == "storage" else {}


def _version(version: Version) -> dict[str, Any]:
    return {"createdAt": iso(version.when), "message": version.message, "number": version.number,
            "minorEdit": version.minor_edit, "authorId": version.by}


def _page(call: Call, content: Content) -> dict[str, Any]:
    space = call.product.data.space(content.space)
    return {"id": str(content.id), "status": content.status, "title": content.title, "spaceId": str(space.id) if space else None,
            "parentId": str(content.parent) if content.parent else None, "parentType": "page" if content.parent else None,
            "authorId": content.created.by, "createdAt": iso(content.created.when), "version": _version(content.version),
            "body": _body(call, content), "_links": {"webui": f"/spaces/{content.space}/pages/{content.id}", "editui": f"/pages/resumedraft.action?draftId={content.id}",
                                                      "tinyui": f"/x/{content.id}"}}


def _comment(call: Call, content: Content) -> dict[str, Any]:
    return {"id": str(content.id), "status": content.status, "title": content.title, "pageId": str(content.parent),
            "version": _version(content.version), "body": _body(call, content), "_links": {"webui": f"/spaces/{content.space}/pages/{content.parent}"}}


def _find_page(call: Call, ref: str) -> Content:
    content = call.product.data.get(ref)
    if content is None or content.type != "page":
        raise Refusal(errors.v2_error(404, "Not Found", "NOT_FOUND"))  # [I]
    return content


async def spaces(call: Call) -> Response:
    keys = {k for value in call.query_list("keys") for k in value.split(",") if k}
    ids = {i for value in call.query_list("ids") for i in value.split(",") if i}
    found = [s for s in sorted(call.product.data.spaces.values(), key=lambda s: s.id)
             if (not keys or s.key in keys) and (not ids or str(s.id) in ids)]
    return _paged(call, found, "/spaces", lambda s: _space(call, s))


async def space(call: Call) -> Response:
    found = call.product.data.space_by_id(call.params["id"])
    if found is None:
        return errors.v2_error(404, "Not Found", "NOT_FOUND")
    return json_response(_space(call, found))


async def create_space(call: Call) -> Response:
    body = await read_object(call)
    key, name = body.get("key"), body.get("name")
    if not isinstance(key, str) or not key.isalnum() or not isinstance(name, str) or not name.strip():
        return errors.v2_error(400, "Space key and name are required")  # [I]
    if call.product.data.space(key) is not None:
        return errors.v2_error(400, f"A space already exists with key {key}")  # [I]
    created = call.product.data.add_space(key.upper(), name.strip(), "", call.user.key, call.product.realm.clock.now())
    return json_response(_space(call, created), 201)


async def pages(call: Call) -> Response:
    q = call.request.query_params
    space_ids = {i for value in call.query_list("space-id") for i in value.split(",") if i}
    data = call.product.data
    found = [c for c in data.current() if c.type == "page"]
    if space_ids:
        found = [c for c in found if (s := data.space(c.space)) is not None and str(s.id) in space_ids]
    if q.get("title"):
        found = [c for c in found if c.title == q["title"]]
    return _paged(call, found, "/pages", lambda c: _page(call, c))


async def space_pages(call: Call) -> Response:
    found_space = call.product.data.space_by_id(call.params["id"])
    if found_space is None:
        return errors.v2_error(404, "Not Found", "NOT_FOUND")
    found = [c for c in call.product.data.current() if c.type == "page" and c.space == found_space.key]
    return _paged(call, found, f"/spaces/{found_space.id}/pages", lambda c: _page(call, c))


def _storage_value(body: dict[str, Any]) -> str | None:
    raw = body.get("body")
    if not isinstance(raw, dict):
        return None
    if isinstance(raw.get("value"), str):
        return raw["value"]
    storage = raw.get("storage")
    return storage.get("value") if isinstance(storage, dict) and isinstance(storage.get("value"), str) else None


async def create_page(call: Call) -> Response:
    body = await read_object(call)
    data = call.product.data
    found_space = data.space_by_id(str(body.get("spaceId", "")))
    title = title_of(body)
    if found_space is None:
        return errors.v2_error(400, "Invalid space id")  # [I]
    if title is None:
        return errors.v2_error(400, "Title is required")  # [I]
    if data.page_titled(found_space.key, title) is not None:
        return errors.v2_error(400, f"A page with this title already exists: A page already exists with the title {title} in the space with key {found_space.key}")
    parent = data.get(body["parentId"]) if body.get("parentId") else data.content.get(found_space.homepage)
    if parent is None:
        return errors.v2_error(400, "Invalid parent id")  # [I]
    page = data.add_content("page", title, found_space.key, _storage_value(body) or "", call.user.key, call.product.realm.clock.now(),
                            parent=parent.id)
    return json_response(_page(call, page))


async def get_page(call: Call) -> Response:
    return json_response(_page(call, _find_page(call, call.params["id"])))


async def update_page(call: Call) -> Response:
    page = _find_page(call, call.params["id"])
    body = await read_object(call)
    version = body.get("version") if isinstance(body.get("version"), dict) else {}
    number = version.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        return errors.v2_error(400, "Version number is required")  # [I]
    if number != page.version.number + 1:
        return errors.v2_error(409, f"Version must be incremented when updating a page. Current Version: [{page.version.number}]. "
                                    f"Provided version: [{number}]")
    title = title_of(body)
    if title is not None:
        page.title = title
    text = _storage_value(body)
    if text is not None:
        page.body = text
    page.versions.append(Version(number, call.user.key, call.product.realm.clock.now(), str(version.get("message") or "")))
    call.product.data.save(page)
    return json_response(_page(call, page))


async def delete_page(call: Call) -> Response:
    page = _find_page(call, call.params["id"])
    page.status = "trashed"
    call.product.data.save(page)
    return empty_response(204)


async def page_comments(call: Call) -> Response:
    page = _find_page(call, call.params["id"])
    return _paged(call, call.product.data.children(page, "comment"), f"/pages/{page.id}/footer-comments", lambda c: _comment(call, c))


async def create_comment(call: Call) -> Response:
    body = await read_object(call)
    page = _find_page(call, str(body.get("pageId", "")))
    text = _storage_value(body)
    if text is None:
        return errors.v2_error(400, "Comment body is required")  # [I]
    comment = call.product.data.add_content("comment", f"Re: {page.title}", page.space, text, call.user.key,
                                            call.product.realm.clock.now(), parent=page.id)
    return json_response(_comment(call, comment), 201)


async def page_labels(call: Call) -> Response:
    page = _find_page(call, call.params["id"])
    return _paged(call, page.labels, f"/pages/{page.id}/labels", lambda label: {"id": str(label[0]), "name": label[1], "prefix": "global"})
