"""What people do on an issue besides editing it: watchers, votes and worklogs."""

from __future__ import annotations

import datetime
from typing import Any

from starlette.responses import Response

from atlctl.sandbox.jira import catalog, errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Issue, Worklog
from atlctl.sandbox.jira.render import jira_time
from atlctl.sandbox.jira.resources import FieldError, find_issue, int_param, read_json, read_object, record_by_id, text_value, user_ref_key
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.realm import User
from atlctl.sandbox.responses import empty_response, json_response

# ---- watchers and votes --------------------------------------------------------------------


def _named_user(call: JiraCall, name: Any) -> User:
    """A user named by a username (DC) or an accountId (Cloud), in a body or a query parameter."""
    field = "accountId" if call.product.deployment.cloud else "name"
    try:
        key = user_ref_key(call, {field: name}) if isinstance(name, str) and name else None
    except FieldError as exc:
        raise Refusal(errors.collection(404, [exc.message])) from None
    if key is None:
        raise Refusal(errors.collection(400, [f"The {'accountId' if field == 'accountId' else 'username'} must be specified."]))
    return call.product.realm.users[key]


def _people(call: JiraCall, summary: dict[str, Any], name: str, keys: list[str]) -> Response:
    """The watches or votes summary, with the people under `name`."""
    people = [call.render.user_ref(key) for key in keys]
    return json_response({**summary, name: [p for p in people if p]})


