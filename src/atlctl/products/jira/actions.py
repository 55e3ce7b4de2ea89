"""Jira actions, declared once; parameter names follow ACLI wherever ACLI has the action."""

from __future__ import annotations

import functools

from atlctl.errors import AtlctlError, ClientError, ParameterError, RemoteError
from atlctl.files import read_text, upload_input
from atlctl.products.atlassian import declare_session_actions, declare_token_actions
from atlctl.products.base import VERIFIES, ActionSet, Param, Result
from atlctl.products.jira.fields import (SEARCH_FIELDS, Fields, field, field_value, jira_date, name_of, named_fields,
                                         shown_date, strptime_pattern, text_value, user_text)
from atlctl.products.jira.recovery import CreatedIssue, commented
from atlctl.values import is_number, list_items, positive

ACTIONS = ActionSet("jira")
action = ACTIONS.action
ISSUE = Param("issue", "Issue key, e.g. DEMO-1.", required=True)
DATE_FORMAT = Param("dateFormat", "How date values are written, as ACLI's Java SimpleDateFormat: yyyy-MM-dd (Jira's, "
                    "the default), dd/MMM/yy, dd.MM.yyyy HH:mm...", metavar="PATTERN")
FIELD_VALUES = (  # what goes with --field, on issues and on transitions
    Param("values", "The value of the one --field NAME given without '=' (ACLI's --field NAME --values V)."),
    Param("value", "ACLI's newer spelling of --values (--field NAME --value V)."),
    Param("custom", "ACLI's custom fields: \"NAME-OR-ID:VALUE,...\"; a value with a comma in single quotes.", metavar="LIST"),
    DATE_FORMAT,
)
FIELDS = (
    Param("description", "Issue description (or the text of --file)."),
    Param("priority", "Priority name, e.g. High."),
    Param("assignee", "Assignee: user name (Server/DC); on Cloud an email, display name or account id. Empty: nobody."),
    Param("reporter", "Reporter: user name (Server/DC); on Cloud an email, display name or account id."),
    Param("labels", "Comma-separated labels."),
    Param("fixVersions", "Comma-separated fix version names (an empty value clears them)."),
    Param("affectsVersions", "Comma-separated affected version names (an empty value clears them)."),
    Param("components", "Comma-separated component names (an empty value clears them)."),
    Param("environment", "The Environment text."),
    Param("security", "Security level name or id (a level of the project's issue security scheme)."),
    Param("parent", "Parent issue key: the issue is a sub-task of it (--type a sub-task type)."),
    Param("field", "Any field by name (case-insensitive) or id: NAME=VALUE (an empty VALUE clears it); or the field's "
          "NAME alone with --values.", repeat=True, metavar="NAME=VALUE"),
    *FIELD_VALUES,
    Param("comment", "A comment added to the issue once it is created or updated."),
)
# What the server's field list may not name (Jira lists them; the sandbox lists the Environment
# only), and why a screen may lack them.
SYSTEM_NAMES = {"environment": "Environment", "security": "Security Level", "parent": "Parent"}
SCREEN_HINTS = {
    "security": "Jira offers the Security Level only when the project has an issue security scheme with levels and "
                "the user has the Set Issue Security permission.",
    "parent": "Jira takes a parent only for a sub-task (on Cloud also for an issue under an epic), when it is created "
              "(createIssue --parent with a sub-task --type).",
}
DETAIL = Param("outputFormat", "ACLI's output format: 1 (default) or 2 (detail); both print every field atlctl shows.",
               choices=("1", "2"), metavar="N")
LIST = (Param("count", "The most entries to list (ACLI's --count; default all).", metavar="N"),
        Param("outputFormat", "ACLI's list format: 1 (default), 2 or 999 (every column); each prints every column "
              "atlctl has, --columns picks some.", choices=("1", "2", "999"), metavar="N"))


def list_action(name: str, help: str, *params: Param, **kwargs):
    """A list action: a get action with ACLI's --count and --outputFormat (acli.md §4.2, §4.4)."""

    def decorate(handler):
        @functools.wraps(handler)
        def listed(call):
            count = positive(call["count"], "count")  # a handler whose endpoint pages asks only for these
            result = handler(call)
            if count is not None:
                result.rows = result.rows[:count]
                if isinstance(result.data, list):
                    result.data = result.data[:count]
            return result

        action(name, help, *params, *LIST, reads=True, **kwargs)(listed)
        return handler

    return decorate


# getIssueList columns named in --columns beyond the listed ones (ACLI's names): column -> field id, fetched for them
FIELD_COLUMNS = {name.lower(): (name, field_id) for name, field_id in (
    ("Project", "project"), ("Description", "description"), ("Environment", "environment"), ("Resolution", "resolution"),
    ("Labels", "labels"), ("Fix Versions", "fixVersions"), ("Affects Versions", "versions"), ("Components", "components"))}
ISSUE_COLUMNS = ["Key", "Id", "Type", "Status", "Priority", "Assignee", "Reporter", "Summary", "Created", "Updated"]


def _server_only(call, what: str) -> None:
    if call.client.cloud:
        raise ClientError(f"{what} is not available on Jira Cloud through this API.")


# -- server and users --------------------------------------------------------------------------

@action("getClientInfo", "Show this client: its name, version and what it runs on (ACLI's getClientInfo; Python "
        "and httpx where ACLI shows Java). Sends nothing.", DETAIL, needs=(), reads=True,
        example="atlctl jira getClientInfo")
def get_client_info(call):
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from atlctl import __version__

    try:
        httpx_version = version("httpx")
    except PackageNotFoundError:
        httpx_version = None
    record = [("Client", "atlctl jira (ACLI-compatible Jira client)"), ("Version", __version__),
              ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
              ("HTTP library", f"httpx {httpx_version}" if httpx_version else None),
              ("Platform", platform.platform(terse=True))]
    return Result(f"atlctl jira version: {__version__}", data=dict(record), record=record)


@action("getServerInfo", "Show the server's product, version and deployment. With credentials it also checks "
        "them (through the current user: serverInfo itself answers anyone), so a wrong one fails; without "
        "credentials, or with -u anonymous, it asks anonymously.", DETAIL, needs=(VERIFIES,),
        example="atlctl jira getServerInfo --server https://jira.example.com", reads=True)
