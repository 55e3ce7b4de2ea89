"""Fixed Jira configuration shared by the DC and Cloud products: issue types, statuses, the
workflow, priorities and the field list. Ids follow a default Jira DC install where one exists
(Bug 1, Task 3, In Progress 3, To Do 10000, Done 10001) and are documented in docs/sandbox.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IssueType:
    id: str
    name: str
    description: str
    icon: str
    avatar_id: int


@dataclass(frozen=True)
class StatusCategory:
    id: int
    key: str
    color: str
    name: str


@dataclass(frozen=True)
class Status:
    id: str
    name: str
    description: str
    icon: str
    category: StatusCategory


@dataclass(frozen=True)
class Transition:
    id: str
    name: str
    sources: tuple[str, ...]  # status ids the transition starts from
    target: str  # status id


ISSUE_TYPES = (
    IssueType("3", "Task", "A task that needs to be done.", "/images/icons/issuetypes/task.svg", 10318),
    IssueType("1", "Bug", "A problem which impairs or prevents the functions of the product.", "/images/icons/issuetypes/bug.svg", 10303),
    IssueType(
        "10001",
        "Story",
        "Created by Jira Software - do not edit or delete. Issue type for a user story.",
        "/images/icons/issuetypes/story.svg",
        10315,
    ),
)

NO_CATEGORY = StatusCategory(1, "undefined", "medium-gray", "No Category")
TODO_CATEGORY = StatusCategory(2, "new", "blue-gray", "To Do")
PROGRESS_CATEGORY = StatusCategory(4, "indeterminate", "yellow", "In Progress")
DONE_CATEGORY = StatusCategory(3, "done", "green", "Done")

TO_DO = Status("10000", "To Do", "", "/images/icons/status_generic.gif", TODO_CATEGORY)
IN_PROGRESS = Status(
    "3",
    "In Progress",
    "This issue is being actively worked on at the moment by the assignee.",
    "/images/icons/statuses/inprogress.png",
    PROGRESS_CATEGORY,
)
DONE = Status("10001", "Done", "", "/images/icons/status_generic.gif", DONE_CATEGORY)
STATUSES = (TO_DO, IN_PROGRESS, DONE)
STATUS_CATEGORIES = (NO_CATEGORY, TODO_CATEGORY, DONE_CATEGORY, PROGRESS_CATEGORY)
INITIAL_STATUS = TO_DO

TRANSITIONS = (
    Transition("11", "Start Progress", (TO_DO.id,), IN_PROGRESS.id),
    Transition("21", "Done", (TO_DO.id, IN_PROGRESS.id), DONE.id),
    Transition("31", "Reopen", (DONE.id,), TO_DO.id),
)

# (id, name, icon) — Jira's default priority scheme.
PRIORITIES = (
    ("1", "Highest", "/images/icons/priorities/highest.svg"),
    ("2", "High", "/images/icons/priorities/high.svg"),
    ("3", "Medium", "/images/icons/priorities/medium.svg"),
    ("4", "Low", "/images/icons/priorities/low.svg"),
    ("5", "Lowest", "/images/icons/priorities/lowest.svg"),
)
DEFAULT_PRIORITY = "3"
DONE_RESOLUTION = {"id": "10000", "name": "Done", "description": "Work has been completed on this issue."}
# Jira Software's default resolutions (Done, Won't Do, Duplicate, Cannot Reproduce: 10000-10003),
# after Jira Core's Fixed and Won't Fix, which ACLI scripts name; the Done transition's screen sets
# one (Done when none is given).
RESOLUTIONS = (
    {"id": "1", "name": "Fixed", "description": "A fix for this issue is checked into the tree and tested."},
    {"id": "2", "name": "Won't Fix", "description": "The problem described is an issue which will never be fixed."},
    DONE_RESOLUTION,
    {"id": "10001", "name": "Won't Do", "description": "This issue won't be actioned."},
    {"id": "10002", "name": "Duplicate", "description": "The problem is a duplicate of an existing issue."},
    {"id": "10003", "name": "Cannot Reproduce", "description": "All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue."},
)


def resolution(ref: dict | str | None) -> dict | None:
    if isinstance(ref, dict):
        ref = ref.get("id") or ref.get("name")
    return next((r for r in RESOLUTIONS if isinstance(ref, str) and ref.lower() in (r["id"], r["name"].lower())), None)

# (id, name, schema type, clause names, orderable) — the system fields the sandbox stores.
FIELDS = (
    ("summary", "Summary", "string", ("summary",), True),
    ("description", "Description", "string", ("description",), True),
    ("environment", "Environment", "string", ("environment",), True),
    ("issuetype", "Issue Type", "issuetype", ("issuetype", "type"), True),
    ("project", "Project", "project", ("project",), False),
    ("status", "Status", "status", ("status",), False),
    ("priority", "Priority", "priority", ("priority",), True),
    ("assignee", "Assignee", "user", ("assignee",), True),
    ("reporter", "Reporter", "user", ("reporter",), True),
    ("creator", "Creator", "user", ("creator",), False),
    ("labels", "Labels", "array", ("labels",), True),
    ("created", "Created", "datetime", ("created", "createdDate"), False),
    ("updated", "Updated", "datetime", ("updated", "updatedDate"), False),
    ("resolution", "Resolution", "resolution", ("resolution",), False),
    ("resolutiondate", "Resolved", "datetime", ("resolutiondate", "resolved"), False),
    ("comment", "Comment", "comments-page", ("comment",), True),
    ("attachment", "Attachment", "array", ("attachments",), True),
    ("issuelinks", "Linked Issues", "array", ("issueLinks",), True),
    ("fixVersions", "Fix Version/s", "array", ("fixVersion",), True),
    ("versions", "Affects Version/s", "array", ("affectedVersion",), True),
    ("components", "Component/s", "array", ("component",), True),
    ("timetracking", "Time Tracking", "timetracking", (), True),
    ("worklog", "Log Work", "array", (), True),
    ("watches", "Watchers", "watches", ("watchers",), False),
    ("votes", "Votes", "votes", ("votes",), False),
    ("issuekey", "Key", None, ("id", "issue", "issuekey", "key"), False),
)


# Jira's default issue link types (name, inward, outward), seeded as 10000-10003.
LINK_TYPES = (
    ("Blocks", "is blocked by", "blocks"),
    ("Cloners", "is cloned by", "clones"),
    ("Duplicate", "is duplicated by", "duplicates"),
    ("Relates", "relates to", "relates to"),
)


@dataclass(frozen=True)
class CustomField:
    id: str  # customfield_NNNNN
    name: str
    type: str  # the schema type: number, option, user, string, date, array
    custom: str  # the plugin key of the field type, as Jira names it in the schema
    options: tuple[tuple[str, str], ...] = ()  # (id, value) of a select field
    items: str | None = None  # the item type of an array
    screens: tuple[str, ...] | None = None  # issue type ids whose screens have it; None: all

    @property
    def number(self) -> int:
        return int(self.id.rsplit("_", 1)[1])


_CF = "com.atlassian.jira.plugin.system.customfieldtypes:"
# The seeded custom fields (issue 15): on every issue type's create and edit screens.
CUSTOM_FIELDS = (
    CustomField("customfield_10002", "Story Points", "number", _CF + "float"),
    CustomField("customfield_10010", "Team", "option", _CF + "select", (("10100", "Red"), ("10101", "Blue"))),
    CustomField("customfield_10011", "Reviewer", "user", _CF + "userpicker"),
    CustomField("customfield_10012", "Customer", "string", _CF + "textfield"),
    CustomField(
        "customfield_10013", "Platforms", "array", _CF + "multiselect",
        (("10200", "Linux"), ("10201", "macOS"), ("10202", "Windows")), items="option",
    ),
    # Not on the Bug screens: setting it on a Bug is refused as a field off the screen.
    CustomField("customfield_10014", "Review Date", "date", _CF + "datepicker", screens=("3", "10001")),
    # Multi-line text: up to 32,767 characters, as the description; only on the Bug screens.
    CustomField("customfield_10015", "Release notes", "string", _CF + "textarea", screens=("1",)),
)
# The multi-line text types: Jira's text limit, and documents on Cloud REST v3 (as the description).
TEXT_AREAS = frozenset({_CF + "textarea"})


def custom_field(fid: str) -> CustomField | None:
    return next((f for f in CUSTOM_FIELDS if f.id == fid), None)


def custom_fields_on(type_id: str) -> tuple[CustomField, ...]:
    """The custom fields on the create and edit screens of an issue type."""
    return tuple(f for f in CUSTOM_FIELDS if f.screens is None or type_id in f.screens)


# Jira's default time tracking: 8-hour days, 5-day weeks.
_UNITS = (("w", 5 * 8 * 3600), ("d", 8 * 3600), ("h", 3600), ("m", 60))
_UNIT_SECONDS = dict(_UNITS)
_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhm])", re.IGNORECASE)


MAX_LONG = 2**63 - 1  # Jira keeps durations in seconds as Java longs


def parse_duration(text: Any) -> int | None:
    """Seconds of a Jira duration ("1h 30m", "1d 2h", "3w", "90" = minutes), or None if invalid."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    if text.isdigit():  # ASCII digits only ("²".isdigit() is true), and a Java long of seconds at most
        return int(text) * 60 if text.isascii() and len(text) <= 16 else None
    seconds, pos = 0.0, 0
    for found in _DURATION_PART.finditer(text):
        if found.start() != pos:
            return None
        seconds += float(found.group(1)) * _UNIT_SECONDS[found.group(2).lower()]
        pos = found.end()
    return int(seconds) if pos == len(text) and pos and seconds <= MAX_LONG else None


