"""Confluence actions, declared once; names and parameters follow ACLI's Confluence CLI
(products.md §6.1)."""

from __future__ import annotations

import re

from atlctl.errors import ClientError, ParameterError, RemoteError, clause
from atlctl.files import read_text, upload_input
from atlctl.products.atlassian import declare_session_actions, declare_token_actions
from atlctl.products.base import VERIFIES, ActionSet, Param, Result
from atlctl.products.confluence.recovery import AddedPage, AddedSpace
from atlctl.values import is_number, positive, words

ANCESTOR_AS_CHILD = "Cannot add an existing ancestor as a child"  # Confluence's 400 for such a move

ACTIONS = ActionSet("confluence")
action = ACTIONS.action
SPACE = Param("space", "Space key, e.g. DEMO.")
TITLE = Param("title", "Page title.")
ID = Param("id", "Page (content) id, instead of --space and --title.")
PAGE = (SPACE, TITLE, ID)
CONTENT = (
    Param("content", "Page content in storage format (XHTML), or Markdown with --markdown."),
    Param("markdown", "The content (or --file) is Markdown: convert it to storage format.", flag=True),
)
LIMIT = Param("limit", "Stop after this many entries.", metavar="N")
PAGE_COLUMNS = ["Id", "Title", "Space", "Version", "Last modified", "URL"]


def _limit(call) -> int | None:
    return positive(call["limit"], "limit")


def _body(call, required: bool = True) -> str | None:
    """--content, or the text of --file; converted from Markdown with --markdown."""
    text = call["content"] if call["content"] is not None else (
        read_text(call["file"], call.context.env.stdin) if call["file"] else None)  # '-': stdin
    if text is None:
        if required:
            raise ParameterError("This function requires a non-blank value for parameter: content (or file)")
        return None
    if call["markdown"]:
        from atlctl.products.confluence.markdown import to_storage

        return to_storage(text)
    return text


def _version(content: dict):
    return (content.get("version") or {}).get("number")


def _page_row(client, page: dict) -> dict:
    space = (page.get("space") or {}).get("key") or (page.get("_expandable") or {}).get("space", "").rsplit("/", 1)[-1]
    return {"Id": page.get("id"), "Title": page.get("title"), "Space": space or None, "Version": _version(page),
            "Last modified": (page.get("version") or {}).get("when"), "URL": client.web_url(page)}


def _parent(call, space: str | None) -> dict | None:
    """--parent: a page id (as {"id": ...}), or the title of a page in the same space (that page, with
    its ancestors)."""
    parent = call["parent"]
    if not parent:
        return None
    if is_number(parent):
        return {"id": str(parent)}
    if not space:
        raise ParameterError("--parent by title needs --space (or give the parent's id).")
    found = call.client.find_page(space, parent, expand="version,ancestors")
    if found is None:
        raise ClientError(f"Parent page '{parent}' not found in space {space}.")
    return found


def _parent_id(call, space: str | None) -> str | None:
    parent = _parent(call, space)
    return parent["id"] if parent else None


# -- server and users --------------------------------------------------------------------------

@action("getServerInfo", "Show the server's product, version and deployment. With credentials it also checks them "
        "(through the current user); without them, or with -u anonymous, it asks anonymously.", needs=(VERIFIES,),
        example="atlctl confluence getServerInfo --server https://wiki.example.com/confluence", reads=True)
def get_server_info(call):
    client = call.client
    manifest = client.manifest()
    me = client.verify()
    cloud = client.cloud
    version = manifest.get("version")
    record = [("Product", "Confluence"), ("Version", None if cloud else version), ("Build", manifest.get("buildNumber")),
              ("Deployment", "Cloud" if cloud else "Server/Data Center"), ("Base URL", client.conn.server)]
    if me:
        record.append(("User", me.get("username") or me.get("email") or me.get("accountId")))
    if cloud:
        message = f"Confluence Cloud, url: {client.conn.server}"
    else:
        message = f"Confluence version: {version}, build: {manifest.get('buildNumber')}, url: {client.conn.server}"
    return Result(message, data={"manifest": manifest, "user": me}, record=record)


