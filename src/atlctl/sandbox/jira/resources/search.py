"""JQL search: DC's offset-paged /search (GET and POST) and Cloud's token-paged /search/jql.

Jira Cloud removed /rest/api/{2,3}/search in 2025; it answers 410 with the migration notice.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox.jira import errors, jql
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Filter, numeric_id
from atlctl.sandbox.jira.render import wanted_fields
from atlctl.sandbox.jira.resources import not_deserializable, page_bean, read_object, whole_number
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import empty_response, json_response

DC_MAX_RESULTS = 1000  # jira.search.views.default.max
CLOUD_MAX_RESULTS = 5000
UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."


async def _request(call: JiraCall) -> dict[str, Any]:
    """GET query parameters or a POST body, in one shape."""
    if call.request.method == "POST":
        body = await read_object(call)
        return {
            "jql": _string(body, "jql") or "",
            "startAt": body.get("startAt"),
            "maxResults": body.get("maxResults"),
            "nextPageToken": _string(body, "nextPageToken"),
            "fields": _strings(body, "fields"),
            "expand": ",".join(_strings(body, "expand")),
        }
    params = call.request.query_params
    return {
        "jql": params.get("jql", ""),
        "startAt": params.get("startAt"),
        "maxResults": params.get("maxResults"),
        "nextPageToken": params.get("nextPageToken"),
        "fields": call.query_list("fields"),
        "expand": ",".join(call.query_list("expand")),
    }


def _string(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise not_deserializable(name, "a string")
    return value


def _strings(body: dict[str, Any], name: str) -> list[str]:
    """A List<String> of the request bean; a lone string counts as one item."""
    value = body.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise not_deserializable(name, "a list of strings")


def _run(call: JiraCall, text: str) -> tuple[jql.Query, list]:
    product = call.product
    ctx = jql.Context(product.data, call.user, lambda project: product.can_browse(call.user), product.deployment.cloud)
    try:
        query = jql.parse(text, ctx)
        return query, query.run(ctx)
    except jql.JqlError as exc:
        raise Refusal(errors.collection(400, [str(exc)])) from None


async def search(call: JiraCall) -> Response:
    """DC: startAt / maxResults / total."""
    req = await _request(call)
    start = whole_number(req["startAt"], "startAt", 0, high=10**9)
    limit = whole_number(req["maxResults"], "maxResults", 50, high=DC_MAX_RESULTS)
    _, issues = _run(call, req["jql"])
    wanted = wanted_fields(req["fields"], "*navigable")
    expand = {e for e in req["expand"].split(",") if e}
    return json_response(
        {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": limit,
            "total": len(issues),
            "issues": [call.render.issue(i, wanted, expand) for i in issues[start : start + limit]],
        }
    )


def _token(text: str, offset: int) -> str:
    payload = json.dumps({"o": offset, "q": hashlib.sha1(text.encode()).hexdigest()[:12]}).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _offset(token: str | None, text: str) -> int:
    if not token:
        return 0
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = payload["o"]
        if payload["q"] == hashlib.sha1(text.encode()).hexdigest()[:12] and isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, KeyError, TypeError):
        pass
    raise Refusal(errors.collection(400, ["The provided next page token is invalid or expired."]))


async def search_jql(call: JiraCall) -> Response:
    """Cloud's enhanced search: nextPageToken / isLast, no total; only ids unless fields are asked."""
    req = await _request(call)
    # Below 1 counts as 1: a page of nothing would hand out a token for the same offset forever.
    limit = whole_number(req["maxResults"], "maxResults", 50, 1, CLOUD_MAX_RESULTS)
    start = _offset(req["nextPageToken"], req["jql"])
    query, issues = _run(call, req["jql"])
    if query.where is None:
        raise Refusal(errors.collection(400, [UNBOUNDED]))
    wanted = wanted_fields(req["fields"], "id")
    expand = {e for e in req["expand"].split(",") if e}
    page = issues[start : start + limit]
    out: dict[str, Any] = {"issues": [call.render.issue(i, wanted, expand) for i in page]}
    if start + limit < len(issues):
        out["nextPageToken"] = _token(req["jql"], start + limit)
    out["isLast"] = "nextPageToken" not in out
    return json_response(out)


async def approximate_count(call: JiraCall) -> Response:
    query, issues = _run(call, _string(await read_object(call), "jql") or "")
    if query.where is None:
        raise Refusal(errors.collection(400, [UNBOUNDED]))
    return json_response({"count": len(issues)})


async def search_removed(call: JiraCall) -> Response:
    return errors.collection(410, [errors.SEARCH_REMOVED])


# ---- filters -------------------------------------------------------------------------------


def _filter_out(call: JiraCall, saved: Filter) -> dict[str, Any]:
    base = call.render.base
    out: dict[str, Any] = {"self": f"{call.render.rest}/filter/{saved.id}", "id": str(saved.id), "name": saved.name}
    if saved.description:
        out["description"] = saved.description
    out.update(
        owner=call.render.user_ref(saved.owner),
        jql=saved.jql,
        viewUrl=f"{base}/issues/?filter={saved.id}",
        searchUrl=f"{call.render.rest}/search?jql={quote(saved.jql)}",
        favourite=call.user is not None and call.user.key in saved.favourites,
        favouritedCount=len(saved.favourites),
        sharePermissions=[],
        sharedUsers={"size": 0, "items": [], "max-results": 1000, "start-index": 0, "end-index": 0},
        subscriptions={"size": 0, "items": [], "max-results": 1000, "start-index": 0, "end-index": 0},
    )
    return out