def format_duration(seconds: int) -> str:
    """Jira's pretty duration: 37800 -> "1d 2h 30m"; 0 -> "0m"."""
    parts = []
    for unit, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"


# The item type of the system fields that are arrays (their schema's `items`).
ARRAY_ITEMS = {
    "labels": "string", "attachment": "attachment", "issuelinks": "issuelinks", "worklog": "worklog",
    "fixVersions": "version", "versions": "version", "components": "component",
}
# The system fields on every issue type's create screen, in screen order; the edit screen has the
# same fields but the project, and the comment.
CREATE_SCREEN = ("summary", "issuetype", "project", "description", "priority", "assignee", "reporter", "labels",
                 "fixVersions", "versions", "components", "timetracking")
EDIT_SCREEN = tuple(f for f in CREATE_SCREEN if f != "project") + ("attachment", "issuelinks", "comment")
# System fields on the screens of some issue types only, after the description: the Environment on
# the Bug's (so that the Task and Story screens show a field a screen lacks).
_TYPE_FIELDS = {"1": ("environment",)}


def _with_type_fields(screen: tuple[str, ...], type_id: str) -> tuple[str, ...]:
    at = screen.index("description") + 1
    return screen[:at] + _TYPE_FIELDS.get(type_id, ()) + screen[at:]


