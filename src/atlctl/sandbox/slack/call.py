"""One Web API request: its merged arguments, the token that authenticated it, Slack's answers."""

from __future__ import annotations

import json

from starlette.responses import Response

from atlctl.sandbox.product import Call
from atlctl.sandbox.realm import AccessToken
from atlctl.sandbox.responses import dump

JSON = "application/json; charset=utf-8"
BOT_TYPE, USER_TYPE = "bot", "user"


def slack_error(error: str, status: int = 200, **fields) -> Response:
    return Response(dump({"ok": False, "error": error, **fields}), status, media_type=JSON)


class SlackCall(Call):
    __slots__ = ("args", "token", "method")

    def __init__(self, product, request, endpoint, params):
        super().__init__(product, request, endpoint, params)
        self.args: dict[str, object] = {}
        self.token: AccessToken | None = None
        self.method = params.get("method", "")

    def arg(self, name: str, default: str | None = None) -> str | None:
        value = self.args.get(name, default)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (list, dict)) else str(value)

    @property
    def is_bot(self) -> bool:
        return self.token is not None and self.token.type == BOT_TYPE

    def ok(self, **data) -> Response:
        return Response(dump({"ok": True, **data}), 200, media_type=JSON)

    def error(self, error: str, **fields) -> Response:
        return slack_error(error, **fields)


