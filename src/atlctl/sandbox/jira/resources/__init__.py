"""Jira REST resources and web pages. Helpers shared by them live here; they raise
Refusal, which the pipeline turns into the response."""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Issue, Project, numeric_id
from atlctl.sandbox.jira.render import adf_text
from atlctl.sandbox.product import Refusal


class FieldError(Exception):
    """A field value Jira would refuse; reported under the field's name in `errors`."""

    def __init__(self, message: str):
        self.message = message


async def read_json(call: JiraCall) -> Any:
    """The JSON body; 415 for another media type and 400 for a body that is not JSON (Jersey)."""
    media = call.request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media and media != "application/json" and not media.endswith("+json"):
        raise Refusal(Response(b"", 415))
    body = await call.body()
    try:
        return json.loads(body) if body.strip() else None
    except UnicodeDecodeError as exc:
        message = f"Invalid UTF-8 in the request body (position {exc.start})."
    except RecursionError:
        message = "The request body is nested too deeply."
    except ValueError as exc:
        message = f"Unexpected character in the request body: {exc.msg} (position {exc.pos})."
    raise Refusal(errors.collection(400, [message]))


async def read_object(call: JiraCall) -> dict[str, Any]:
    body = await read_json(call)
    if not isinstance(body, dict):
        raise Refusal(errors.collection(400, ["Can not deserialize the request body: a JSON object is expected."]))
    return body


def whole_number(value: Any, name: str, default: int, low: int = 0, high: int = 1_000_000) -> int:
    """A paging number from the query string or a JSON body, clamped to [low, high]; a 400 if it is
    not a whole number. JSON fractions are truncated, as Jackson does; true, 1e999 or "1.5" are not numbers."""
    if value is None or value == "":
        return default
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,100}", value):
        value = int(value)
    elif isinstance(value, float) and math.isfinite(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal(errors.collection(400, [f"The '{name}' parameter must be a number."]))
    return max(low, min(high, value))


def int_param(call: JiraCall, name: str, default: int, low: int = 0, high: int = 1_000_000) -> int:
    return whole_number(call.request.query_params.get(name), name, default, low, high)


def page_bean(call: JiraCall, path: str, items: list, render: Callable[[Any], Any]) -> dict[str, Any]:
    """A PageBean: `values`, `isLast`, `total` and the links to this page and the next (project/search,
    project/{key}/version)."""
    start, limit = int_param(call, "startAt", 0), int_param(call, "maxResults", 50, 1, 100)
    last = start + limit >= len(items)
    url = f"{call.render.rest}/{path}"
    out = {"self": f"{url}?startAt={start}&maxResults={limit}", "maxResults": limit, "startAt": start,
           "total": len(items), "isLast": last, "values": [render(item) for item in items[start : start + limit]]}
    if not last:
        out["nextPage"] = f"{url}?startAt={start + limit}&maxResults={limit}"
    return out


def list_param(call: JiraCall, name: str) -> set[str]:
    """A query parameter given repeated, comma-separated, or both."""
    return {item.strip() for value in call.query_list(name) for item in value.split(",") if item.strip()}


def expand_param(call: JiraCall) -> set[str]:
    return list_param(call, "expand")


def find_issue(call: JiraCall, ref: str) -> Issue:
    """The issue if the caller may see it, else Jira's refusal for who is asking (§1.6, §1.8)."""
    issue = call.product.data.issue(ref)
    if issue is not None and call.product.can_browse(call.user):
        return issue
    if call.product.deployment.cloud:
        raise Refusal(errors.collection(404, ["Issue does not exist or you do not have permission to see it."]))
    if issue is not None:  # exists, but anonymous callers may not see it
        raise Refusal(errors.collection(401, ["You do not have the permission to see the specified issue.", "Login Required"]))
    raise Refusal(errors.collection(404, ["Issue Does Not Exist"]))


def find_project(call: JiraCall, ref: str) -> Project:
    project = call.product.data.project(ref)
    if project is None or not call.product.can_browse(call.user):
        what = "key" if numeric_id(ref) is None else "id"
        raise Refusal(errors.collection(404, [f"No project could be found with {what} '{ref}'."]))
    return project


def record_by_id(call: JiraCall, table: dict[int, Any], message: str, issue: Issue | None = None, visible: bool = True) -> Any:
    """The record the path's {id} names, else a 404 with `message` ({} is the id as given); with
    `issue`, only one of that issue's; not `visible`: a 404 whatever the id."""
    ref = call.params["id"]
    number = numeric_id(ref)
    record = None if number is None else table.get(number)
    if record is None or not visible or (issue is not None and record.issue_id != issue.id):
        raise Refusal(errors.collection(404, [message.format(ref)]))
    return record


def user_ref_key(call: JiraCall, ref: Any) -> str | None:
    """The user a field value names: {"name"|"key"} on DC, {"accountId"} on Cloud; None = nobody:
    a null value, a null name ("A null name will remove the assignee", Atlassian KB) or accountId."""
    if ref is None:
        return None
    if not isinstance(ref, dict):
        raise FieldError("data was not an object")
    realm, cloud = call.product.realm, call.product.deployment.cloud
    name = ref.get("accountId", "") if cloud else (ref.get("name") or ref.get("key"))
    if name is None:
        return None
    if not isinstance(name, str):
        raise FieldError(errors.NOT_A_STRING)
    if cloud:
        user = realm.users.get(name)
        if user is None:
            raise FieldError(errors.NO_CLOUD_USER)
    else:
        user = realm.find_user(name) or realm.users.get(name)
        if user is None:
            raise FieldError(f"User '{name}' does not exist.")
    return user.key


def not_deserializable(name: str, what: str) -> errors.Refusal:
    """A body field of the wrong JSON type, which Jira's JSON mapper refuses before the resource runs."""
    return Refusal(errors.collection(400, [f"Can not deserialize the request body: '{name}' must be {what}."]))


_NOT_ADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"


def text_value(call: JiraCall, value: Any) -> str | None:
    """A text field from the request: ADF on Cloud REST v3, a string everywhere else."""
    if value is None:
        return None
    if call.render.adf:
        text = adf_text(value)
        if text is None:
            raise FieldError(_NOT_ADF)
        return text
    if not isinstance(value, str):
        raise FieldError(errors.NOT_A_STRING)
    return value
