"""Issue resources: create, get, edit, delete, transitions, comments and attachments."""

from __future__ import annotations

import datetime
import json
import mimetypes
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.responses import Response

from atlctl.sandbox.jira import catalog, errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.model import Attachment, Comment, Issue, Project, numeric_id
from atlctl.sandbox.jira.render import wanted_fields
from atlctl.sandbox.jira.resources import (
    FieldError,
    expand_param,
    find_issue,
    int_param,
    not_deserializable,
    read_object,
    record_by_id,
    text_value,
    user_ref_key,
)
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.responses import empty_response, json_response

_NOT_ON_SCREEN = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."

# Jira's length limits and their answers. Summary: 255 characters (SummarySystemField.MAX_LEN);
# DC's text as captured in github.com/ryanhoskin/pd2jira/issues/13, Cloud's in
# github.com/tenable/integration-jira-cloud/issues/322 and prometheus-community/jiralert/issues/123.
SUMMARY_LIMIT = 255
_SUMMARY_TOO_LONG = {False: "Summary must be less than 255 characters.", True: "Summary can't exceed 255 characters."}
# Text fields (description, environment, multi-line text custom fields, comments): 32,767 characters (jira.text.field.character.limit's default,
# Cloud's fixed limit). Fields: "32,767", as captured from Cloud in
# github.com/mozilla/jira-bugzilla-integration/issues/180 and /pull/1134; a comment on DC: "32767",
# keyed `comment`, as captured in github.com/jenkinsci/jira-plugin/issues/667.
TEXT_LIMIT = 32767
_TEXT_TOO_LONG = "The entered text is too long. It exceeds the allowed limit of {} characters."


def _limited_text(call: JiraCall, value: Any, comment: bool = False) -> str | None:
    """A text field's value (text_value), refused past Jira's text limit."""
    text = text_value(call, value)
    if text is not None and len(text) > TEXT_LIMIT:
        dc_comment = comment and not call.product.deployment.cloud
        raise FieldError(_TEXT_TOO_LONG.format(str(TEXT_LIMIT) if dc_comment else f"{TEXT_LIMIT:,}"))
    return text


@dataclass
class Target:
    """What a create or edit request sets fields of: the project and issue type decide the screen."""

    project: Project
    type_id: str
    issue: Issue | None = None

    @property
    def screen(self) -> tuple[str, ...]:
        """The system fields of the create screen, or of the edit screen when an issue is edited."""
        return (catalog.edit_screen if self.issue else catalog.create_screen)(self.type_id)


def _field_value(call: JiraCall, target: Target, fid: str, value: Any) -> dict[str, Any]:
    """One field of a create/edit request as changes to the Issue record."""
    if fid == "summary":
        if not isinstance(value, str) or not value.strip():
            raise FieldError("You must specify a summary of the issue.")
        if "\n" in value or "\r" in value:
            raise FieldError("The summary is invalid because it contains newline characters.")
        if len(value) > SUMMARY_LIMIT:
            raise FieldError(_SUMMARY_TOO_LONG[call.product.deployment.cloud])
        return {"summary": value}
    if fid == "description" or (fid == "environment" and fid in target.screen):
        return {fid: _limited_text(call, value)}
    if fid == "issuetype":
        it = catalog.issue_type(value)
        if it is None:
            # A name Jira cannot resolve leaves no id at all (the jira package's suite records
            # Jira 8's answer); an id that names no type is not valid.
            by_name = isinstance(value, dict) and "name" in value and not value.get("id")
            raise FieldError("issue type is required" if by_name else "valid issue type is required")
        return {"type_id": it.id}
    if fid == "priority":
        found = catalog.priority(value)
        if found is None:
            raise FieldError("Could not find valid 'id' or 'name' in priority object.")
        return {"priority_id": found[0]}
    if fid in ("assignee", "reporter"):
        return {fid: user_ref_key(call, value)}
    if fid == "labels":
        if not isinstance(value, list) or not all(isinstance(v, str) and v and " " not in v for v in value):
            raise FieldError("The label list must hold labels without spaces.")
        return {"labels": list(dict.fromkeys(value))}
    if fid in ("fixVersions", "versions"):
        return {"fix_versions" if fid == "fixVersions" else "versions": _references(call, target, value, "Version")}
    if fid == "components":
        return {"components": _references(call, target, value, "Component")}
    if fid == "timetracking":
        return _estimates(value)
    cf = catalog.custom_field(fid)
    if cf is not None and cf in catalog.custom_fields_on(target.type_id):
        return {"custom": {fid: _custom_value(call, cf, value)}}
    raise FieldError(_NOT_ON_SCREEN.format(fid))