@action("getCurrentUser", "Show the user the credentials belong to.", reads=True)
def get_current_user(call):
    me = call.client.current_user()
    user_id = me.get("username") or me.get("email") or me.get("accountId")
    record = [("User", user_id), ("Key", me.get("userKey") or me.get("accountId")), ("Full name", me.get("displayName")),
              ("Type", me.get("type"))]
    return Result(data=me, record=record, variables={"userId": str(user_id)})


@action("addUser", "Create a user (Server/DC administrators; a secure administrator session, websudo).",
        Param("userId", "User name of the new user.", required=True),
        Param("userEmail", "Email address.", required=True),
        Param("userFullName", "Display name.", required=True),
        Param("userPassword", "Initial password.", secret=True))
def add_user(call):
    if call.client.cloud:
        raise ClientError("addUser is not available on Confluence Cloud: invite users from admin.atlassian.com.")
    call.context.console.redactor.add(call["userPassword"])
    user = call.client.add_user(call["userId"], call["userFullName"], call["userEmail"], call["userPassword"])
    return Result(f"User '{call['userId']}' added with email: {call['userEmail']} and full name: {call['userFullName']}.",
                  data=user, variables={"userId": call["userId"]})


# -- spaces ------------------------------------------------------------------------------------

def _space_row(space: dict) -> dict:
    description = ((space.get("description") or {}).get("plain") or {}).get("value")
    return {"Key": space.get("key"), "Id": space.get("id"), "Name": space.get("name"), "Type": space.get("type"),
            "Description": description}


@action("getSpaceList", "List the spaces the user can see.",
        Param("regex", "Only spaces whose key or name matches this regular expression."), LIMIT, reads=True)
def get_space_list(call):
    pattern = _regex(call["regex"])
    spaces = [s for s in call.client.spaces(_limit(call))
              if pattern is None or pattern.search(str(s.get("key"))) or pattern.search(str(s.get("name")))]
    return Result(data=spaces, rows=[_space_row(s) for s in spaces], columns=["Key", "Id", "Name", "Type", "Description"],
                  noun="spaces")


def _regex(text):
    if not text:
        return None
    try:
        return re.compile(text)
    except re.error as exc:
        raise ParameterError(f"Invalid --regex '{text}': {clause(exc)}.") from None


@action("getSpace", "Show a space.", Param("space", "Space key.", required=True), reads=True)
def get_space(call):
    space = call.client.space(call["space"])
    row = _space_row(space)
    home = space.get("homepage") or {}
    record = [(k, row[k]) for k in ("Key", "Id", "Name", "Type", "Description")] + [("Home page", home.get("title")),
                                                                                  ("Home page id", home.get("id"))]
    return Result(data=space, record=record, variables={"space": space.get("key")})


@action("addSpace", "Create a space.", Param("space", "Space key (letters and digits).", required=True),
        Param("name", "Space name (default: the key)."), Param("title", "Space name (ACLI's older name for --name)."),
        Param("description", "Description."), finder=AddedSpace,
        example="atlctl confluence addSpace --space TEAM --name \"Team space\"")
def add_space(call):
    name = call["name"] or call["title"] or call["space"]
    space = call.client.add_space(call["space"], name, call["description"])
    return Result(f"Space {space['key']} added with name: {space['name']}.", data=space, variables={"space": space["key"]})


@action("removeSpace", "Delete a space and everything in it (space administrators).",
        Param("space", "Space key.", required=True))
def remove_space(call):
    call.client.remove_space(call["space"])
    return Result(f"Space {call['space']} removed.", data={"key": call["space"], "removed": True})


# -- pages -------------------------------------------------------------------------------------

def _page_result(client, page: dict) -> Result:
    row = _page_row(client, page)
    ancestors = page.get("ancestors") or []
    record = [("Id", row["Id"]), ("Title", row["Title"]), ("Space", row["Space"]), ("Version", row["Version"]),
              ("Parent", ancestors[-1].get("title") if ancestors else None),
              ("Parent id", ancestors[-1].get("id") if ancestors else None),
              ("Last modified", row["Last modified"]), ("URL", row["URL"])]
    return Result(data=page, record=record, variables={"pageId": str(page.get("id")), "title": str(page.get("title"))})


