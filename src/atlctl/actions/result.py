"""What an action hands back; `cli.render` prints it as text, csv or json."""

from __future__ import annotations

from typing import Any


class Result:
    def __init__(self, message: str | None = None, data: Any = None, record: list[tuple[str, Any]] | None = None,
                 rows: list[dict] | None = None, columns: list[str] | None = None, noun: str = "entries",
                 content: str | bytes | None = None, secret: str | None = None,
                 variables: dict[str, str] | None = None):
        self.message = message  # the ACLI-style line, e.g. "Issue DEMO-4 created with id 10004."
        self.data = data  # the server's JSON, for --output json
        self.record = record  # a get action's labelled fields
        self.rows = rows  # a list action's rows
        self.columns = columns  # default columns of `rows`, in order
        self.noun = noun  # "3 issues in list"
        self.content = content  # a page or file body (renderRequest, getAttachment)
        self.secret = secret  # the point of the action is this secret (login, addAccessToken)
        self.variables = variables or {}  # @issue@, @issueId@ ... for run scripts
