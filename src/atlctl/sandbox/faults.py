"""Fault injection: what a client meets when something in front of the product misbehaves.

status      the 5xx a load balancer or the product answers (503 carries Retry-After)
slow        the request read in full, a delay, then the normal answer, even if the client gave up
            meanwhile (a real server finishes what it was sent)
drop        the connection closes without any response
html_login  an SSO proxy (Okta, ADFS...) answers with its login page instead of the API
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Send

from atlctl.sandbox.responses import html_response
from atlctl.sandbox.settings import Fault

SSO_LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign In</title>
</head>
<body class="auth okta-container">
<div id="okta-sign-in" class="auth-container main-container">
<h1>Sign In</h1>
<form method="POST" action="/sso/idp/login" id="form19" class="primary-auth-form o-form">
<input type="hidden" name="fromURI" value="">
<label for="okta-signin-username">Username</label>
<input type="text" name="username" id="okta-signin-username" autocomplete="username">
<label for="okta-signin-password">Password</label>
<input type="password" name="password" id="okta-signin-password" autocomplete="current-password">
<input type="submit" value="Sign In" id="okta-signin-submit" class="button button-primary">
</form>
</div>
</body>
</html>
"""


def _proxy_page(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:  # a 5xx without a registered name, e.g. 599
        phrase = "Server Error"
    return (
        f"<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


async def inject(fault: Fault, error: Callable[[int, str], Response], request: Request, send: Send) -> bool:
    """Apply a fault; True if it answered (or dropped) the request, False to go on normally.
    `error` is the product's own error body."""
    if fault.kind == "slow":
        await request.body()  # kept by the request: the handler still has it after a client's disconnect
        await asyncio.sleep(fault.seconds)
        return False
    if fault.kind == "drop":
        await _drop(send)
        return True
    if fault.kind == "html_login":
        response = html_response(SSO_LOGIN_PAGE)
    elif fault.status == 500:
        # The product itself failed: its REST layer still answers with its own error body.
        response = error(500, "Internal server error")
    else:
        headers = {"Retry-After": str(fault.retry_after)} if fault.status == 503 else {}
        response = html_response(_proxy_page(fault.status), fault.status, headers)
    await response(request.scope, _no_receive, send)
    return True


async def _no_receive() -> dict:
    return {"type": "http.disconnect"}


async def _drop(send: Send) -> None:
    # uvicorn hands the app its request cycle's own `send`; closing that cycle's transport ends the
    # connection without a byte of response, which is what a dropped connection looks like.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("the drop fault needs the sandbox served on a socket (atlctl sandbox / SandboxServer)")
    transport.close()
    # Let uvicorn see the disconnect before the app returns, so it does not try to answer 500.
    for _ in range(3):
        await asyncio.sleep(0)