def get_server_info(call):
    client = call.client
    info = client.info.raw if client.info and client.info.raw else client.server_info()
    me = client.verify()
    cloud = str(info.get("deploymentType", "")).lower() == "cloud"
    record = [
        ("Product", "Jira"),
        ("Version", info.get("version")),
        ("Build", info.get("buildNumber")),
        ("Deployment", "Cloud" if cloud else "Server/Data Center"),
        ("Base URL", info.get("baseUrl")),
        ("Server title", info.get("serverTitle")),
        ("Server time", info.get("serverTime")),
    ] + ([("User", user_text(me) or me.get("emailAddress"))] if me else [])
    return Result(f"Jira version: {info.get('version')}, build: {info.get('buildNumber')}, url: {info.get('baseUrl')}",
                  data=info, record=record)


def _user_result(user: dict) -> Result:
    """User name and key on Server/DC; the account id stands in for both on Cloud."""
    user_id = user.get("name") or user.get("accountId")
    record = [("User", user_id)] + ([("Key", user.get("key"))] if "key" in user else []) + [
        ("Full name", user.get("displayName")),
        ("Email", user.get("emailAddress")),
        ("Active", user.get("active")),
        ("Time zone", user.get("timeZone")),
    ]
    return Result(data=user, record=record, variables={"userId": str(user_id)})


@action("getCurrentUser", "Show the user the credentials belong to.", reads=True)
def get_current_user(call):
    return _user_result(call.client.myself())


@action("getUser", "Show a user.",
        Param("userId", "User name (Server/DC) or account id (Cloud).", required=True), reads=True)
def get_user(call):
    return _user_result(call.client.user(call["userId"]))


@action("addUser", "Create a user (administrators; websudo-protected on Server/DC).",
        Param("userId", "User name of the new user.", required=True),
        Param("userEmail", "Email address.", required=True),
        Param("userFullName", "Display name.", required=True),
        Param("userPassword", "Initial password (otherwise Jira mails a link).", secret=True))
def add_user(call):
    _server_only(call, "addUser")
    call.context.console.redactor.add(call["userPassword"])
    user = call.client.add_user(call["userId"], call["userEmail"], call["userFullName"], call["userPassword"])
    return Result(f"User '{call['userId']}' added with email: {call['userEmail']} and full name: {call['userFullName']}.",
                  data=user, variables={"userId": call["userId"]})


@action("removeUser", "Delete a user (administrators; websudo-protected on Server/DC).",
        Param("userId", "User name.", required=True))
def remove_user(call):
    _server_only(call, "removeUser")
    call.client.remove_user(call["userId"])
    return Result(f"User '{call['userId']}' removed.")


@action("addGroup", "Create a group (administrators; websudo-protected on Server/DC).",
        Param("group", "Group name.", required=True))
def add_group(call):
    _server_only(call, "addGroup")
    group = call.client.add_group(call["group"])
    return Result(f"Group '{call['group']}' added.", data=group)


@action("addUserToGroup", "Add a user to a group (administrators; websudo-protected on Server/DC).",
        Param("userId", "User name.", required=True), Param("group", "Group name.", required=True))
def add_user_to_group(call):
    _server_only(call, "addUserToGroup")
    group = call.client.add_user_to_group(call["userId"], call["group"])
    return Result(f"User '{call['userId']}' added to group '{call['group']}'.", data=group)


# -- projects ----------------------------------------------------------------------------------

@list_action("getProjectList", "List the projects the user can see.")
def get_project_list(call):
    projects = call.client.projects()
    rows = [{"Key": p.get("key"), "Id": p.get("id"), "Name": p.get("name"), "Type": p.get("projectTypeKey"),
             "Lead": user_text(p.get("lead"))} for p in projects]
    return Result(data=projects, rows=rows, columns=["Key", "Id", "Name", "Type", "Lead"], noun="projects")


@action("getProject", "Show a project.", Param("project", "Project key or id.", required=True), reads=True)
def get_project(call):
    p = call.client.project(call["project"])
    record = [("Key", p.get("key")), ("Id", p.get("id")), ("Name", p.get("name")),
              ("Type", p.get("projectTypeKey")), ("Lead", user_text(p.get("lead"))), ("Description", p.get("description")),
              ("Issue types", [t.get("name") for t in p.get("issueTypes") or []])]
    return Result(data=p, record=record, variables={"project": p.get("key")})


# -- issues ------------------------------------------------------------------------------------

def _issue_row(issue: dict, dates: str | None = None) -> dict:
    """`dates`: the strptime pattern of --dateFormat, for Created and Updated."""
    f = issue.get("fields") or {}
    return {"Key": issue.get("key"), "Id": issue.get("id"), "Type": name_of(f.get("issuetype")),
            "Status": name_of(f.get("status")), "Priority": name_of(f.get("priority")), "Assignee": user_text(f.get("assignee")),
            "Reporter": user_text(f.get("reporter")), "Summary": f.get("summary"), "Created": shown_date(f.get("created"), dates),
            "Updated": shown_date(f.get("updated"), dates), "Resolution": name_of(f.get("resolution")),
            "Labels": ",".join(str(label) for label in f.get("labels") or [])}


def _dates(call) -> str | None:
    """The strptime pattern of --dateFormat for the dates an action prints, checked before any request."""
    return strptime_pattern(_non_blank(call, "dateFormat")) if call["dateFormat"] is not None else None


@action("getIssue", "Show an issue.", ISSUE, DATE_FORMAT, reads=True)
def get_issue(call):
    dates = _dates(call)
    issue = call.client.issue(call["issue"])
    f = issue.get("fields") or {}
    row = _issue_row(issue, dates)
    record = [("Key", row["Key"]), ("Id", row["Id"]), ("Project", name_of(f.get("project"), "key")),
              ("Type", row["Type"]), ("Status", row["Status"]), ("Priority", row["Priority"]),
              ("Summary", row["Summary"]), ("Description", f.get("description")), ("Environment", f.get("environment")),
              ("Assignee", row["Assignee"]), ("Reporter", row["Reporter"]), ("Labels", f.get("labels")), ("Created", row["Created"]),
              ("Updated", row["Updated"])] + _custom_record(call, f) + [("URL", call.client.browse_url(issue.get("key")))]
    return Result(data=issue, record=record, variables={"issue": issue.get("key"), "issueId": str(issue.get("id"))})