def create_screen(type_id: str) -> tuple[str, ...]:
    """The system fields of an issue type's create screen, in screen order."""
    return _with_type_fields(CREATE_SCREEN, type_id)


def edit_screen(type_id: str) -> tuple[str, ...]:
    """The system fields of an issue type's edit screen, in screen order."""
    return _with_type_fields(EDIT_SCREEN, type_id)


def issue_type(ref: dict | str | None) -> IssueType | None:
    """Find an issue type from {"id": ...} or {"name": ...} (or a bare id/name)."""
    if isinstance(ref, dict):
        ref = ref.get("id") or ref.get("name")
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)  # Jackson reads {"id": 3} into the String id, as Jira accepts it
    if not isinstance(ref, str):
        return None
    for it in ISSUE_TYPES:
        if ref == it.id or ref.lower() == it.name.lower():
            return it
    return None


def status(status_id: str) -> Status:
    return next(s for s in STATUSES if s.id == status_id)


def status_named(name: str) -> Status | None:
    return next((s for s in STATUSES if name.lower() in (s.name.lower(), s.id)), None)


def priority(ref: dict | str | None) -> tuple[str, str, str] | None:
    if isinstance(ref, dict):
        ref = ref.get("id") or ref.get("name")
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)
    return next((p for p in PRIORITIES if isinstance(ref, str) and ref.lower() in (p[0], p[1].lower())), None)


