"""Jira DC cookie sessions: /rest/auth/1/session (§1.2) and dropping a websudo grant."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.gate import Call
from atlctl.sandbox.jira.resources import read_json
from atlctl.sandbox.responses import empty_response, json_response


async def current(call: Call) -> Response:
    user = call.user
    return json_response(
        {
            "self": f"{call.base}/rest/api/latest/user?username={quote(user.name)}",
            "name": user.name,
            "loginInfo": call.product.realm.login_info(user),
        }
    )


async def login(call: Call) -> Response:
    body = await read_json(call)
    if not isinstance(body, dict) or not isinstance(body.get("username"), str) or not isinstance(body.get("password"), str):
        return errors.login_failed()
    realm = call.product.realm
    user = realm.find_user(body["username"])
    outcome = await realm.login(user, body["password"])
    if outcome is None:
        call.reasons.append("AUTHENTICATION_DENIED")
        return errors.captcha_login(call)
    if not outcome:
        call.reasons.append("AUTHENTICATED_FAILED")
        return errors.login_failed()
    if call.session is not None and call.session.user_key:
        call.reasons.append("OUT")  # the previous login of this cookie ends here (§0.1)
    session = call.start_session(user)
    realm.stats.logins += 1
    call.user = user
    call.reasons.append("OK")
    return json_response({"session": {"name": "JSESSIONID", "value": session.id}, "loginInfo": realm.login_info(user)})


async def logout(call: Call) -> Response:
    """204. The session and its websudo grant are gone; the client's JSESSIONID is now stale, so
    its next REST call gets a 401 (§1.2) until it logs in again."""
    if call.session is not None:
        call.product.realm.drop_session(call.session.id)
        prefix = call.product.deployment.prefix
        call.cookies.append(f"atlassian.xsrf.token={call.session.xsrf}|lout; Path={prefix}")
    call.reasons.append("OUT")
    return empty_response(204)


async def drop_websudo(call: Call) -> Response:
    if call.session is not None:
        call.session.websudo_until = 0.0
    return empty_response(204)
