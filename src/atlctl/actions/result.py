"""What an action hands back; `cli.render` prints it as text, csv or json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    message: str | None = None  # the ACLI-style line, e.g. "Issue DEMO-4 created with id 10004."
    data: Any = None  # the server's JSON, for --output json
    record: list[tuple[str, Any]] | None = None  # a get action's labelled fields
    rows: list[dict] | None = None  # a list action's rows
    columns: list[str] | None = None  # default columns of `rows`, in order
    noun: str = "entries"  # "3 issues in list"
    content: str | bytes | None = None  # a page or file body (renderRequest, getAttachment)
    secret: str | None = None  # the point of the action is this secret (login, addAccessToken)
    variables: dict[str, str] = field(default_factory=dict)  # @issue@, @issueId@ ... for run scripts