def _fields(call, *, creating: bool) -> dict:
    """Issue fields from the named parameters, the repeatable --field NAME=VALUE (or --field NAME
    --values V) and --custom "NAME:VALUE,..."."""
    fields = Fields()
    if creating:
        fields.put("project", {"key": call["project"]}, f"--project {call['project']}")
        fields.put("issuetype", {"name": call["type"]}, f"--type {call['type']}")
    if call["summary"]:
        fields.put("summary", call["summary"], f"--summary {call['summary']}")
    description = _text_input(call, "description")  # as in ACLI, --file may hold the description
    if description is not None:
        fields.put("description", description, "--file" if call["file"] else "--description")
    if call["priority"]:
        fields.put("priority", {"name": call["priority"]}, f"--priority {call['priority']}")
    if call["assignee"] is not None:
        fields.put("assignee", call.client.user_ref(call["assignee"]) if call["assignee"] else None,
                   f"--assignee {call['assignee']}")
    if call["reporter"] is not None:
        # a reporter cannot be nobody: not silently dropped
        fields.put("reporter", call.client.user_ref(_non_blank(call, "reporter")), f"--reporter {call['reporter']}")
    for param, field_id in (("fixVersions", "fixVersions"), ("affectsVersions", "versions"), ("components", "components")):
        if call[param] is not None:
            fields.put(field_id, [{"name": name} for name in list_items(call[param])], f"--{param} {call[param]}")
    if call["labels"] is not None:
        fields.put("labels", list_items(call["labels"]), f"--labels {call['labels']}")
    if call["environment"] is not None:
        fields.put("environment", call["environment"], f"--environment {call['environment']}")
    for param in ("security", "parent"):
        if call[param] is not None:  # blank is no level nor issue: refused, not left out unsaid
            ref = _non_blank(call, param).strip()
            fields.put(param, {"id" if is_number(ref) else "name" if param == "security" else "key": ref},
                       f"--{param} {call[param]}")
    named_fields(call, fields)
    return fields.values


def _custom_record(call, fields: dict) -> list[tuple[str, str]]:
    """The custom fields that have a value, by name (the field list is asked once per process, and only
    for text and CSV output of an issue that has some)."""
    custom = {key: value for key, value in fields.items() if key.startswith("customfield_") and value not in (None, "", [])}
    if not custom or call["output"] == "json":
        return []
    names = {f.get("id"): str(f.get("name") or f.get("id")) for f in call.client.fields()}
    return sorted((names.get(key, key), text_value(value)) for key, value in custom.items())


@action("createIssue", "Create an issue.",
        Param("project", "Project key.", required=True),
        Param("type", "Issue type name, e.g. Task.", required=True),
        Param("summary", "Summary.", required=True), *FIELDS,
        Param("autoVersion", "Add the --fixVersions and --affectsVersions the project does not have.", flag=True),
        Param("autoComponent", "Add the --components the project does not have.", flag=True),
        example='atlctl jira createIssue --project DEMO --type Task --summary "Rotate the keys"', file_input=True, finder=CreatedIssue)
def create_issue(call):
    fields = _fields(call, creating=True)
    comment = _comment(call)
    if call["autoVersion"]:
        _add_missing(call, "version", call.client.versions, call.client.add_version, fields, ("fixVersions", "versions"))
    if call["autoComponent"]:
        _add_missing(call, "component", call.client.components, call.client.add_component, fields, ("components",))
    try:
        created = call.client.create_issue(fields)
    except RemoteError as refused:
        wrong = _create_refusal(call, fields) if refused.status == 400 else None
        if wrong:
            raise wrong from None
        raise
    key = created.get("key")
    message = f"Issue {key} created with id {created.get('id')}. URL: {call.client.browse_url(key)}"
    variables = {"issue": key, "issueId": str(created.get("id"))}
    return commented(call, key, comment, Result(message, data=created, variables=variables), f"Issue {key} was created",
                      created=True)


def _add_missing(call, noun: str, listed, add, fields: dict, field_ids: tuple[str, ...]) -> None:
    """--autoVersion, --autoComponent: the named versions or components the project lacks are added first."""
    wanted = [item["name"] for field_id in field_ids for item in fields.get(field_id) or []]
    have = {str(item.get("name")).casefold() for item in listed(call["project"])} if wanted else set()
    for name in dict.fromkeys(wanted):
        if name.casefold() not in have:
            made = add({"project": call["project"], "name": name})
            have.add(name.casefold())
            call.context.console.info(f"{noun.capitalize()} '{made.get('name')}' with id {made.get('id')} added to "
                                      f"project {call['project']} (--auto{noun.capitalize()}).")


def _comment(call) -> str | None:
    """The --comment of createIssue and updateIssue, checked before anything is sent."""
    return None if call["comment"] is None else _non_blank(call, "comment")


def _non_blank(call, param: str) -> str:
    if not call[param].strip():
        raise ParameterError(f"This function requires a non-blank value for parameter: {param}")
    return call[param]