async def get_watchers(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    return _people(call, call.render.watches(issue, call.user), "watchers", issue.watchers)


async def add_watcher(call: JiraCall) -> Response:
    """The body is a JSON string (the user); no body: the caller watches."""
    issue = find_issue(call, call.params["ref"])
    body = await read_json(call)
    return _set_watching(call, issue, call.user if body is None else _named_user(call, body), True)


async def remove_watcher(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    params = call.request.query_params
    user = _named_user(call, params.get("accountId") if call.product.deployment.cloud else params.get("username"))
    return _set_watching(call, issue, user, False)


def _set_watching(call: JiraCall, issue: Issue, user: User, watching: bool) -> Response:
    """Only administrators change whether someone else watches."""
    if user.key != call.user.key and not call.product.realm.is_admin(call.user):
        what = "add watchers to" if watching else "remove watchers from"
        raise Refusal(errors.collection(401, [f"User '{call.user.name}' is not allowed to {what} issue '{issue.key}'"]))
    others = [k for k in issue.watchers if k != user.key]
    if (user.key in issue.watchers) != watching:
        call.product.data.update_issue(issue, watchers=[*others, user.key] if watching else others)
    return empty_response(204)


async def get_votes(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    return _people(call, call.render.votes(issue, call.user), "voters", issue.voters)


async def add_vote(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    if issue.reporter == call.user.key:
        raise Refusal(errors.collection(404, ["You cannot vote for an issue you have reported."]))
    if call.user.key not in issue.voters:
        call.product.data.update_issue(issue, voters=[*issue.voters, call.user.key])
    return empty_response(204)


async def remove_vote(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    if call.user.key in issue.voters:  # removing a vote never given is a 204 as well (the jira package's suite counts on it)
        call.product.data.update_issue(issue, voters=[k for k in issue.voters if k != call.user.key])
    return empty_response(204)


# ---- worklogs ------------------------------------------------------------------------------

_STARTED_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z")


def _started(value: Any, now: float) -> str:
    if value is None:
        return jira_time(now)
    if isinstance(value, str):
        for fmt in _STARTED_FORMATS:
            try:
                stamp = datetime.datetime.strptime(value, fmt)
            except ValueError:
                continue
            return jira_time(stamp.timestamp())
    raise FieldError("Invalid start date: give it as yyyy-MM-dd'T'HH:mm:ss.SSSZ, e.g. 2025-01-31T10:00:00.000+0000.")


def _spent(body: dict[str, Any]) -> int:
    if "timeSpentSeconds" in body:
        seconds = body["timeSpentSeconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 < seconds <= catalog.MAX_LONG:
            raise FieldError("Invalid time duration entered.")
        return seconds
    if body.get("timeSpent") in (None, ""):
        raise FieldError("You must indicate the time spent working.")
    seconds = catalog.parse_duration(body["timeSpent"])
    if not seconds:
        raise FieldError("Invalid time duration entered.")
    return seconds


def _worklog_fields(call: JiraCall, body: dict[str, Any], current: Worklog | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    problems: dict[str, str] = {}
    now = call.product.realm.clock.now()
    if current is None or {"timeSpent", "timeSpentSeconds"} & body.keys():
        try:
            changes["seconds"] = _spent(body)
        except FieldError as exc:
            problems["timeLogged"] = exc.message
    if current is None or "started" in body:
        try:
            changes["started"] = _started(body.get("started"), now)
        except FieldError as exc:
            problems["started"] = exc.message
    if "comment" in body:
        try:
            changes["comment"] = text_value(call, body["comment"]) or ""
        except FieldError as exc:
            problems["comment"] = exc.message
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    return changes


def _adjust(call: JiraCall, issue: Issue, delta: int, bump: str) -> None:
    """Change the remaining estimate by `delta` seconds (negative: work logged), as adjustEstimate
    says: auto (the default), leave, new (newEstimate), manual (reduceBy / `bump`)."""
    params = call.request.query_params
    mode = params.get("adjustEstimate", "auto")
    if mode == "leave":
        return
    if mode == "new":
        seconds = catalog.parse_duration(params.get("newEstimate"))
        if seconds is None:
            raise Refusal(errors.collection(400, errors={"newEstimate": "You must supply a valid new estimate."}))
        remaining = seconds
    elif mode == "manual":
        seconds = catalog.parse_duration(params.get(bump))
        if seconds is None:
            raise Refusal(errors.collection(400, errors={bump: "You must supply a valid amount of time to adjust the estimate by."}))
        remaining = (issue.remaining_estimate or 0) + (seconds if bump == "increaseBy" else -seconds)
    elif mode == "auto":
        remaining = (issue.remaining_estimate or 0) + delta
    else:
        raise Refusal(errors.collection(400, [f"Illegal value for adjustEstimate: '{mode}'"]))
    call.product.data.update_issue(issue, remaining_estimate=max(0, remaining))


def _worklog(call: JiraCall, issue: Issue) -> Worklog:
    return record_by_id(call, call.product.data.worklogs, "Cannot find worklog with id: {}", issue)


async def list_worklogs(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    worklogs = call.product.data.worklogs_of(issue)
    start, limit = int_param(call, "startAt", 0), int_param(call, "maxResults", len(worklogs), 0, 5000)
    return json_response(call.render.worklog_page(worklogs, start, limit))


async def add_worklog(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    changes = _worklog_fields(call, await read_object(call), None)
    now = call.product.realm.clock.now()
    _adjust(call, issue, -changes["seconds"], "reduceBy")
    worklog = call.product.data.add("worklog", Worklog, issue_id=issue.id, author=call.user.key, created=now, updated=now, **changes)
    return json_response(call.render.worklog(worklog), 201)


async def get_worklog(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    return json_response(call.render.worklog(_worklog(call, issue)))


def _may_change(call: JiraCall, worklog: Worklog) -> None:
    if worklog.author != call.user.key and not call.product.realm.is_admin(call.user):
        raise Refusal(errors.collection(403, ["You do not have the permission to edit this worklog."]))


async def update_worklog(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    worklog = _worklog(call, issue)
    _may_change(call, worklog)
    changes = _worklog_fields(call, await read_object(call), worklog)
    if "seconds" in changes:
        _adjust(call, issue, worklog.seconds - changes["seconds"], "reduceBy")
    call.product.data.change("worklog", worklog, update_author=call.user.key, updated=call.product.realm.clock.now(), **changes)
    return json_response(call.render.worklog(worklog))


async def delete_worklog(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    worklog = _worklog(call, issue)
    _may_change(call, worklog)
    _adjust(call, issue, worklog.seconds, "increaseBy")
    call.product.data.remove("worklog", worklog)
    return empty_response(204)