def _references(call: JiraCall, target: Target, value: Any, kind: str) -> list[int]:
    """Versions or components of the project, each {"id"} or {"name"}: Jira's messages for unknown ones."""
    data = call.product.data
    known = data.versions_of(target.project) if kind == "Version" else data.components_of(target.project)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError("data was not an array")
    out = []
    for ref in value:
        ref_id = ref.get("id") if isinstance(ref, dict) else None
        name = ref.get("name") if isinstance(ref, dict) else None
        if ref_id is not None:
            found = next((r for r in known if str(r.id) == str(ref_id)), None)
            if found is None:
                raise FieldError(f"{kind} id '{ref_id}' is not valid")
        elif isinstance(name, str):
            found = next((r for r in known if r.name == name), None)
            if found is None:
                raise FieldError(f"{kind} name '{name}' is not valid")
        else:
            raise FieldError(f"{kind} id '{None}' is not valid")
        if found.id not in out:
            out.append(found.id)
    return out


def _estimates(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError("data was not an object")
    changes: dict[str, Any] = {}
    for name, attr in (("originalEstimate", "original_estimate"), ("remainingEstimate", "remaining_estimate")):
        if name in value:
            seconds = catalog.parse_duration(value[name])
            if seconds is None:
                raise FieldError("Invalid time duration entered.")
            changes[attr] = seconds
    if "original_estimate" in changes and "remaining_estimate" not in changes:
        changes["remaining_estimate"] = changes["original_estimate"]
    return changes


def _custom_value(call: JiraCall, cf: catalog.CustomField, value: Any) -> Any:
    """What the issue stores for a custom field value (None clears it), or Jira's refusal."""
    if value is None:
        return None
    if cf.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FieldError("Operation value must be a number")
        return value
    if cf.type == "option":
        return _option(cf, value)
    if cf.items == "option":
        if not isinstance(value, list):
            raise FieldError("data was not an array")
        return list(dict.fromkeys(_option(cf, v) for v in value))
    if cf.type == "user":
        return user_ref_key(call, value)
    if cf.type == "date":
        if not isinstance(value, str) or not _is_date(value):
            raise FieldError(f"Error parsing date string: {value}")
        return value
    if cf.custom in catalog.TEXT_AREAS:
        return _limited_text(call, value)
    if not isinstance(value, str):
        raise FieldError(errors.NOT_A_STRING)
    if len(value) > 255:
        raise FieldError("The entered text is too long. It exceeds the allowed limit of 255 characters.")
    return value


def _option(cf: catalog.CustomField, value: Any) -> str:
    if not isinstance(value, dict):
        raise FieldError("Could not find valid 'id' or 'value' in the Parent Option object.")
    for option_id, text in cf.options:
        if str(value.get("id")) == option_id or value.get("value") == text:
            return option_id
    given = value.get("value", value.get("id"))
    raise FieldError(f"Option value '{given}' is not valid")


def _is_date(text: str) -> bool:
    """Jira's date picker format, yyyy-MM-dd."""
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _changes(call: JiraCall, target: Target, fields: Any, update: Any) -> tuple[dict[str, Any], list[str]]:
    """Validate `fields` and `update` together; (record changes, comments to add) or a 400."""
    issue = target.issue
    if not isinstance(fields, dict) or not isinstance(update, dict):
        raise Refusal(errors.collection(400, ["Can not deserialize 'fields' or 'update': JSON objects are expected."]))
    changes: dict[str, Any] = {}
    comments: list[str] = []
    problems: dict[str, str] = {}
    for fid, value in fields.items():
        if fid == "project" and issue is None:
            continue
        try:
            _merge(changes, _field_value(call, target, fid, value))
        except FieldError as exc:
            problems[fid] = exc.message
    for fid, operations in update.items():
        for operation in operations if isinstance(operations, list) else [operations]:
            try:
                _apply_operation(call, target, fid, operation, changes, comments)
            except FieldError as exc:
                problems[fid] = exc.message
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    if "custom" in changes and issue is not None:
        changes["custom"] = {**issue.custom, **changes["custom"]}
    return changes, comments


def _merge(changes: dict[str, Any], more: dict[str, Any]) -> None:
    """Add one field's record changes; custom field values gather in one dict."""
    if "custom" in more and "custom" in changes:
        changes["custom"] = {**changes["custom"], **more["custom"]}
    else:
        changes.update(more)


def _save(call: JiraCall, issue: Issue, changes: dict[str, Any], comments: list[str]) -> None:
    data = call.product.data
    if changes:
        data.update_issue(issue, **changes)
    for comment in comments:
        data.add_comment(issue, call.user.key, comment)


_ARRAY_ATTRS = {"labels": "labels", "fixVersions": "fix_versions", "versions": "versions", "components": "components"}


def _apply_operation(call: JiraCall, target: Target, fid: str, operation: Any, changes: dict, comments: list) -> None:
    if not isinstance(operation, dict) or len(operation) != 1:
        raise FieldError(f"Field '{fid}': each operation is an object with one verb (set, add, remove).")
    verb, value = next(iter(operation.items()))
    issue = target.issue
    if fid == "comment" and verb == "add":
        body = _limited_text(call, value.get("body") if isinstance(value, dict) else None, comment=True)
        if not body or not body.strip():
            raise FieldError("Comment body can not be empty!")
        comments.append(body)
    elif fid in _ARRAY_ATTRS and verb in ("add", "remove"):
        attr = _ARRAY_ATTRS[fid]
        current = list(changes.get(attr, getattr(issue, attr) if issue else []))
        if fid == "labels":
            item = value
        else:
            item = _references(call, target, [value], "Version" if fid != "components" else "Component")[0]
        if verb == "add" and item not in current:
            current.append(item)
        if verb == "remove" and item in current:
            current.remove(item)
        changes[attr] = current
        if fid == "labels":
            _field_value(call, target, "labels", current)  # the same checks as a set
    elif verb == "set":
        _merge(changes, _field_value(call, target, fid, value))
    else:
        raise FieldError(f"Field '{fid}' does not support operation '{verb}'")


# ---- issues --------------------------------------------------------------------------------


async def create_issue(call: JiraCall) -> Response:
    issue = _create(call, await read_object(call))
    return json_response(_created(call, issue), 201)


def _created(call: JiraCall, issue: Issue) -> dict[str, str]:
    return {"id": str(issue.id), "key": issue.key, "self": f"{call.render.rest}/issue/{issue.id}"}


async def create_issues(call: JiraCall) -> Response:
    """issue/bulk: {"issueUpdates": [...]}; the issues made and an error per failed element. 201 when
    all were created, else 400 on DC; Cloud answers 201 when any was (its OpenAPI document: 400 only
    "if all requests are invalid")."""
    body = await read_object(call)
    updates = body.get("issueUpdates")
    if not isinstance(updates, list):
        raise not_deserializable("issueUpdates", "a list of issues")
    created, failed = [], []
    for number, update in enumerate(updates):
        try:
            if not isinstance(update, dict):
                raise not_deserializable(f"issueUpdates[{number}]", "an object")
            created.append(_created(call, _create(call, update)))
        except Refusal as refusal:
            failed.append({"status": refusal.response.status_code, "elementErrors": json.loads(refusal.response.body),
                           "failedElementNumber": number})
    cloud = call.product.deployment.cloud
    return json_response({"issues": created, "errors": failed}, 400 if failed and not (cloud and created) else 201)


def _create(call: JiraCall, body: dict[str, Any]) -> Issue:
    fields = body.get("fields", {})
    project_ref = fields.get("project") if isinstance(fields, dict) else None
    if isinstance(project_ref, dict):
        project_ref = project_ref.get("id") or project_ref.get("key")
    problems = {}
    project = call.product.data.project(project_ref) if isinstance(project_ref, (str, int)) else None
    if project_ref is None:
        problems["project"] = "project is required"
    elif project is None or not call.product.can_browse(call.user):
        problems["project"] = "valid project is required"
    if isinstance(fields, dict) and "issuetype" not in fields:
        problems["issuetype"] = "valid issue type is required"
    if isinstance(fields, dict) and "summary" not in fields:
        problems["summary"] = "You must specify a summary of the issue."
    if problems:
        raise Refusal(errors.collection(400, errors=problems))
    type_ref = catalog.issue_type(fields.get("issuetype"))
    changes, comments = _changes(call, Target(project, type_ref.id if type_ref else ""), fields, body.get("update", {}))
    issue = call.product.data.create_issue(project, changes.pop("type_id"), changes.pop("summary"), call.user.key, **changes)
    _save(call, issue, {}, comments)
    return issue


async def get_issue(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    return json_response(call.render.issue(issue, wanted_fields(call.query_list("fields"), "*all"), expand_param(call)))


async def edit_issue(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    body = await read_object(call)
    changes, comments = _changes(call, _target(call, issue), body.get("fields", {}), body.get("update", {}))
    _save(call, issue, changes, comments)
    if call.request.query_params.get("returnIssue", "").lower() == "true":  # Cloud and DC 9: the edited issue
        return json_response(call.render.issue(issue, wanted_fields(call.query_list("fields"), "*all"), expand_param(call)))
    return empty_response(204)


def _target(call: JiraCall, issue: Issue) -> Target:
    return Target(call.product.data.projects[issue.project_id], issue.type_id, issue)


async def delete_issue(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    # DEMO's permission scheme gives "Delete Issues" to administrators only.
    if not call.product.realm.is_admin(call.user):
        raise Refusal(errors.collection(403, ["You do not have permission to delete issues in this project."]))
    call.product.data.delete_issue(issue)
    return empty_response(204)


# ---- transitions ---------------------------------------------------------------------------


async def get_transitions(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    with_fields = "transitions.fields" in expand_param(call)
    only = call.request.query_params.get("transitionId")
    available = [t for t in catalog.transitions_from(issue.status_id) if only in (None, t.id)]
    return json_response({"expand": "transitions", "transitions": [call.render.transition(t, with_fields) for t in available]})


async def do_transition(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    body = await read_object(call)
    ref = body.get("transition")
    transition_id = ref.get("id") if isinstance(ref, dict) else None
    if transition_id is None:
        raise Refusal(errors.collection(400, ["Missing 'transition' identifier"]))
    if isinstance(transition_id, bool) or not isinstance(transition_id, (str, int)):
        raise not_deserializable("transition.id", "a string")
    transition_id = str(transition_id)  # Jackson reads a number into the String id
    transition = next((t for t in catalog.TRANSITIONS if t.id == transition_id), None)
    if transition is None:
        raise Refusal(errors.collection(400, [f"Transition id '{transition_id}' is not valid for this issue."]))
    if issue.status_id not in transition.sources:
        raise Refusal(
            errors.collection(
                400,
                [
                    f"It seems that you have tried to perform a workflow operation ({transition.name}) that is not valid "
                    f"for the current state of this issue ({issue.key}). The likely cause is that somebody has changed the "
                    "issue recently, please look at the issue history for details."
                ],
            )
        )
    fields = body.get("fields") or {}
    resolution_id = None
    if isinstance(fields, dict) and "resolution" in fields:
        fields = dict(fields)
        value = fields.pop("resolution")
        found = catalog.resolution(value)
        if transition.target != catalog.DONE.id:  # only the Done transition has a screen with the resolution
            raise Refusal(errors.collection(400, errors={"resolution": _NOT_ON_SCREEN.format("resolution")}))
        if value is not None and not isinstance(value, dict):
            raise Refusal(errors.collection(400, errors={"resolution": "data was not an object"}))
        if found is None:
            raise Refusal(errors.collection(400, errors={"resolution": "Could not find valid 'id' or 'name' in resolution object."}))
        resolution_id = found["id"]
    changes, comments = _changes(call, _target(call, issue), fields, body.get("update") or {})
    _save(call, issue, changes, comments)
    call.product.data.transition(issue, transition, resolution_id)
    return empty_response(204)


# ---- comments ------------------------------------------------------------------------------


async def list_comments(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    comments = call.product.data.comments_of(issue)
    order = call.request.query_params.get("orderBy", "")
    if order.lstrip("+-") == "created" and order.startswith("-"):
        comments.reverse()
    start, limit = int_param(call, "startAt", 0), int_param(call, "maxResults", 5000, 1, 5000)
    return json_response(call.render.comment_page(comments, start, limit, expand_param(call)))


def _comment(call: JiraCall, issue: Issue) -> Comment:
    comment_id = call.params["id"]
    comment = call.product.data.comments.get(numeric_id(comment_id))
    if comment is None or comment.issue_id != issue.id or not call.render.may_see(comment):
        raise Refusal(errors.collection(404, [f"Can not find a comment for the id: {comment_id}."]))
    return comment


async def get_comment(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    return json_response(call.render.comment(_comment(call, issue), expand_param(call)))


def _visibility(call: JiraCall, issue: Issue, value: Any) -> dict[str, str] | None:
    """{"type": "role"|"group", "value": name}: a project role or a group that exists."""
    if value is None:
        return None
    kind = value.get("type") if isinstance(value, dict) else None
    name = value.get("value") if isinstance(value, dict) else None
    if kind not in ("role", "group") or not isinstance(name, str):
        raise FieldError("Visibility must name a 'role' or 'group' and its 'value'.")
    if kind == "group" and name not in call.product.realm.groups:
        raise FieldError(f"Group: {name} does not exist.")
    if kind == "role" and all(r[1] != name for r in catalog.ROLES):
        raise FieldError("Invalid role level specified.")
    return {"type": kind, "value": name}


def _comment_fields(call: JiraCall, issue: Issue, body: dict[str, Any]) -> tuple[str, dict[str, str] | None]:
    try:
        text = _limited_text(call, body.get("body"), comment=True)
        visibility = _visibility(call, issue, body.get("visibility"))
    except FieldError as exc:
        raise Refusal(errors.collection(400, errors={"comment": exc.message})) from None
    if not text or not text.strip():
        raise Refusal(errors.collection(400, errors={"comment": "Comment body can not be empty!"}))
    return text, visibility


async def add_comment(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    text, visibility = _comment_fields(call, issue, await read_object(call))
    comment = call.product.data.add_comment(issue, call.user.key, text, visibility)
    return json_response(call.render.comment(comment, expand_param(call)), 201)


def _may_change_comment(call: JiraCall, comment: Comment, verb: str) -> None:
    """DEMO's Edit/Delete Own Comments: every user; Edit/Delete All Comments: administrators."""
    if comment.author != call.user.key and not call.product.realm.is_admin(call.user):
        raise Refusal(errors.collection(403, [f"You do not have the permission to {verb} this comment."]))


async def edit_comment(call: JiraCall) -> Response:
    """PUT, ?notifyUsers=false accepted (the sandbox sends no mail either way)."""
    issue = find_issue(call, call.params["ref"])
    comment = _comment(call, issue)
    _may_change_comment(call, comment, "edit")
    body = await read_object(call)
    text, visibility = _comment_fields(call, issue, body)
    changes: dict[str, Any] = {"body": text}
    if "visibility" in body:
        changes["visibility"] = visibility
    call.product.data.change_comment(comment, call.user.key, **changes)
    return json_response(call.render.comment(comment, expand_param(call)))


async def delete_comment(call: JiraCall) -> Response:
    issue = find_issue(call, call.params["ref"])
    comment = _comment(call, issue)
    _may_change_comment(call, comment, "delete")
    call.product.data.delete_comment(comment)
    return empty_response(204)


# ---- attachments ---------------------------------------------------------------------------


async def add_attachments(call: JiraCall) -> Response:
    """Multipart upload, part name `file` (the XSRF header is checked before we get here, §0.4)."""
    issue = find_issue(call, call.params["ref"])
    media = call.request.headers.get("content-type", "")
    if not media.lower().startswith("multipart/form-data"):
        return Response(b"", 415)
    form = await call.form()
    uploads = [part for part in form.getlist("file") if isinstance(part, UploadFile)]
    if not uploads:
        raise Refusal(errors.collection(400, ["No attachment was found in the 'file' part of the request."]))
    added = []
    for upload in uploads:
        content = await call.product.realm.settle(upload.read())
        name = upload.filename or "attachment"
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        added.append(call.product.data.add_attachment(issue, call.user.key, name, mime, content))
    return json_response([call.render.attachment(a) for a in added])


def _attachment(call: JiraCall) -> Attachment:
    attachment = record_by_id(call, call.product.data.attachments, "The attachment with id '{}' does not exist")
    find_issue(call, str(attachment.issue_id))
    return attachment


async def attachment_meta(call: JiraCall) -> Response:
    """Whether attachments are on, and the largest upload (Jira's default 10 MB)."""
    return json_response({"enabled": True, "uploadLimit": 10485760})


async def get_attachment(call: JiraCall) -> Response:
    out = call.render.attachment(_attachment(call))
    if call.product.deployment.cloud:
        out["id"] = int(out["id"])  # Cloud's AttachmentMetadata.id is an int64; in issue fields it is a string
    return json_response(out)


async def delete_attachment(call: JiraCall) -> Response:
    attachment = _attachment(call)
    if attachment.author != call.user.key and not call.product.realm.is_admin(call.user):
        raise Refusal(errors.collection(403, ["You do not have permission to delete this attachment."]))
    call.product.data.delete_attachment(attachment)
    return empty_response(204)


async def attachment_content(call: JiraCall) -> Response:
    """DC: /secure/attachment/{id}/{filename}; Cloud: /rest/api/{v}/attachment/content/{id}."""
    attachment = _attachment(call)
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    return Response(call.product.data.contents[attachment.id], 200, {"Content-Disposition": disposition}, attachment.mime_type)


async def editmeta(call: JiraCall) -> Response:
    return json_response(call.render.editmeta(find_issue(call, call.params["ref"])))


async def assign(call: JiraCall) -> Response:
    """PUT issue/{key}/assignee: {"name"} (DC) or {"accountId"} (Cloud); null unassigns; "-1" is
    the project's default assignee (its lead when the project assigns to the lead)."""
    issue = find_issue(call, call.params["ref"])
    body = await read_object(call)
    field = "accountId" if call.product.deployment.cloud else "name"
    project = call.product.data.projects[issue.project_id]
    if body.get(field) == "-1":
        assignee = project.lead if project.assignee_type == "PROJECT_LEAD" else None
    else:
        try:
            assignee = user_ref_key(call, body)
        except FieldError as exc:
            raise Refusal(errors.collection(400, errors={"assignee": exc.message})) from None
    call.product.data.update_issue(issue, assignee=assignee)
    return empty_response(204)
