"""JSON representations of Jira objects, as Jira DC and Jira Cloud (REST v2 and v3) write them."""

from __future__ import annotations

import html
import time
from typing import Any
from urllib.parse import quote

from atlctl.sandbox.jira import catalog
from atlctl.sandbox.jira.model import Attachment, Comment, Component, Issue, JiraData, Link, LinkType, Project, Version, Worklog
from atlctl.sandbox.realm import User

ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
_NOT_NAVIGABLE = frozenset({"comment", "worklog"})
_OPERATIONS = {"issuelinks": ["add"], "attachment": [],"labels": ["add", "set", "remove"], "fixVersions": ["set", "add", "remove"], "versions": ["set", "add", "remove"],
               "components": ["add", "set", "remove"], "comment": ["add", "edit", "remove"], "timetracking": ["set", "edit"]}
_WIKI_TEXT = frozenset({"description", "environment"})  # rendered as HTML in renderedFields
_CLOUD_AVATAR = "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/{}-5.png?size={}&s={}"


def jira_time(epoch: float) -> str:
    """Jira's timestamp format, e.g. 2025-03-01T10:11:12.000+0000."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))
    return f"{stamp}.{int(epoch * 1000) % 1000:03d}+0000"


def adf(text: str | None) -> dict[str, Any] | None:
    """Plain text as an Atlassian Document (REST v3 bodies), one paragraph per line."""
    if text is None:
        return None
    paragraphs = [{"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []} for line in text.split("\n")]
    return {"type": "doc", "version": 1, "content": paragraphs}


def adf_text(doc: Any) -> str | None:
    """The text of an Atlassian Document, or None if `doc` is not one."""
    if not isinstance(doc, dict) or doc.get("type") != "doc":
        return None
    lines = _texts(doc.get("content"))
    return None if lines is None else "\n".join(lines)


def _texts(nodes: Any) -> list[str] | None:
    """The text of each node, or None unless `nodes` is a list of node objects whose `content`
    (if any) is such a list again and whose `text` is a string."""
    if not isinstance(nodes, list):
        return None
    out = []
    for node in nodes:
        if not isinstance(node, dict):
            return None
        if node.get("type") == "text":
            text = node.get("text", "")
        else:
            parts = _texts(node.get("content", []))
            text = None if parts is None else "".join(parts)
        if not isinstance(text, str):
            return None
        out.append(text)
    return out


class Renderer:
    """Renders for one request: knows the externally visible base URL and the REST version."""

    def __init__(self, data: JiraData, cloud: bool, base: str, api: str, user: User | None = None,
                 public_emails: frozenset[str] = frozenset()):
        self.data = data
        self.public_emails = public_emails  # Cloud: the accounts whose profile shows their email to anyone
        self.caller = user  # who asks: watches.isWatching, votes.hasVoted
        self.realm = data.realm
        self.cloud = cloud
        self.base = base
        self.api = "3" if api == "3" else "2"  # "latest" links to 2, as Jira does
        self.rest = f"{base}/rest/api/{self.api}"
        self.adf = cloud and api == "3"  # Cloud REST v3 writes and reads text as documents

    def text(self, value: str | None) -> Any:
        return adf(value) if self.adf else value

    # ---- users -----------------------------------------------------------------------------

    def user_url(self, user: User) -> str:
        if self.cloud:
            return f"{self.rest}/user?accountId={user.key}"
        return f"{self.rest}/user?username={quote(user.name)}"

    def avatars(self, user: User) -> dict[str, str]:
        sizes = {"48x48": ("48", ""), "24x24": ("24", "small"), "16x16": ("16", "xsmall"), "32x32": ("32", "medium")}
        if self.cloud:
            initials = "".join(part[0] for part in user.display_name.split()[:2]).upper()
            return {k: _CLOUD_AVATAR.format(initials, px, px) for k, (px, _) in sizes.items()}
        return self.avatar_urls(self.data.avatars_of(user.key).selected, user)

    def avatar_urls(self, avatar_id: int, owner: User | None = None) -> dict[str, str]:
        sizes = {"48x48": "", "24x24": "small", "16x16": "xsmall", "32x32": "medium"}
        who = f"ownerId={quote(owner.name)}&" if owner is not None and avatar_id >= 10500 else ""
        return {k: f"{self.base}/secure/useravatar?{'size=' + v + '&' if v else ''}{who}avatarId={avatar_id}" for k, v in sizes.items()}

    def avatar(self, avatar_id: int, owner: User, selected: int, system: bool) -> dict[str, Any]:
        out = {"id": str(avatar_id), "isSystemAvatar": system, "isSelected": avatar_id == selected, "isDeletable": not system,
               "urls": self.avatar_urls(avatar_id, owner), "selected": avatar_id == selected}
        if not system:
            out["owner"] = owner.name
        return out

    def user_ref(self, user_key: str | None) -> dict[str, Any] | None:
        user = self.realm.users.get(user_key) if user_key else None
        if user is None:
            return None
        if self.cloud:
            out = {"self": self.user_url(user), "accountId": user.key, "accountType": "atlassian"}
            # Atlassian's default profile visibility hides the email from everyone but its owner.
            if user.key in self.public_emails or (self.caller is not None and self.caller.key == user.key):
                out["emailAddress"] = user.email
            out.update(avatarUrls=self.avatars(user), displayName=user.display_name, active=user.active, timeZone="Etc/UTC")
            return out
        return {
            "self": self.user_url(user),
            "name": user.name,
            "key": user.key,
            "emailAddress": user.email,
            "avatarUrls": self.avatars(user),
            "displayName": user.display_name,
            "active": user.active,
            "timeZone": "UTC",
        }

    def user(self, user: User, expand: set[str] = frozenset()) -> dict[str, Any]:
        out = self.user_ref(user.key) or {}
        if not self.cloud:
            out["deleted"] = False
        out["locale"] = "en_US"
        groups = sorted(user.groups)
        group_items = [self.group_ref(g) for g in groups] if "groups" in expand else []
        out["groups"] = {"size": len(groups), "items": group_items}
        out["applicationRoles"] = {"size": 1, "items": []}
        out["expand"] = "groups,applicationRoles"
        return out

    def group_ref(self, name: str) -> dict[str, Any]:
        if self.cloud:
            group_id = self.realm.groups.get(name)
            return {"name": name, "groupId": group_id, "self": f"{self.rest}/group?groupId={group_id}"}
        return {"name": name, "self": f"{self.rest}/group?groupname={quote(name)}"}

    # ---- configuration ---------------------------------------------------------------------

    def issue_type(self, it: catalog.IssueType) -> dict[str, Any]:
        out = {
            "self": f"{self.rest}/issuetype/{it.id}",
            "id": it.id,
            "description": it.description,
            "iconUrl": self.base + it.icon,
            "name": it.name,
            "subtask": False,
            "avatarId": it.avatar_id,
        }
        if self.cloud:
            out["hierarchyLevel"] = 0
        return out

    def status(self, status: catalog.Status) -> dict[str, Any]:
        return {
            "self": f"{self.rest}/status/{status.id}",
            "description": status.description,
            "iconUrl": self.base + status.icon,
            "name": status.name,
            "id": status.id,
            "statusCategory": self.status_category(status.category),
        }

    def status_category(self, category: catalog.StatusCategory) -> dict[str, Any]:
        return {"self": f"{self.rest}/statuscategory/{category.id}", "id": category.id, "key": category.key,
                "colorName": category.color, "name": category.name}

    def priority(self, priority_id: str) -> dict[str, Any]:
        pid, name, icon = catalog.priority(priority_id) or catalog.PRIORITIES[2]
        colour = {"1": "#d04437", "2": "#f15C75", "3": "#f79232", "4": "#707070", "5": "#999999"}[pid]
        return {"self": f"{self.rest}/priority/{pid}", "statusColor": colour, "description": name, "iconUrl": self.base + icon,
                "name": name, "id": pid}

    def transition(self, t: catalog.Transition, with_fields: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": t.id,
            "name": t.name,
            "to": self.status(catalog.status(t.target)),
            "hasScreen": t.target == catalog.DONE.id,
            "isGlobal": False,
            "isInitial": False,
            "isConditional": False,
        }
        if self.cloud:
            out.update(isAvailable=True, looped=False)
        if with_fields:
            # Only Done has a screen: the resolution, required as Jira reports it on every screen.
            out["fields"] = {}
            if out["hasScreen"]:
                resolutions = [self.resolution(r["id"]) for r in catalog.RESOLUTIONS]
                out["fields"]["resolution"] = self.system_meta("resolution", resolutions, required=True)
        return out

    def fields(self) -> list[dict[str, Any]]:
        out = []
        for fid, name, kind, clauses, orderable in catalog.FIELDS:
            field = {
                "id": fid,
                "name": name,
                "custom": False,
                "orderable": orderable,
                "navigable": fid not in _NOT_NAVIGABLE,
                "searchable": True,
                "clauseNames": list(clauses),
            }
            if kind:
                field["schema"] = self.system_schema(fid, kind)
            if self.cloud:
                field["key"] = fid
            out.append(field)
        for cf in catalog.CUSTOM_FIELDS:
            field = {
                "id": cf.id,
                "name": cf.name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{cf.number}]", cf.name],
                "schema": self.custom_schema(cf),
            }
            if self.cloud:
                field["key"] = cf.id
            out.append(field)
        return out

    @staticmethod
    def system_schema(fid: str, kind: str) -> dict[str, Any]:
        schema = {"type": kind, "system": fid}
        if fid in catalog.ARRAY_ITEMS:
            schema["items"] = catalog.ARRAY_ITEMS[fid]
        return schema

    @staticmethod
    def custom_schema(cf: catalog.CustomField) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": cf.type, "custom": cf.custom, "customId": cf.number}
        if cf.items:
            schema["items"] = cf.items
        return schema

    def option(self, option_id: str, value: str) -> dict[str, Any]:
        return {"self": f"{self.rest}/customFieldOption/{option_id}", "value": value, "id": option_id}

    def custom_value(self, cf: catalog.CustomField, stored: Any) -> Any:
        if stored is None:
            return None
        if cf.type == "option":
            value = dict(cf.options).get(stored)
            return self.option(stored, value) if value is not None else None
        if cf.items == "option":
            options = dict(cf.options)
            return [self.option(oid, options[oid]) for oid in stored if oid in options]
        if cf.type == "user":
            return self.user_ref(stored)
        if cf.custom in catalog.TEXT_AREAS:
            return self.text(stored)
        return stored

    def system_meta(self, fid: str, allowed: list | None, required: bool) -> dict[str, Any]:
        """One system field of a screen (FieldMetaBean), with its allowedValues if given."""
        name, kind = next((f[1], f[2]) for f in catalog.FIELDS if f[0] == fid)
        meta: dict[str, Any] = {"required": required, "schema": self.system_schema(fid, kind), "name": name, "key": fid,
                                "hasDefaultValue": fid == "priority", "operations": _OPERATIONS.get(fid, ["set"])}
        if allowed is not None:
            meta["allowedValues"] = allowed
        return meta

    def field_meta(self, project: Project, type_id: str, edit: bool = False, field_id: bool = True) -> list[dict[str, Any]]:
        """The fields of a create or edit screen (createmeta, editmeta), with allowedValues where
        Jira lists them; `field_id`: the newer createmeta's fieldId (the legacy shape has none)."""
        screen = catalog.edit_screen(type_id) if edit else catalog.create_screen(type_id)
        allowed: dict[str, Any] = {
            "issuetype": lambda: [self.issue_type(it) for it in catalog.ISSUE_TYPES],
            "project": lambda: [self.project(project)],
            "priority": lambda: [self.priority(p[0]) for p in catalog.PRIORITIES],
            "fixVersions": lambda: [self.version(v) for v in self.data.versions_of(project)],
            "versions": lambda: [self.version(v) for v in self.data.versions_of(project)],
            "components": lambda: [self.component(c, brief=True) for c in self.data.components_of(project)],
        }
        out = [self.system_meta(fid, allowed[fid]() if fid in allowed else None, fid in ("summary", "issuetype", "project"))
               for fid in screen]
        for cf in catalog.custom_fields_on(type_id):
            meta = {"required": False, "schema": self.custom_schema(cf), "name": cf.name, "key": cf.id, "hasDefaultValue": False,
                    "operations": ["add", "set", "remove"] if cf.type == "array" else ["set"]}
            if cf.options:
                meta["allowedValues"] = [self.option(oid, value) for oid, value in cf.options]
            out.append(meta)
        if field_id:
            for meta in out:
                meta["fieldId"] = meta["key"]
        return out

    # ---- versions, components, worklogs --------------------------------------------------

    def version(self, version: Version) -> dict[str, Any]:
        out: dict[str, Any] = {"self": f"{self.rest}/version/{version.id}", "id": str(version.id), "name": version.name,
                               "archived": version.archived, "released": version.released}
        if version.description:
            out["description"] = version.description
        if version.start_date:
            out["startDate"] = version.start_date
        if version.release_date:
            out["releaseDate"] = version.release_date
            out["userReleaseDate"] = version.release_date
        out["projectId"] = int(version.project_id)
        return out

    def component(self, component: Component, brief: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"self": f"{self.rest}/component/{component.id}", "id": str(component.id), "name": component.name}
        if component.description:
            out["description"] = component.description
        if brief:
            return out
        project = self.data.projects[component.project_id]
        lead = self.user_ref(component.lead)
        if lead:
            out["lead"] = lead
            out["leadUserName" if not self.cloud else "leadAccountId"] = lead.get("name") or lead.get("accountId")
        assignee = {"PROJECT_LEAD": project.lead, "COMPONENT_LEAD": component.lead}.get(component.assignee_type)
        out.update(assigneeType=component.assignee_type, realAssigneeType=component.assignee_type,
                   isAssigneeTypeValid=component.assignee_type != "COMPONENT_LEAD" or component.lead is not None,
                   project=project.key, projectId=int(project.id))
        if assignee:
            out["assignee"] = out["realAssignee"] = self.user_ref(assignee)
        return out

    def worklog(self, worklog: Worklog) -> dict[str, Any]:
        return {
            "self": f"{self.rest}/issue/{worklog.issue_id}/worklog/{worklog.id}",
            "author": self.user_ref(worklog.author),
            "updateAuthor": self.user_ref(worklog.update_author or worklog.author),
            "comment": self.text(worklog.comment) if worklog.comment else self.text(""),
            "created": jira_time(worklog.created),
            "updated": jira_time(worklog.updated),
            "started": worklog.started,
            "timeSpent": catalog.format_duration(worklog.seconds),
            "timeSpentSeconds": worklog.seconds,
            "id": str(worklog.id),
            "issueId": str(worklog.issue_id),
        }

    def worklog_page(self, worklogs: list[Worklog], start: int = 0, limit: int = 5000) -> dict[str, Any]:
        page = worklogs[start : start + limit]
        return {"startAt": start, "maxResults": limit, "total": len(worklogs),
                "worklogs": [self.worklog(w) for w in page]}

    def timetracking(self, issue: Issue) -> dict[str, Any]:
        spent = sum(w.seconds for w in self.data.worklogs_of(issue))
        out: dict[str, Any] = {}
        if issue.original_estimate is not None:
            out.update(originalEstimate=catalog.format_duration(issue.original_estimate),
                       originalEstimateSeconds=issue.original_estimate)
        if issue.remaining_estimate is not None:
            out.update(remainingEstimate=catalog.format_duration(issue.remaining_estimate),
                       remainingEstimateSeconds=issue.remaining_estimate)
        if spent:
            out.update(timeSpent=catalog.format_duration(spent), timeSpentSeconds=spent)
        return out

    def watches(self, issue: Issue, user: User | None) -> dict[str, Any]:
        return {"self": f"{self.rest}/issue/{issue.key}/watchers", "watchCount": len(issue.watchers),
                "isWatching": user is not None and user.key in issue.watchers}

    def votes(self, issue: Issue, user: User | None) -> dict[str, Any]:
        return {"self": f"{self.rest}/issue/{issue.key}/votes", "votes": len(issue.voters),
                "hasVoted": user is not None and user.key in issue.voters}

    # ---- projects --------------------------------------------------------------------------

    def project_avatars(self, project: Project) -> dict[str, str]:
        sizes = {"48x48": "", "24x24": "small", "16x16": "xsmall", "32x32": "medium"}
        return {k: f"{self.base}/secure/projectavatar?{'size=' + v + '&' if v else ''}avatarId=10324" for k, v in sizes.items()}

    def project(self, project: Project, full: bool = False, expand: set[str] = frozenset()) -> dict[str, Any]:
        out: dict[str, Any] = {
            "expand": "description,lead,url,projectKeys",
            "self": f"{self.rest}/project/{project.id}",
            "id": project.id,
            "key": project.key,
            "name": project.name,
            "avatarUrls": self.project_avatars(project),
            "projectTypeKey": project.type_key,
            "archived": False,
        }
        if self.cloud:
            out.update(simplified=False, style="classic", isPrivate=False)
        if full or "description" in expand:
            out["description"] = project.description
        if full or "lead" in expand:
            out["lead"] = self.user_ref(project.lead)
        if full or "issueTypes" in expand:
            out["issueTypes"] = [self.issue_type(it) for it in catalog.ISSUE_TYPES]
        if full:
            out.update(
                components=[self.component(c, brief=True) for c in self.data.components_of(project)],
                assigneeType=project.assignee_type,
                versions=[self.version(v) for v in self.data.versions_of(project)],
                roles={name: f"{self.rest}/project/{project.id}/role/{rid}" for rid, name, _, _ in catalog.ROLES},
            )
            if project.url:
                out["url"] = project.url
        category = self.data.categories.get(project.category_id) if project.category_id else None
        if category is not None:
            out["projectCategory"] = {"self": f"{self.rest}/projectCategory/{category.id}", "id": str(category.id),
                                      "name": category.name, "description": category.description}
        if "projectKeys" in expand:
            out["projectKeys"] = [project.key]
        return out

    # ---- issues ----------------------------------------------------------------------------

    def comment(self, comment: Comment, expand: set[str] = frozenset()) -> dict[str, Any]:
        out = {
            "self": f"{self.rest}/issue/{comment.issue_id}/comment/{comment.id}",
            "id": str(comment.id),
            "author": self.user_ref(comment.author),
            "body": self.text(comment.body),
            "updateAuthor": self.user_ref(comment.update_author or comment.author),
            "created": jira_time(comment.created),
            "updated": jira_time(comment.updated),
        }
        if "renderedBody" in expand:
            out["renderedBody"] = self.rendered("description", comment.body)
        if comment.visibility:
            out["visibility"] = dict(comment.visibility)
        if self.cloud:
            out["jsdPublic"] = True
        return out

    def may_see(self, comment: Comment) -> bool:
        """A comment restricted to a group or project role is shown to its members only."""
        vis, user = comment.visibility, self.caller
        if not vis:
            return True
        if user is None:
            return False
        if vis.get("type") == "group":
            return vis.get("value") in user.groups
        issue = self.data.issues.get(comment.issue_id)
        project = self.data.projects.get(issue.project_id) if issue else None
        role_id = next((rid for rid, name, _, _ in catalog.ROLES if name == vis.get("value")), None)
        members = project.roles.get(role_id, {}) if project and role_id else {}
        return user.key in members.get("users", []) or any(g in user.groups for g in members.get("groups", []))

    def comment_page(self, comments: list[Comment], start: int = 0, limit: int = 5000, expand: set[str] = frozenset()) -> dict[str, Any]:
        comments = [c for c in comments if self.may_see(c)]
        page = comments[start : start + limit]
        return {"comments": [self.comment(c, expand) for c in page], "maxResults": len(page), "total": len(comments), "startAt": start}

    def attachment(self, attachment: Attachment) -> dict[str, Any]:
        if self.cloud:
            content = f"{self.rest}/attachment/content/{attachment.id}"
        else:
            # Every reserved character escaped, "/" too, as in the UTF-8 escaped names of real content URLs.
            content = f"{self.base}/secure/attachment/{attachment.id}/{quote(attachment.filename, safe='')}"
        return {
            "self": f"{self.rest}/attachment/{attachment.id}",
            "id": str(attachment.id),
            "filename": attachment.filename,
            "author": self.user_ref(attachment.author),
            "created": jira_time(attachment.created),
            "size": attachment.size,
            "mimeType": attachment.mime_type,
            "content": content,
        }

    def issue(self, issue: Issue, wanted: set[str] | None, expand: set[str] = frozenset()) -> dict[str, Any]:
        """`wanted`: field ids to include; None means all (*all)."""
        project = self.data.projects[issue.project_id]
        values = {
            "summary": lambda: issue.summary,
            "description": lambda: self.text(issue.description),
            "environment": lambda: self.text(issue.environment),
            "issuetype": lambda: self.issue_type(catalog.issue_type(issue.type_id)),
            "project": lambda: self.project(project),
            "status": lambda: self.status(catalog.status(issue.status_id)),
            "priority": lambda: self.priority(issue.priority_id),
            "assignee": lambda: self.user_ref(issue.assignee),
            "reporter": lambda: self.user_ref(issue.reporter),
            "creator": lambda: self.user_ref(issue.creator),
            "labels": lambda: list(issue.labels),
            "created": lambda: jira_time(issue.created),
            "updated": lambda: jira_time(issue.updated),
            "resolution": lambda: self.resolution(issue.resolution_id) if issue.resolved else None,
            "resolutiondate": lambda: jira_time(issue.resolved) if issue.resolved else None,
            "comment": lambda: self.comment_page(self.data.comments_of(issue)),
            "attachment": lambda: [self.attachment(a) for a in self.data.attachments_of(issue)],
            "issuelinks": lambda: [self.link(k, issue) for k in self.data.links_of(issue)],
            "fixVersions": lambda: [self.version(self.data.versions[v]) for v in issue.fix_versions if v in self.data.versions],
            "versions": lambda: [self.version(self.data.versions[v]) for v in issue.versions if v in self.data.versions],
            "components": lambda: [self.component(self.data.components[c], brief=True)
                                   for c in issue.components if c in self.data.components],
            "timetracking": lambda: self.timetracking(issue),
            "worklog": lambda: self.worklog_page(self.data.worklogs_of(issue), 0, 20),
            "watches": lambda: self.watches(issue, self.caller),
            "votes": lambda: self.votes(issue, self.caller),
        }
        for cf in catalog.CUSTOM_FIELDS:
            values[cf.id] = lambda cf=cf: self.custom_value(cf, issue.custom.get(cf.id))
        out: dict[str, Any] = {"expand": ISSUE_EXPAND, "id": str(issue.id), "self": f"{self.rest}/issue/{issue.id}", "key": issue.key}
        if wanted is None or wanted:
            out["fields"] = {name: make() for name, make in values.items() if wanted is None or name in wanted}
        if "transitions" in expand:
            out["transitions"] = [self.transition(t, False) for t in catalog.transitions_from(issue.status_id)]
        shown = out.get("fields", {})
        if "names" in expand:
            names = {f[0]: f[1] for f in catalog.FIELDS} | {cf.id: cf.name for cf in catalog.CUSTOM_FIELDS}
            out["names"] = {fid: names[fid] for fid in shown if fid in names}
        if "schema" in expand:
            schemas = {f[0]: self.system_schema(f[0], f[2]) for f in catalog.FIELDS if f[2]}
            schemas |= {cf.id: self.custom_schema(cf) for cf in catalog.CUSTOM_FIELDS}
            out["schema"] = {fid: schemas[fid] for fid in shown if fid in schemas}
        if "editmeta" in expand:
            out["editmeta"] = self.editmeta(issue)
        if "renderedFields" in expand:
            out["renderedFields"] = {fid: self.rendered(fid, value) for fid, value in shown.items()}
        if "changelog" in expand:  # the sandbox keeps no history
            out["changelog"] = {"startAt": 0, "maxResults": 0, "total": 0, "histories": []}
        if "operations" in expand:
            out["operations"] = {"linkGroups": []}
        if "versionedRepresentations" in expand:
            out["versionedRepresentations"] = {fid: {"1": value} for fid, value in out.pop("fields", {}).items()}
        return out

    def editmeta(self, issue: Issue) -> dict[str, Any]:
        project = self.data.projects[issue.project_id]
        return {"fields": {f["key"]: f for f in self.field_meta(project, issue.type_id, edit=True, field_id=False)}}

    def rendered(self, fid: str, value: Any) -> Any:
        """renderedFields: wiki text as HTML, dates as Jira shows them; other fields null."""
        if fid in _WIKI_TEXT and isinstance(value, str):
            return "<p>" + html.escape(value).replace("\n", "<br/>\n") + "</p>"
        if fid in ("created", "updated", "resolutiondate") and isinstance(value, str):
            return value[:10]
        if fid == "comment" and isinstance(value, dict):
            return {**value, "comments": [{**c, "body": self.rendered("description", c["body"])} for c in value["comments"]]}
        return None

    def link_type(self, t: LinkType) -> dict[str, Any]:
        return {"id": str(t.id), "name": t.name, "inward": t.inward, "outward": t.outward, "self": f"{self.rest}/issueLinkType/{t.id}"}

    def linked_issue(self, issue: Issue) -> dict[str, Any]:
        fields = {
            "summary": issue.summary,
            "status": self.status(catalog.status(issue.status_id)),
            "priority": self.priority(issue.priority_id),
            "issuetype": self.issue_type(catalog.issue_type(issue.type_id)),
        }
        return {"id": str(issue.id), "key": issue.key, "self": f"{self.rest}/issue/{issue.id}", "fields": fields}

    def link(self, link: Link, seen_from: Issue | None = None) -> dict[str, Any]:
        """In an issue's issuelinks, only the other issue (outwardIssue when `seen_from` is the
        source); from /issueLink/{id}, both."""
        out: dict[str, Any] = {"id": str(link.id), "self": f"{self.rest}/issueLink/{link.id}",
                               "type": self.link_type(self.data.link_types[int(link.type_id)])}
        issues = self.data.issues
        if seen_from is None or seen_from.id == link.target:
            out["inwardIssue"] = self.linked_issue(issues[link.source])
        if seen_from is None or seen_from.id == link.source:
            out["outwardIssue"] = self.linked_issue(issues[link.target])
        return out

    def resolution(self, resolution_id: str | None) -> dict[str, Any]:
        found = catalog.resolution(resolution_id) or catalog.DONE_RESOLUTION
        return {"self": f"{self.rest}/resolution/{found['id']}", **found}


def wanted_fields(values: list[str], default: str) -> set[str] | None:
    """Jira's `fields` parameter (repeated and/or comma-separated): *all, *navigable, names, -name."""
    items = [item.strip() for value in values for item in value.split(",") if item.strip()] or [default]
    all_ids = [f[0] for f in catalog.FIELDS if f[0] != "issuekey"] + [cf.id for cf in catalog.CUSTOM_FIELDS]
    chosen: set[str] = set()
    if all(item.startswith("-") for item in items):
        chosen.update(f for f in all_ids if f not in _NOT_NAVIGABLE)  # "-description" = navigable minus one
    for item in items:
        if item == "*all":
            chosen.update(all_ids)
        elif item == "*navigable":
            chosen.update(f for f in all_ids if f not in _NOT_NAVIGABLE)
        elif not item.startswith("-") and item not in ("id", "key", "*none"):
            chosen.add(item)
    chosen -= {item[1:] for item in items if item.startswith("-")}
    return None if chosen >= set(all_ids) else chosen
