"""Jira DC personal access tokens, /rest/pat/latest/tokens (§1.5). Routed from 8.14 on only."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.deployment import PAT
from atlctl.sandbox.jira.model import numeric_id
from atlctl.sandbox.jira.render import jira_time
from atlctl.sandbox.jira.resources import read_object
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.realm import AccessToken
from atlctl.sandbox.responses import empty_response, json_response

MAX_TOKENS = 10  # Jira's default maximum number of tokens per user
MAX_DAYS = 3650  # the sandbox's cap on expirationDuration: expiry dates stay real dates


def _token(token: AccessToken) -> dict[str, Any]:
    out: dict[str, Any] = {"id": token.id, "name": token.name, "createdAt": jira_time(token.created)}
    if token.expires is not None:
        out["expiringAt"] = jira_time(token.expires)
    if token.last_used is not None:
        out["lastAccessedAt"] = jira_time(token.last_used)
    return out


def _mine(call: JiraCall) -> list[AccessToken]:
    tokens = call.product.realm.tokens.values()
    return sorted((t for t in tokens if t.type == PAT and t.user_key == call.user.key), key=lambda t: t.id)


async def create(call: JiraCall) -> Response:
    body = await read_object(call)
    name, days = body.get("name"), body.get("expirationDuration")
    if not isinstance(name, str) or not name.strip():
        raise Refusal(errors.collection(400, errors={"name": "Token name is required."}))
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS):
        message = f"Expiry must be a whole number of days from 1 to {MAX_DAYS}."
        raise Refusal(errors.collection(400, errors={"expirationDuration": message}))
    if len(_mine(call)) >= MAX_TOKENS:
        raise Refusal(errors.collection(400, [f"You have reached the maximum number of tokens ({MAX_TOKENS})."]))
    # Jira PATs are base64 of "<12-digit id>:<random bytes>", 44 characters long.
    raw = base64.b64encode(f"{secrets.randbelow(10**12):012d}:".encode() + secrets.token_bytes(20)).decode()
    token = call.product.realm.add_token(call.user, raw, name=name.strip(), type=PAT, expires_in=days * 86400 if days else None)
    return json_response({**_token(token), "rawToken": raw}, 201)


async def list_tokens(call: JiraCall) -> Response:
    return json_response([_token(t) for t in _mine(call)])


async def revoke(call: JiraCall) -> Response:
    ref = call.params["id"]
    token = call.product.realm.tokens.get(numeric_id(ref))
    if token is None or token.type != PAT or token.user_key != call.user.key:
        raise Refusal(errors.collection(404, [f"Token with id {ref} does not exist."]))
    call.product.realm.revoke_token(token)
    return empty_response(204)