def transitions_from(status_id: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status_id in t.sources]


# Project roles of a default Jira: (id, name, description, whether the administrators' group
# (jira-administrators, Cloud's site-admins) is in the role on a new project).
ROLES = (
    ("10002", "Administrators", "A project role that represents administrators in a project", True),
    ("10001", "Developers", "A project role that represents developers in a project", False),
    ("10000", "Users", "A project role that represents users in a project", False),
)
# The schemes of a default Jira; every project uses them (ids as a fresh Jira numbers them).
PERMISSION_SCHEME = {"id": 0, "name": "Default Permission Scheme",
                     "description": "This is the default Permission Scheme. Any new projects that are created will be assigned this scheme."}
NOTIFICATION_SCHEME = {"id": 10000, "name": "Default Notification Scheme", "description": ""}
PRIORITY_SCHEME = {"id": 1, "name": "Default priority scheme", "description": "This is default priority scheme used by all projects without any other scheme assigned"}
# A default Jira has none; the sandbox keeps one, so that a client that wants one to name (the
# `jira` package's create_project) finds it.
ISSUE_SECURITY_SCHEME = {"id": 10000, "name": "Default Issue Security Scheme", "description": "Security levels for confidential issues."}
SECURITY_LEVELS = ({"id": "10000", "name": "Internal", "description": "Staff only"},)
# Project templates: key -> (name, project type). DC lists the first six (its
# /rest/project-templates); Cloud's simplified keys are accepted on project creation.
_GH, _CORE = "com.pyxis.greenhopper.jira:", "com.atlassian.jira-core-project-templates:"
TEMPLATES = {
    _GH + "basic-software-development-template": ("Basic software development", "software"),
    _GH + "gh-kanban-template": ("Kanban software development", "software"),
    _GH + "gh-scrum-template": ("Scrum software development", "software"),
    _CORE + "jira-core-project-management": ("Project management", "business"),
    _CORE + "jira-core-process-management": ("Process management", "business"),
    _CORE + "jira-core-task-management": ("Task management", "business"),
    _GH + "gh-simplified-basic": ("Basic", "software"),
    _GH + "gh-simplified-agility-kanban": ("Kanban", "software"),
    _GH + "gh-simplified-agility-scrum": ("Scrum", "software"),
    _GH + "gh-simplified-kanban-classic": ("Kanban (classic)", "software"),
    _GH + "gh-simplified-scrum-classic": ("Scrum (classic)", "software"),
}
DC_TEMPLATES = tuple(TEMPLATES)[:6]

