"""Jira DC cookie sessions: /rest/auth/1/session (§1.2) and dropping a websudo grant."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.render import jira_time
from atlctl.sandbox.jira.resources import read_json
from atlctl.sandbox.realm import User
from atlctl.sandbox.responses import empty_response, json_response


def _login_info(user: User) -> dict[str, Any]:
    info: dict[str, Any] = {"failedLoginCount": user.failed_count, "loginCount": user.login_count}
    if user.last_failed is not None:
        info["lastFailedLoginTime"] = jira_time(user.last_failed)
    if user.previous_login is not None:
        info["previousLoginTime"] = jira_time(user.previous_login)
    return info


async def current(call: JiraCall) -> Response:
    user = call.user
    return json_response(
        {
            "self": f"{call.base}/rest/api/latest/user?username={quote(user.name)}",
            "name": user.name,
            "loginInfo": _login_info(user),
        }
    )


async def login(call: JiraCall) -> Response:
    body = await read_json(call)
    if not isinstance(body, dict) or not isinstance(body.get("username"), str) or not isinstance(body.get("password"), str):
        return errors.login_failed()
    realm = call.product.realm
    user = realm.find_user(body["username"])
    outcome = await realm.login(user, body["password"], call.product.stats)
    if outcome is None:
        call.reasons.append("AUTHENTICATION_DENIED")
        return errors.captcha_login(call)
    if not outcome:
        call.reasons.append("AUTHENTICATED_FAILED")
        return errors.login_failed()
    if call.session is not None and call.session.user_key:
        call.reasons.append("OUT")  # the previous login of this cookie ends here (§0.1)
    session = call.start_session(user)
    call.product.stats.logins += 1
    call.user = user
    call.reasons.append("OK")
    return json_response({"session": {"name": "JSESSIONID", "value": session.id}, "loginInfo": _login_info(user)})


async def logout(call: JiraCall) -> Response:
    """204. The session and its websudo grant are gone; the client's JSESSIONID is now stale, so
    its next REST call gets a 401 (§1.2) until it logs in again."""
    if call.session is not None:
        call.product.realm.drop_session(call.session.id)
        prefix = call.product.prefix
        call.cookies.append(f"atlassian.xsrf.token={call.session.xsrf}|lout; Path={prefix}")
    call.reasons.append("OUT")
    return empty_response(204)


async def drop_websudo(call: JiraCall) -> Response:
    if call.session is not None:
        call.session.websudo_until = 0.0
    return empty_response(204)