@action("getPage", "Show a page, by --space and --title or by --id.", *PAGE, reads=True)
def get_page(call):
    return _page_result(call.client, call.client.page(call["space"], call["title"], call["id"]))


@action("getPageSource", "Print a page's content in storage format (to --file, or stdout).", *PAGE, reads=True)
def get_page_source(call):
    page = call.client.page(call["space"], call["title"], call["id"], expand="body.storage,version")
    source = ((page.get("body") or {}).get("storage") or {}).get("value")
    if not isinstance(source, str):
        raise ClientError(f"Confluence answered page {page.get('id')} without its storage format.")
    return Result(data=page, content=source)


@action("addPage", "Create a page (content from --content or --file; --markdown converts Markdown).",
        Param("space", "Space key.", required=True), Param("title", "Page title.", required=True),
        Param("parent", "Parent page: its id or title (default: the space's home page)."), *CONTENT,
        file_input=True, finder=AddedPage,
        example="atlctl confluence addPage --space DEMO --title \"Release notes\" --file notes.md --markdown")
def add_page(call):
    client = call.client
    page = client.add_page(call["space"], call["title"], _body(call), _parent_id(call, call["space"]))
    return Result(f"Page '{page['title']}' added with id: {page['id']}. URL: {client.web_url(page)}", data=page,
                  variables={"pageId": page["id"], "title": page["title"]})


def _move_check(page: dict, parent: dict) -> None:
    """Refuse a move under the page itself or a page below it, where what is known shows it: the
    --parent page's ancestors are known when it was found by title (a parent id costs no request)."""
    if str(parent["id"]) == str(page["id"]):
        raise ParameterError(f"Page '{page['title']}' cannot be its own parent: give another --parent.")
    if any(str(a.get("id")) == str(page["id"]) for a in parent.get("ancestors") or [] if isinstance(a, dict)):
        raise ParameterError(f"Page '{parent['title']}' is below page '{page['title']}', which cannot move under a page "
                             "below it: give another --parent (or move that page elsewhere first).")


def _modify(call, page: dict, new_title: str | None, body: str | None) -> Result:
    client = call.client
    space = (page.get("space") or {}).get("key") or call["space"]
    parent = _parent(call, space)
    if parent is not None:
        _move_check(page, parent)
    try:
        updated = client.update_page(page, new_title or page["title"], body, parent and parent["id"], call["comment"],
                                     bool(call["minor"]))
    except RemoteError as error:
        if parent is None or error.status != 400 or ANCESTOR_AS_CHILD not in str(error):
            raise
        raise RemoteError(f"Confluence refused to move page '{page['title']}' under page {parent['id']}: that page is "
                          f"below '{page['title']}', and a page cannot move under a page below it. Give another --parent "
                          f"(or move page {parent['id']} elsewhere first).", 400) from None
    return Result(f"Page '{updated['title']}' updated to version {_version(updated)} (id: {updated['id']}).", data=updated,
                  variables={"pageId": updated["id"], "title": updated["title"]})


UPDATE = (Param("parent", "Move under this parent page (id or title)."),
          Param("comment", "Version comment."), Param("minor", "A minor edit (no notifications).", flag=True))


@action("modifyPage", "Change a page: its content, title (--newTitle) or parent; the version is incremented.",
        *PAGE, Param("newTitle", "New title."), *CONTENT, *UPDATE, file_input=True,
        example='atlctl confluence modifyPage --space DEMO --title "Release notes" --file notes.md --markdown')
def modify_page(call):
    body = _body(call, required=False)
    if body is None and not call["newTitle"] and not call["parent"]:
        raise ParameterError("Nothing to change: give --content, --file, --newTitle or --parent.")
    page = call.client.page(call["space"], call["title"], call["id"])
    return _modify(call, page, call["newTitle"], body)


@action("storePage", "Create the page, or update it if it exists (content from --content or --file).",
        Param("space", "Space key.", required=True), Param("title", "Page title.", required=True), *CONTENT, *UPDATE,
        file_input=True)