def _create_refusal(call, fields: dict) -> AtlctlError | None:
    """Jira's "Option value 'X' is not valid" names no valid value, nor its "cannot be set" the screen
    or why: the createmeta, asked only then, does. None when no value is at fault or the server has no
    such createmeta (before Jira 8.4): its own answer stands."""
    try:
        types, meta = call.client.creatable(call["project"], call["type"])
    except AtlctlError:
        return None
    if types and not meta:  # Jira says "issue type is required" of a type the project does not have
        return ParameterError(f"Invalid value '{call['type']}' for parameter --type: project {call['project']} has the "
                              f"issue types {', '.join(str(t.get('name')) for t in types)}.")
    wrong = next(filter(None, (_not_allowed(key, value, meta.get(key, {})) for key, value in fields.items())), None)
    if wrong:
        return ParameterError(wrong)
    off = [key for key in fields if key not in meta and key not in ("project", "issuetype")]
    if not off:
        return None
    hints = [SCREEN_HINTS[key] for key in off if key in SCREEN_HINTS]
    if "parent" in off:
        subtasks = [str(t.get("name")) for t in types if t.get("subtask")]
        hints[hints.index(SCREEN_HINTS["parent"])] = (
            f"Jira takes a parent only for a sub-task (on Cloud also for an issue under an epic): {call['type']} is not one; "
            + (f"the sub-task types of {call['project']}: {', '.join(subtasks)}." if subtasks else
               f"project {call['project']} has no sub-task type (its types: "
               f"{', '.join(str(t.get('name')) for t in types)}), so an administrator must add one first."))
    return ClientError(f"Cannot set {_named(call, off)} on a new {call['type']} in {call['project']}: not on its create "
                       "screen, so Jira refuses it (createmeta lists what a create may set)."
                       + "".join(" " + hint for hint in hints) + (" Otherwise leave it out, or ask an administrator "
                                                                  "to add it to the create screen."))


def _named(call, field_ids: list[str]) -> str:
    """'Name' (id), ... of fields, named by the server's field list."""
    names = {**SYSTEM_NAMES, **{f.get("id"): f.get("name") for f in call.client.fields()}}
    return ", ".join(f"'{names.get(field_id) or field_id}' ({field_id})" for field_id in field_ids)


@action("updateIssue", "Change fields of an issue.", ISSUE, Param("summary", "Summary."), *FIELDS, file_input=True)
def update_issue(call):
    fields = _fields(call, creating=False)
    comment = _comment(call)
    if not fields and comment is None:
        raise ParameterError("Nothing to update: give --summary, --description, --priority, --assignee, --labels, "
                             "--fixVersions, --components, --environment, --security, --field or --comment.")
    if fields:
        _edit(call, fields)
    result = Result(f"Issue {call['issue']} updated." if fields else f"Issue {call['issue']}:",
                    data={"key": call["issue"], "fields": fields}, variables={"issue": call["issue"]})
    return commented(call, call["issue"], comment, result, f"Issue {call['issue']} was updated" if fields else None)


def _edit(call, fields: dict) -> None:
    """Set fields of --issue, after checking with its editmeta (once per issue) that an edit may set
    each: a field off the edit screen is named before anything is sent."""
    editable = call.client.editable(call["issue"])
    refused = [field_id for field_id in fields if field_id not in editable]
    if refused:
        hints = "".join(" " + SCREEN_HINTS[key] for key in refused if key in SCREEN_HINTS)
        raise ClientError(f"Cannot set {_named(call, refused)} on {call['issue']}: not on the issue's edit screen, so Jira "
                          "refuses it (editmeta lists what an edit may set)." + hints + " Set it with a transition whose "
                          "screen has it (transitionIssue --field), or ask an administrator to add it to the edit screen.")
    if any(_not_allowed(field_id, value, editable[field_id]) for field_id, value in fields.items()):
        editable = call.client.editable(call["issue"], fresh=True)  # a run may have added the version since
        for field_id, value in fields.items():
            wrong = _not_allowed(field_id, value, editable.get(field_id, {}))
            if wrong:
                raise ParameterError(wrong)
    call.client.edit_issue(call["issue"], fields)


def _not_allowed(field_id: str, value, meta: dict) -> str | None:
    """What is wrong with an option, priority, version... the field's allowedValues lack, naming the
    valid ones (Jira's own answer names neither); None when the value is allowed."""
    allowed = meta.get("allowedValues")
    if not allowed or value is None:
        return None
    known = {str(a[key]).lower() for a in allowed for key in ("value", "name", "id") if a.get(key) is not None}
    for item in value if isinstance(value, list) else [value]:
        wanted = name_of(item, "value", "name", "id") if isinstance(item, dict) else None
        if wanted is not None and str(wanted).lower() not in known:
            valid = ", ".join(str(name_of(a, "value", "name", "id")) for a in allowed)
            return f"Invalid value '{wanted}' for field '{meta.get('name') or field_id}'. Valid values: {valid}."
    return None


@action("deleteIssue", "Delete an issue.", ISSUE,
        Param("deleteSubtasks", "Also delete its subtasks (required when it has some).", flag=True))
def delete_issue(call):
    call.client.delete_issue(call["issue"], bool(call["deleteSubtasks"]))
    return Result(f"Issue {call['issue']} deleted.", data={"key": call["issue"], "deleted": True})


def _find_transition(call, wanted: str) -> dict:
    wanted = str(wanted).strip()
    transitions = call.client.transitions(call["issue"])
    for t in transitions:
        if str(t.get("id")) == wanted or str(t.get("name", "")).lower() == wanted.lower():
            return t
    names = ", ".join(f"{t.get('name')} ({t.get('id')})" for t in transitions) or "none"
    raise ClientError(f"Transition '{wanted}' is not available for {call['issue']}. Available: {names}.")


def _transition(call, wanted: str):
    transition = _find_transition(call, wanted)
    fields = Fields()
    if call["resolution"]:
        fields.put("resolution", {"name": call["resolution"]}, f"--resolution {call['resolution']}")
    fields = named_fields(call, fields)
    try:
        call.client.transition(call["issue"], str(transition["id"]), fields or None, call["comment"])
    except RemoteError as refused:
        wrong = _resolution_refusal(call) if refused.status == 400 and call["resolution"] else None
        if wrong:
            raise ParameterError(wrong) from None
        raise
    to = name_of(transition.get("to"))
    return Result(f"Successfully transitioned issue: {call['issue']} with transition: {transition.get('name')}.",
                  data={"key": call["issue"], "transition": transition, "status": to},
                  variables={"issue": call["issue"]})