def _filter_fields(call: JiraCall, body: dict[str, Any], current: Filter | None) -> dict[str, Any]:
    name, text = _string(body, "name"), _string(body, "jql")
    description = _string(body, "description")
    changes: dict[str, Any] = {}
    problems: dict[str, str] = {}
    if name is not None or current is None:
        if not name or not name.strip():
            problems["filterName"] = "You must specify a name to save this filter as."
        elif any(f.name == name and f.owner == call.user.key and f is not current for f in call.product.data.filters.values()):
            problems["filterName"] = "Filter with same name already exists."
        else:
            changes["name"] = name
    if text is not None or current is None:
        _run(call, text or "")  # a 400 with the JQL's own error if it does not parse
        changes["jql"] = text or ""
    if "description" in body:
        changes["description"] = description or None
    favourite = body.get("favourite")
    if favourite is not None:
        if not isinstance(favourite, bool):
            raise not_deserializable("favourite", "true or false")
        favourites = list(current.favourites) if current else []
        if favourite and call.user.key not in favourites:
            favourites.append(call.user.key)
        if not favourite and call.user.key in favourites:
            favourites.remove(call.user.key)
        changes["favourites"] = favourites
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    return changes


def _filter(call: JiraCall) -> Filter:
    """Filters are shared with nobody: only their owner sees one (DC: "Private")."""
    ref = call.params["id"]
    saved = call.product.data.filters.get(numeric_id(ref))
    if saved is None or call.user is None or saved.owner != call.user.key:
        raise Refusal(errors.collection(400, ["The selected filter is not available to you, perhaps it has been deleted or had its permissions changed."]))
    return saved


async def create_filter(call: JiraCall) -> Response:
    changes = _filter_fields(call, await read_object(call), None)
    saved = call.product.data.add("filter", Filter, owner=call.user.key, **changes)
    return json_response(_filter_out(call, saved))


async def get_filter(call: JiraCall) -> Response:
    return json_response(_filter_out(call, _filter(call)))


async def update_filter(call: JiraCall) -> Response:
    saved = _filter(call)
    call.product.data.change("filter", saved, **_filter_fields(call, await read_object(call), saved))
    return json_response(_filter_out(call, saved))


async def delete_filter(call: JiraCall) -> Response:
    call.product.data.remove("filter", _filter(call))
    return empty_response(204)


async def favourite_filters(call: JiraCall) -> Response:
    mine = [f for f in call.product.data.filters.values() if call.user.key in f.favourites]
    return json_response([_filter_out(call, f) for f in sorted(mine, key=lambda f: f.name.lower())])


async def my_filters(call: JiraCall) -> Response:
    mine = [f for f in call.product.data.filters.values() if f.owner == call.user.key]
    return json_response([_filter_out(call, f) for f in sorted(mine, key=lambda f: f.name.lower())])


_FILTER_EXPAND = ("description", "owner", "jql", "viewUrl", "searchUrl", "favourite", "favouritedCount",
                  "sharePermissions", "editPermissions", "isWritable", "subscriptions", "approximateLastUsed")
_FILTER_ORDER = {"name": lambda f: f.name.lower(), "id": lambda f: f.id, "description": lambda f: (f.description or "").lower(),
                 "favourite_count": lambda f: len(f.favourites), "owner": lambda f: f.owner, "is_shared": lambda f: False}


async def search_filters(call: JiraCall) -> Response:
    """Cloud's filter/search (PageBeanFilterDetails): the caller's filters (the sandbox shares none),
    by `filterName` (a case-insensitive part of the name), `accountId`, `id` (repeated), ordered by
    `orderBy`; each with `id`, `name`, `self` and what `expand` asks."""
    query = call.request.query_params
    if query.get("accountId") is not None and query.get("owner") is not None:
        raise Refusal(errors.collection(400, ["The parameters 'accountId' and 'owner' cannot be used together."]))
    expand = {item.strip() for item in (query.get("expand") or "").split(",") if item.strip()}
    if expand - set(_FILTER_EXPAND):
        raise Refusal(errors.collection(400, [f"Invalid expand value: {', '.join(sorted(expand - set(_FILTER_EXPAND)))}."]))
    order = query.get("orderBy") or "name"
    favourite = lambda f: call.user.key in f.favourites  # noqa: E731
    orders = {**_FILTER_ORDER, "is_favourite": favourite}
    if order.lstrip("+-") not in orders:
        raise Refusal(errors.collection(400, [f"Invalid orderBy value: {order}."]))
    ids = set()
    for value in call.query_list("id"):
        if numeric_id(value) is None:
            raise Refusal(errors.collection(400, [f"Invalid filter id: {value}."]))
        ids.add(numeric_id(value))
    name = (query.get("filterName") or "").lower()
    owner = query.get("accountId")
    chosen = [f for f in call.product.data.filters.values() if f.owner == call.user.key and name in f.name.lower()
              and (owner is None or f.owner == owner) and (not ids or f.id in ids)]
    chosen.sort(key=orders[order.lstrip("+-")], reverse=order.startswith("-"))

    def details(saved: Filter) -> dict[str, Any]:
        full = {**_filter_out(call, saved), "editPermissions": [], "isWritable": True}
        return {"expand": ",".join(_FILTER_EXPAND), "self": full["self"], "id": full["id"], "name": full["name"],
                **{key: full[key] for key in _FILTER_EXPAND if key in expand and key in full}}

    return json_response(page_bean(call, "filter/search", chosen, details))