def store_page(call):
    client = call.client
    body = _body(call)
    page = client.find_page(call["space"], call["title"])
    if page is None:
        created = client.add_page(call["space"], call["title"], body, _parent_id(call, call["space"]))
        return Result(f"Page '{created['title']}' added with id: {created['id']}. URL: {client.web_url(created)}",
                      data=created, variables={"pageId": created["id"], "title": created["title"]})
    return _modify(call, page, None, body)


@action("removePage", "Delete a page (it goes to the space's trash).", *PAGE,
        example='atlctl confluence removePage --space DEMO --title "Old notes"')
def remove_page(call):
    client = call.client
    page = client.page(call["space"], call["title"], call["id"], expand="version")
    client.remove_content(page["id"])
    return Result(f"Page '{page['title']}' removed (id: {page['id']}).", data={"id": page["id"], "removed": True})


def _page_list(call, pages) -> Result:
    client = call.client
    pages = list(pages)
    return Result(data=pages, rows=[_page_row(client, p) for p in pages], columns=PAGE_COLUMNS, noun="pages")


@action("getPageList", "List pages: of a --space, the children of a --parent (with --descendants, all below it), or "
        "those a --cql query finds.", Param("space", "Space key."),
        Param("parent", "Parent page id or title (with --space)."),
        Param("descendants", "With --parent: every page below it, not only its children.", flag=True),
        Param("cql", "CQL query, e.g. 'space = DEMO and title ~ \"start\"'."), LIMIT, reads=True)
def get_page_list(call):
    client, limit = call.client, _limit(call)
    if call["cql"]:
        query = call["cql"] if re.search(r"\btype\s*(=|in)", call["cql"], re.I) else f"type = page and ({call['cql']})"
        return _page_list(call, client.search(query, limit))
    if call["parent"]:
        parent = _parent_id(call, call["space"])
        if call["descendants"]:
            return _page_list(call, client.search(f"ancestor = {parent} and type = page", limit))
        return _page_list(call, client.children(parent, "page", "version,space", limit))
    if not call["space"]:
        raise ParameterError("Give --space, --parent or --cql to say which pages to list.")
    return _page_list(call, client.space_pages(call["space"], limit))


@action("getContentList", "List the content (pages, blog posts, comments, attachments) a CQL query finds.",
        Param("cql", "CQL query, e.g. 'label = release and space = DEMO'.", required=True), LIMIT, reads=True)
def get_content_list(call):
    client = call.client
    found = list(client.search(call["cql"], _limit(call)))
    rows = [{**_page_row(client, c), "Type": c.get("type")} for c in found]
    return Result(data=found, rows=rows, columns=["Id", "Type", "Title", "Space", "Version", "URL"], noun="entries")


# -- comments ----------------------------------------------------------------------------------

@action("addComment", "Add a comment to a page (text in storage format from --comment, --content or --file).",
        *PAGE, Param("comment", "Comment text."), *CONTENT, file_input=True,
        example='atlctl confluence addComment --id 65601 --comment "Reviewed"')
def add_comment(call):
    text = call["comment"] if call["comment"] else _body(call)
    page = call.client.page(call["space"], call["title"], call["id"], expand="version")
    comment = call.client.add_comment(page["id"], text)
    return Result(f"Comment added to page '{page['title']}' with id: {comment['id']}.", data=comment,
                  variables={"commentId": comment["id"]})


@action("getCommentList", "List the comments of a page.", *PAGE, LIMIT, reads=True)
def get_comment_list(call):
    client = call.client
    page = client.page(call["space"], call["title"], call["id"], expand="version")
    comments = list(client.children(page["id"], "comment", "body.storage,version", _limit(call)))
    rows = [{"Id": c.get("id"), "Author": ((c.get("version") or {}).get("by") or {}).get("displayName"),
             "Created": (c.get("version") or {}).get("when"),
             "Comment": ((c.get("body") or {}).get("storage") or {}).get("value")} for c in comments]
    return Result(data=comments, rows=rows, columns=["Id", "Author", "Created", "Comment"], noun="comments")


# -- attachments -------------------------------------------------------------------------------

@action("addAttachment", "Attach --file to a page (a file of the same name gets a new version; --file - with "
        "--name: standard input).", *PAGE,
        Param("name", "Attachment name (default: the file's name)."), Param("comment", "Attachment comment."),
        file_input=True, example='atlctl confluence addAttachment --space DEMO --title "Release notes" --file build.log')