def _resolution_refusal(call) -> str | None:
    """Jira's answer to an unknown --resolution names no valid one: the resolutions, asked only then, do.
    None when --resolution is one of them (or they cannot be read): the server's answer stands."""
    try:
        known = call.client.resolutions()
    except AtlctlError:
        return None
    wanted = call["resolution"].strip().lower()
    if any(wanted in (str(r.get("name", "")).lower(), str(r.get("id"))) for r in known):
        return None
    return (f"Invalid value '{call['resolution']}' for parameter --resolution. Valid values: "
            f"{', '.join(str(r.get('name')) for r in known)}.")


TRANSITION_FIELDS = (
    Param("comment", "Comment added with the transition."),
    Param("resolution", "Resolution set by the transition (on its screen), e.g. Fixed or Done."),
    Param("field", "Field set on the transition screen: NAME=VALUE (or NAME with --values).", repeat=True,
          metavar="NAME=VALUE"), *FIELD_VALUES)


@action("transitionIssue", "Move an issue through its workflow.", ISSUE,
        Param("transition", "Transition name or id, e.g. \"Start Progress\".", required=True), *TRANSITION_FIELDS)
def transition_issue(call):
    return _transition(call, call["transition"])


@action("progressIssue", "ACLI's older name of transitionIssue: --step is the transition name or id.", ISSUE,
        Param("step", "Transition name or id, e.g. \"Start Progress\".", required=True), *TRANSITION_FIELDS)
def progress_issue(call):
    return _transition(call, call["step"])


@list_action("getTransitionList", "List the transitions an issue can take now.", ISSUE)
def get_transition_list(call):
    transitions = call.client.transitions(call["issue"])
    rows = [{"Id": t.get("id"), "Name": t.get("name"), "To Status": name_of(t.get("to"))} for t in transitions]
    return Result(data=transitions, rows=rows, columns=["Id", "Name", "To Status"], noun="transitions")


def _labels(call) -> list[str]:
    labels = list_items(call["labels"])
    if not labels:
        raise ParameterError("This function requires a non-blank value for parameter: labels")
    bad = [label for label in labels if " " in label]
    if bad:
        raise ParameterError(f"Labels cannot contain spaces: {', '.join(bad)}.")
    return labels


LABELS = Param("labels", "Comma-separated labels.", required=True)


@action("addLabels", "Add labels to an issue (the others stay).", ISSUE, LABELS)
def add_labels(call):
    labels = _labels(call)
    call.client.update_issue(call["issue"], {"labels": [{"add": label} for label in labels]})
    return Result(f"Labels {', '.join(labels)} added to issue {call['issue']}.", data={"key": call["issue"], "added": labels},
                  variables={"issue": call["issue"]})


@action("removeLabels", "Remove labels from an issue (labels it does not have are named, not an error).", ISSUE,
        LABELS)
def remove_labels(call):
    labels = _labels(call)
    present = set(call.client.issue_fields(call["issue"], ["labels"]).get("labels") or [])
    removed = [label for label in labels if label in present]
    absent = [label for label in labels if label not in present]
    if removed:
        call.client.update_issue(call["issue"], {"labels": [{"remove": label} for label in removed]})
    said = (f"Labels {', '.join(removed)} removed from issue {call['issue']}" if removed
            else f"No labels removed from issue {call['issue']}")
    if absent:
        said += f"; not on it: {', '.join(absent)}"
    return Result(said + ".", data={"key": call["issue"], "removed": removed, "notPresent": absent},
                  variables={"issue": call["issue"]})


@action("linkIssue", "Link an issue to another: --issue A --toIssue B --link blocks reads \"A blocks B\".", ISSUE,
        Param("toIssue", "The issue to link to.", required=True),
        Param("link", "Link type name or description, e.g. \"relates to\", blocks, \"is blocked by\".", required=True))
def link_issue(call):
    wanted = call["link"].strip().lower()
    types = call.client.link_types()
    found = next((t for t in types if wanted in (t["name"].lower(), t["outward"].lower(), str(t["id"]))), None)
    inverse = found is None and next((t for t in types if t["inward"].lower() == wanted), None)
    if found is None and not inverse:
        names = ", ".join(f"{t['name']} ({t['outward']} / {t['inward']})" for t in types) or "none"
        raise ClientError(f"Link type '{call['link']}' not found. Available: {names}.")
    if found:
        call.client.link(found["name"], call["issue"], call["toIssue"])
        said = found["outward"]
    else:
        call.client.link(inverse["name"], call["toIssue"], call["issue"])
        said = inverse["inward"]
    return Result(f"Issue {call['issue']} {said} {call['toIssue']}.",
                  data={"issue": call["issue"], "toIssue": call["toIssue"], "link": said},
                  variables={"issue": call["issue"]})


@list_action("getLinkList", "List the links of an issue, as seen from it.", ISSUE)
def get_link_list(call):
    links = call.client.links(call["issue"])
    rows = []
    for link in links:
        outward = link.get("outwardIssue")
        other = outward or link.get("inwardIssue") or {}
        kind = link["type"]
        rows.append({"Id": link.get("id"), "Type": kind.get("name"),
                     "Link": kind.get("outward") if outward else kind.get("inward"),
                     "From Issue": call["issue"], "To Issue": other.get("key")})
    return Result(data=links, rows=rows, columns=["Id", "Type", "Link", "From Issue", "To Issue"], noun="links")


@action("deleteLink", "Remove the links between --issue and --toIssue (only those of --link, when given).", ISSUE,
        Param("toIssue", "The other issue of the link.", required=True),
        Param("link", "Link type name or description, e.g. \"relates to\" or blocks (default: every link between them)."))
def delete_link(call):
    wanted = (call["link"] or "").strip().lower()
    other = call["toIssue"].strip().upper()
    found = []
    for link in call.client.links(call["issue"]):
        kind = link["type"]
        linked = (link.get("outwardIssue") or link.get("inwardIssue") or {}).get("key", "")
        if linked.upper() == other and (not wanted or wanted in (kind["name"].lower(), kind["outward"].lower(),
                                                                   kind["inward"].lower(), str(kind["id"]))):
            found.append(link)
    if not found:
        kind = f" '{call['link']}'" if wanted else ""
        raise ClientError(f"No{kind} link between {call['issue']} and {call['toIssue']} (see getLinkList).")
    for link in found:
        call.client.delete_link(link["id"])
    return Result(f"{len(found)} link{'s' * (len(found) != 1)} between {call['issue']} and {call['toIssue']} deleted.",
                  data=[{"id": link["id"]} for link in found], variables={"issue": call["issue"]})