# Jira's permissions (key, name, type, who has it in the sandbox: "user" = every user, "admin" = administrators).
_P = "PROJECT"
PERMISSIONS = (
    ("ADMINISTER", "Jira Administrators", "GLOBAL", "admin"),
    ("SYSTEM_ADMIN", "Jira System Administrators", "GLOBAL", "admin"),
    ("USER_PICKER", "Browse users and groups", "GLOBAL", "user"),
    ("CREATE_SHARED_OBJECTS", "Create Shared Objects", "GLOBAL", "user"),
    ("MANAGE_GROUP_FILTER_SUBSCRIPTIONS", "Manage Group Filter Subscriptions", "GLOBAL", "user"),
    ("BULK_CHANGE", "Make bulk changes", "GLOBAL", "user"),
    ("ADMINISTER_PROJECTS", "Administer Projects", _P, "admin"),
    ("BROWSE_PROJECTS", "Browse Projects", _P, "user"),
    ("VIEW_DEV_TOOLS", "View Development Tools", _P, "user"),
    ("VIEW_READONLY_WORKFLOW", "View Read-Only Workflow", _P, "user"),
    ("CREATE_ISSUES", "Create Issues", _P, "user"),
    ("EDIT_ISSUES", "Edit Issues", _P, "user"),
    ("TRANSITION_ISSUES", "Transition Issues", _P, "user"),
    ("SCHEDULE_ISSUES", "Schedule Issues", _P, "user"),
    ("MOVE_ISSUES", "Move Issues", _P, "user"),
    ("ASSIGN_ISSUES", "Assign Issues", _P, "user"),
    ("ASSIGNABLE_USER", "Assignable User", _P, "user"),
    ("RESOLVE_ISSUES", "Resolve Issues", _P, "user"),
    ("CLOSE_ISSUES", "Close Issues", _P, "user"),
    ("MODIFY_REPORTER", "Modify Reporter", _P, "admin"),
    ("DELETE_ISSUES", "Delete Issues", _P, "admin"),
    ("LINK_ISSUES", "Link Issues", _P, "user"),
    ("SET_ISSUE_SECURITY", "Set Issue Security", _P, "admin"),
    ("VIEW_VOTERS_AND_WATCHERS", "View Voters and Watchers", _P, "user"),
    ("MANAGE_WATCHERS", "Manage Watchers", _P, "admin"),
    ("ADD_COMMENTS", "Add Comments", _P, "user"),
    ("EDIT_ALL_COMMENTS", "Edit All Comments", _P, "admin"),
    ("EDIT_OWN_COMMENTS", "Edit Own Comments", _P, "user"),
    ("DELETE_ALL_COMMENTS", "Delete All Comments", _P, "admin"),
    ("DELETE_OWN_COMMENTS", "Delete Own Comments", _P, "user"),
    ("CREATE_ATTACHMENTS", "Create Attachments", _P, "user"),
    ("DELETE_ALL_ATTACHMENTS", "Delete All Attachments", _P, "admin"),
    ("DELETE_OWN_ATTACHMENTS", "Delete Own Attachments", _P, "user"),
    ("WORK_ON_ISSUES", "Work On Issues", _P, "user"),
    ("EDIT_OWN_WORKLOGS", "Edit Own Worklogs", _P, "user"),
    ("EDIT_ALL_WORKLOGS", "Edit All Worklogs", _P, "admin"),
    ("DELETE_OWN_WORKLOGS", "Delete Own Worklogs", _P, "user"),
    ("DELETE_ALL_WORKLOGS", "Delete All Worklogs", _P, "admin"),
    ("VIEW_VERSION_CONTROL", "View Version Control", _P, "user"),
    ("MANAGE_SPRINTS_PERMISSION", "Manage Sprints", _P, "admin"),
    ("EDIT_SPRINT_NAME_AND_GOAL_PERMISSION", "Edit Sprints", _P, "admin"),
    ("START_STOP_SPRINTS_PERMISSION", "Start/Complete Sprints", _P, "admin"),
)

# Application properties the sandbox keeps (key -> type, name, default value), as a fresh Jira has them.
APPLICATION_PROPERTIES = {
    "jira.title": ("string", "The name of this Jira installation", "Jira"),
    "jira.lf.text.headingcolour": ("colour", "Heading colour", "#172b4d"),
    "jira.lf.top.bgcolour": ("colour", "Header background colour", "#205081"),
    "jira.lf.favicon.url": ("string", "Favicon URL", "/favicon.ico"),
    "jira.lf.favicon.hires.url": ("string", "High resolution favicon URL", "/jira-favicon-hires.png"),
    "jira.lf.logo.url": ("string", "Logo URL", "/images/icon-jira-logo.png"),
    "jira.option.allowunassigned": ("boolean", "Allow unassigned issues", "true"),
    "jira.option.voting": ("boolean", "Voting", "true"),
    "jira.option.watching": ("boolean", "Watching", "true"),
    "jira.option.timetracking": ("boolean", "Time tracking", "true"),
    "jira.timetracking.hours.per.day": ("number", "Working hours per day", "8"),
    "jira.timetracking.days.per.week": ("number", "Working days per week", "5"),
}