def add_attachment(call):
    client = call.client
    with upload_input(call["file"], call["name"], call.context.env.stdin) as (name, body):
        page = client.page(call["space"], call["title"], call["id"], expand="version")
        attachment = client.add_attachment(page["id"], name, body, call["comment"])
    return Result(f"Attachment '{attachment.get('title')}' added to page '{page['title']}' with id: {attachment.get('id')} "
                  f"(version {_version(attachment)}).", data=attachment, variables={"attachmentId": str(attachment.get("id"))})


def _attachments(call, page: dict) -> list[dict]:
    return list(call.client.children(page["id"], "attachment", "version"))


@action("getAttachmentList", "List the attachments of a page.", *PAGE,
        Param("regex", "Only attachments whose name matches this regular expression."), reads=True)
def get_attachment_list(call):
    client = call.client
    page = client.page(call["space"], call["title"], call["id"], expand="version")
    pattern = _regex(call["regex"])
    found = [a for a in _attachments(call, page) if pattern is None or pattern.search(str(a.get("title")))]
    rows = [{"Id": a.get("id"), "Name": a.get("title"), "Size": (a.get("extensions") or {}).get("fileSize"),
             "Type": (a.get("extensions") or {}).get("mediaType"), "Version": _version(a),
             "URL": client.conn.server + a["_links"]["download"] if (a.get("_links") or {}).get("download") else None}
            for a in found]
    return Result(data=found, rows=rows, columns=["Id", "Name", "Size", "Type", "Version", "URL"], noun="attachments")


@action("getAttachment", "Download an attachment of a page (to --file, or stdout).", *PAGE,
        Param("name", "Attachment name."), Param("attachmentId", "Attachment id (instead of --name)."), reads=True,
        example='atlctl confluence getAttachment --space DEMO --title "Release notes" --name build.log --file build.log')
def get_attachment(call):
    if not (call["name"] or call["attachmentId"]):
        raise ParameterError("This function requires a non-blank value for parameter: name (or attachmentId)")
    page = call.client.page(call["space"], call["title"], call["id"], expand="version")
    match = next((a for a in _attachments(call, page)
                  if a.get("title") == call["name"] or str(a.get("id")) == str(call["attachmentId"])), None)
    if match is None:
        raise ClientError(f"No attachment {call['name'] or call['attachmentId']} on page '{page['title']}'.")
    return Result(data=match, content=call.client.download(match))


# -- labels ------------------------------------------------------------------------------------

def _label_names(call) -> list[str]:
    names = words(call["labels"])
    if not names:
        raise ParameterError("This function requires a non-blank value for parameter: labels")
    return names


LABELS = Param("labels", "Labels, separated by commas or spaces.", required=True)


@action("addLabels", "Add labels to a page.", *PAGE, LABELS)
def add_labels(call):
    page = call.client.page(call["space"], call["title"], call["id"], expand="version")
    names = _label_names(call)
    labels = call.client.add_labels(page["id"], names)
    return Result(f"Labels {', '.join(names)} added to page '{page['title']}'.", data=labels)


@action("removeLabels", "Remove labels from a page.", *PAGE, LABELS)
def remove_labels(call):
    page = call.client.page(call["space"], call["title"], call["id"], expand="version")
    names = _label_names(call)
    for name in names:
        call.client.remove_label(page["id"], name)
    return Result(f"Labels {', '.join(names)} removed from page '{page['title']}'.", data={"id": page["id"], "removed": names})


@action("getLabelList", "List the labels of a page.", *PAGE, reads=True)
def get_label_list(call):
    page = call.client.page(call["space"], call["title"], call["id"], expand="version")
    labels = call.client.labels(page["id"])
    rows = [{"Name": label.get("name"), "Prefix": label.get("prefix"), "Id": label.get("id")} for label in labels]
    return Result(data=labels, rows=rows, columns=["Name", "Prefix", "Id"], noun="labels")


# -- web pages, sessions and personal access tokens: as on every Atlassian Server/DC product -------

declare_session_actions(ACTIONS, page="/users/viewmyprofile.action")
declare_token_actions(ACTIONS, since="7.9")