@list_action("getFieldList", "List the fields of the server (system and custom) with their ids and types.")
def get_field_list(call):
    fields = call.client.fields()
    rows = [{"Id": f.get("id"), "Name": f.get("name"), "Custom": bool(f.get("custom")),
             "Type": (f.get("schema") or {}).get("type")} for f in fields]
    return Result(data=fields, rows=rows, columns=["Id", "Name", "Custom", "Type"], noun="fields")


@action("getFieldValue", "Print the value of one field of an issue (the comments as getCommentList lists them).",
        ISSUE, Param("field", "Field name (case-insensitive) or id.", required=True), DATE_FORMAT, reads=True)
def get_field_value(call):
    dates = _dates(call)
    found = field(call.client, call["field"].strip())
    if found["id"] == "comment":  # a page of objects, not a value: listed as getCommentList lists them
        return _comment_list(call.client.comments(call["issue"]), dates)
    value = call.client.issue_fields(call["issue"], [found["id"]]).get(found["id"])
    if (found.get("schema") or {}).get("type") in ("date", "datetime"):
        value = shown_date(value, dates)
    return Result(content=text_value(value), data=value, variables={"value": text_value(value)})


@action("setFieldValue", "Set one field of an issue (an empty --values clears it).", ISSUE,
        Param("field", "Field name (case-insensitive) or id.", required=True),
        Param("values", "The value: converted by the field's type (number, option name, user, date...); \"\" "
              "clears it."), DATE_FORMAT)
def set_field_value(call):
    if call["values"] is None:  # not `required`: that refuses the empty value that clears the field
        raise ParameterError("This function requires a value for parameter: values (--values \"\" clears the field).")
    field_id, value = field_value(call, call["field"].strip(), call["values"])
    _edit(call, {field_id: value})
    return Result(f"Field '{call['field']}' set on issue {call['issue']}.", data={"key": call["issue"], field_id: value},
                  variables={"issue": call["issue"]})


@action("assignIssue", "Assign an issue to a user (an empty --userId unassigns it).", ISSUE,
        Param("userId", "User name (Server/DC) or account id (Cloud); empty (--userId \"\") for nobody."))
def assign_issue(call):
    if call["userId"] is None:
        raise ParameterError("This function requires a value for parameter: userId (--userId \"\" unassigns).")
    user = call["userId"].strip()
    call.client.edit_issue(call["issue"], {"assignee": call.client.user_ref(user) if user else None})
    said = f"assigned to {user}" if user else "unassigned"
    return Result(f"Issue {call['issue']} {said}.", data={"key": call["issue"], "assignee": user or None},
                  variables={"issue": call["issue"]})


@action("getIssueList", "List the issues a JQL query (--jql, or ACLI's older --search) or a saved --filter finds "
        "(all pages unless --limit or --count).",
        Param("jql", "JQL query, e.g. 'project = DEMO AND status = \"To Do\" ORDER BY key'."),
        Param("search", "ACLI's older name for --jql."),
        Param("filter", "A saved filter's id, or its name (any case; on Server/DC one of your favourite or own "
              "filters): its JQL is run."),
        Param("limit", "Stop after this many issues.", metavar="N"),
        Param("count", "ACLI's name for --limit: the most issues to list.", metavar="N"),
        Param("outputFormat", "ACLI's list format: 1 (default) or 2 the issue columns, 999 every column, 101 a count "
              "line then one issue key per line (to a --file: the keys only, the count on the terminal).",
              choices=("1", "2", "101", "999"), metavar="N"), DATE_FORMAT,
        reads=True)
def get_issue_list(call):
    dates = _dates(call)
    limit, count = positive(call["limit"], "limit"), positive(call["count"], "count")
    if limit is not None and count is not None and limit != count:
        raise ParameterError(f"--limit {limit} and --count {count} both set the number of issues: give one.")
    detail = call["outputFormat"] == "999"
    columns = ISSUE_COLUMNS + (["Resolution", "Labels"] if detail else [])
    named = _named_columns(call, columns)
    fields = SEARCH_FIELDS + (["resolution", "labels"] if detail else []) + list(named.values())
    keys_only = call["outputFormat"] == "101"
    output = call["output"] or "text"
    if keys_only and (call["columns"] or output != "text" or dates):
        given = "--columns" if call["columns"] else "--dateFormat" if dates else f"--output {output}"
        raise ParameterError(f"--outputFormat 101 prints issue keys only: it takes no {given}.")
    issues = list(call.client.search(_query(call), limit or count, fields))
    if keys_only:
        keys = [str(i.get("key")) for i in issues]
        if call["file"]:  # as every list written to a file: the count line goes to the terminal, so --append adds keys only
            return Result(content="\n".join(keys), data=issues, rows=[{"Key": key} for key in keys], noun="issues")
        return Result(content="\n".join([f"{len(issues)} issues in list", *keys]), data=issues)
    rows = [{**_issue_row(i, dates), **_named_values(i, named)} for i in issues]
    return Result(data=issues, rows=rows, columns=columns + list(named), noun="issues")


def _named_columns(call, columns: list[str]) -> dict[str, str]:
    """The --columns beyond `columns` that name an issue field, as getIssue shows them (Fix Versions,
    Components..., any field by its name or id, custom ones too): column -> field id. A name that is
    no field is left to --columns to refuse, with the valid columns."""
    if not call["columns"] or call["output"] == "json":
        return {}
    taken, named = {c.lower() for c in columns}, {}
    for name in list_items(call["columns"]):
        if name.lower() in taken or name.isdecimal():
            continue
        if name.lower() in FIELD_COLUMNS:
            column, field_id = FIELD_COLUMNS[name.lower()]
        else:
            try:
                known = field(call.client, name)
            except ParameterError:
                continue
            column, field_id = (name if known.get("id") == name else str(known.get("name"))), str(known["id"])
        named[column] = field_id
        taken.add(column.lower())
    return named


def _named_values(issue: dict, named: dict[str, str]) -> dict:
    f = issue.get("fields") or {}
    return {column: name_of(f.get(field_id), "key") if field_id == "project" else text_value(f.get(field_id))
            for column, field_id in named.items()}


def _query(call) -> str:
    """The JQL of --jql, --search or --filter: exactly one of them."""
    given = [f"--{name} {call[name]}" for name in ("jql", "search", "filter") if call[name] is not None]
    if len(given) != 1:
        raise ParameterError(f"{call.action.name} needs one of --jql, --search (its older name) or --filter: "
                             + (f"{' and '.join(given)} both choose the issues; give one." if given else "give one."))
    if call["filter"] is None:
        return _non_blank(call, "jql" if call["jql"] is not None else "search")
    return str(call.client.saved_filter(_non_blank(call, "filter")).get("jql") or "")


@ACTIONS.source("runFromIssueList", "Run the --common action once per issue a JQL search (--jql, --search) or a "
                "saved --filter finds, the issue key as @issue@ (and @entry@).",
                Param("jql", "JQL query of the issues to run the action for."),
                Param("search", "ACLI's older name for --jql."),
                Param("filter", "A saved filter's id or name, as getIssueList's --filter: its JQL is run."),
                Param("limit", "Stop after this many issues.", metavar="N"), variable="issue",
                example='atlctl jira runFromIssueList --jql "project = DEMO AND labels = stale" --common "--action '
                        'addLabels --issue @issue@ --labels triage"')
def issue_keys(call):
    """The keys of the issues --jql, --search or --filter finds, page by page as the run goes."""
    for issue in call.client.search(_query(call), positive(call["limit"], "limit"), ["summary"]):
        yield str(issue.get("key"))


# -- versions and components -------------------------------------------------------------------

PROJECT = Param("project", "Project key.", required=True)
VERSION_COLUMNS = ("Id", "Name", "Description", "Released", "Archived", "Start Date", "Release Date")


@list_action("getVersionList", "List the versions of a project.", PROJECT, DATE_FORMAT)
def get_version_list(call):
    dates = _dates(call)
    versions = call.client.versions(call["project"])
    rows = [{"Id": v.get("id"), "Name": v.get("name"), "Description": v.get("description"),
             "Released": bool(v.get("released")), "Archived": bool(v.get("archived")),
             "Start Date": shown_date(v.get("startDate"), dates),
             "Release Date": shown_date(v.get("releaseDate"), dates)} for v in versions]
    return Result(data=versions, rows=rows, columns=list(VERSION_COLUMNS), noun="versions")


@action("addVersion", "Add a version to a project.", PROJECT,
        Param("version", "Version name, e.g. 2.1.", required=True), Param("description", "Description."),
        Param("startDate", "Start date (in --dateFormat)."), Param("date", "Release date (in --dateFormat)."),
        DATE_FORMAT, Param("released", "Mark it released.", flag=True), Param("archived", "Mark it archived.", flag=True))
def add_version(call):
    body = {"project": call["project"], "name": call["version"]}
    if call["description"]:
        body["description"] = call["description"]
    for param, key in (("startDate", "startDate"), ("date", "releaseDate")):
        if call[param]:
            body[key] = jira_date(call[param], call["dateFormat"], "date", f"--{param}")
    for flag in ("released", "archived"):
        if call[flag]:
            body[flag] = True
    version = call.client.add_version(body)
    return Result(f"Version '{version['name']}' with id {version['id']} added to project {call['project']}.",
                  data=version, variables={"versionId": str(version["id"])})


@list_action("getComponentList", "List the components of a project.", PROJECT)
def get_component_list(call):
    components = call.client.components(call["project"])
    rows = [{"Id": c.get("id"), "Name": c.get("name"), "Description": c.get("description"),
             "Lead": user_text(c.get("lead"))} for c in components]
    return Result(data=components, rows=rows, columns=["Id", "Name", "Description", "Lead"], noun="components")


@action("addComponent", "Add a component to a project.", PROJECT,
        Param("component", "Component name.", required=True), Param("description", "Description."),
        Param("lead", "Component lead: user name (Server/DC); on Cloud an email, display name or account id."))
def add_component(call):
    body = {"project": call["project"], "name": call["component"]}
    if call["description"]:
        body["description"] = call["description"]
    if call["lead"]:
        body["leadAccountId" if call.client.cloud else "leadUserName"] = call.client.user_id(call["lead"])
    component = call.client.add_component(body)
    return Result(f"Component '{component['name']}' with id {component['id']} added to project {call['project']}.",
                  data=component, variables={"componentId": str(component["id"])})


# -- watchers and work -------------------------------------------------------------------------

@action("addWatchers", "Add users as watchers of an issue.", ISSUE,
        Param("userId", "Comma-separated users: user names (Server/DC); on Cloud emails, display names or account "
              "ids.", required=True))
def add_watchers(call):
    users = list_items(call["userId"])
    if not users:
        raise ParameterError("This function requires a non-blank value for parameter: userId")
    for done, user in enumerate(users):
        try:
            call.client.add_watcher(call["issue"], call.client.user_id(user))
        except AtlctlError as failed:  # say how far it got: the watchers before it were added
            if done:
                rest = f"; not tried: {', '.join(users[done + 1:])}" if users[done + 1:] else ""
                failed.args = (f"{failed} (watchers added before it: {', '.join(users[:done])}{rest})", *failed.args[1:])
            raise
    return Result(f"Watchers {', '.join(users)} added to issue {call['issue']}.",
                  data={"key": call["issue"], "watchers": users}, variables={"issue": call["issue"]})


@action("addWork", "Log work on an issue.", ISSUE,
        Param("timeSpent", "Time spent, as Jira writes it: 3h 30m, 1d, 45m.", required=True),
        Param("comment", "Work description."),
        Param("started", "When the work started (in --dateFormat; default now)."),
        Param("date", "ACLI's other name for --started."), DATE_FORMAT)
def add_work(call):
    if call["started"] and call["date"] and call["started"] != call["date"]:
        raise ParameterError(f"--started {call['started']} and --date {call['date']} both set when the work started: "
                             "give one.")
    body = {"timeSpent": call["timeSpent"]}
    if call["comment"]:
        body["comment"] = call["comment"]
    started = call["started"] or call["date"]
    if started:
        body["started"] = jira_date(started, call["dateFormat"], "datetime", "--started")
    worklog = call.client.add_worklog(call["issue"], body)
    return Result(f"Work {call['timeSpent']} logged on issue {call['issue']} with id {worklog['id']}.",
                  data=worklog, variables={"issue": call["issue"], "worklogId": str(worklog["id"])})


# -- groups and users --------------------------------------------------------------------------

@list_action("getGroupList", "List groups: every group, those whose name contains --group, or those --userId is in.",
        Param("group", "Only groups whose name contains this text."),
        Param("userId", "Only the groups of this user."))
def get_group_list(call):
    member = call.client.user_id(call["userId"]) if call["userId"] else None
    groups = call.client.groups(call["group"] or "", member, positive(call["count"], "count"))
    rows = [{"Group": g.get("name"), **({"Id": g.get("groupId")} if call.client.cloud else {})} for g in groups]
    return Result(data=groups, rows=rows, columns=["Group", "Id"] if call.client.cloud else ["Group"], noun="groups")


@list_action("getUserList", "List users: the members of --group, or the users whose name, email or display name starts "
        "with --name (on Server/DC '.' lists everyone).",
        Param("group", "List this group's members."), Param("name", "Search text."))
def get_user_list(call):
    if bool(call["group"]) == bool(call["name"]):
        raise ParameterError("getUserList needs one of --group (its members) or --name (a search): give one.")
    count = positive(call["count"], "count")
    users = call.client.group_members(call["group"], count) if call["group"] else call.client.find_users(call["name"], count)
    rows = [{"User": u.get("name") or u.get("accountId"), "Name": u.get("displayName"), "Email": u.get("emailAddress"),
             "Active": u.get("active")} for u in users]
    return Result(data=users, rows=rows, columns=["User", "Name", "Email", "Active"], noun="users")


# -- comments and attachments ------------------------------------------------------------------

def _text_input(call, name: str) -> str | None:
    """The --NAME text, or the content of --file; both given is a parameter problem."""
    if call[name] is not None and call["file"]:
        raise ParameterError(f"--{name} and --file {call['file']} both give the {name}: give one.")
    return read_text(call["file"], call.context.env.stdin) if call["file"] else call[name]  # '-': stdin, read once


def _body_text(call, name: str) -> str:
    """--comment text, or the content of --file: required."""
    text = _text_input(call, name)
    if not text:
        raise ParameterError(f"This function requires a non-blank value for parameter: {name}")
    return text


@action("addComment", "Add a comment to an issue (text from --comment or --file).", ISSUE,
        Param("comment", "Comment text."), file_input=True)
def add_comment(call):
    text = _body_text(call, "comment")
    comment = call.client.add_comment(call["issue"], text)
    return Result(f"Comment with id {comment.get('id')} added to {call['issue']}.", data=comment,
                  variables={"commentId": str(comment.get("id"))})


@list_action("getCommentList", "List the comments of an issue.", ISSUE, DATE_FORMAT)
def get_comment_list(call):
    dates = _dates(call)
    return _comment_list(call.client.comments(call["issue"], positive(call["count"], "count")), dates)


def _comment_list(comments: list[dict], dates: str | None) -> Result:
    rows = [{"Id": c.get("id"), "Author": user_text(c.get("author")), "Created": shown_date(c.get("created"), dates),
             "Body": c.get("body")} for c in comments]
    return Result(data=comments, rows=rows, columns=["Id", "Author", "Created", "Body"], noun="comments")


@action("addAttachment", "Attach the --file to an issue (--file - with --name: standard input).", ISSUE,
        Param("name", "Attachment name (default: the file's name)."), file_input=True)
def add_attachment(call):
    with upload_input(call["file"], call["name"], call.context.env.stdin) as (name, body):
        attached = call.client.add_attachment(call["issue"], name, body)
    first = attached[0] if attached else {}
    return Result(f"Attachment '{first.get('filename')}' added to {call['issue']} with id {first.get('id')}.",
                  data=attached, variables={"attachmentId": str(first.get("id"))})

ATTACHMENT_COLUMNS = ["Id", "Name", "Size", "Type", "Author", "Created", "URL"]


@list_action("getAttachmentList", "List the attachments of an issue.", ISSUE, DATE_FORMAT)
def get_attachment_list(call):
    dates = _dates(call)
    attachments = call.client.attachments(call["issue"])
    rows = [{"Id": a.get("id"), "Name": a.get("filename"), "Size": a.get("size"), "Type": a.get("mimeType"),
             "Author": user_text(a.get("author")), "Created": shown_date(a.get("created"), dates),
             "URL": a.get("content")}
            for a in attachments]
    return Result(data=attachments, rows=rows, columns=ATTACHMENT_COLUMNS, noun="attachments")


@action("getAttachment", "Download an attachment of an issue (to --file, or stdout).", ISSUE,
        Param("name", "Attachment name."), Param("id", "Attachment id (instead of --name)."), reads=True,
        example="atlctl jira getAttachment --issue DEMO-1 --name build.log --file build.log")
def get_attachment(call):
    if not (call["name"] or call["id"]):
        raise ParameterError("This function requires a non-blank value for parameter: name (or id)")
    if call["name"] and call["id"]:
        raise ParameterError(f"--name {call['name']} and --id {call['id']} both name the attachment: give one.")
    attachments = call.client.attachments(call["issue"])
    match = next((a for a in attachments if str(a.get("id")) == str(call["id"]) or a.get("filename") == call["name"]), None)
    if match is None:
        raise ClientError(f"No attachment {call['name'] or call['id']} on {call['issue']}.")
    return Result(data=match, content=call.client.download(match["content"]))


# -- web pages, sessions and personal access tokens: as on every Atlassian Server/DC product -------

declare_session_actions(ACTIONS, page="/secure/ViewProfile.jspa")
declare_token_actions(ACTIONS, since="8.14")
