"""Jira DC web pages: form login, websudo, and a few /secure pages for renderRequest-style
fetches. They take a cookie session only (no Basic, no Bearer); see docs/sandbox.md."""

from __future__ import annotations

from starlette.responses import Response

from atlctl.sandbox.jira import pages
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.responses import html_response, redirect

DASHBOARD = "/secure/Dashboard.jspa"
LOGIN_ERROR = "Sorry, your username and password are incorrect - please try again."
WEBSUDO_ERROR = "The password you entered is incorrect."


def _destination(value: object, default: str) -> str:
    """Only paths inside this Jira: no open redirects."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return value
    return default


async def root(call: JiraCall) -> Response:
    return redirect(call.base + DASHBOARD)


async def login_form(call: JiraCall) -> Response:
    destination = _destination(call.request.query_params.get("os_destination"), DASHBOARD)
    return html_response(pages.login_page(call.base, destination, call.product.version))


async def login_submit(call: JiraCall) -> Response:
    """Seraph's form login. There is no CAPTCHA to solve here: the right password is the solution,
    so this is also how a user clears a CAPTCHA lock (§1.3)."""
    form = await call.form()
    realm = call.product.realm
    destination = _destination(form.get("os_destination"), DASHBOARD)
    user = realm.find_user(str(form.get("os_username", "")))
    if not await realm.login(user, str(form.get("os_password", "")), call.product.stats, captcha=False):
        call.reasons.append("AUTHENTICATED_FAILED")
        return html_response(pages.login_page(call.base, destination, call.product.version, LOGIN_ERROR))
    if call.user is not None:
        call.reasons.append("OUT")
    call.start_session(user)
    call.product.stats.logins += 1
    call.user = user
    call.reasons.append("OK")
    return redirect(call.base + destination)


async def logout(call: JiraCall) -> Response:
    if call.session is not None:
        call.product.realm.drop_session(call.session.id)
    call.reasons.append("OUT")
    return redirect(call.base + "/login.jsp")


async def dashboard(call: JiraCall) -> Response:
    return html_response(pages.dashboard_page(call.user.display_name, call.product.version))


async def profile(call: JiraCall) -> Response:
    user = call.user
    return html_response(pages.profile_page(user.name, user.display_name, user.email, call.product.version))


async def application_properties(call: JiraCall) -> Response:
    return html_response(pages.application_properties_page(call.base, call.product.version))


def _websudo_form(call: JiraCall, destination: str, error: str | None = None) -> Response:
    token = f"{call.session.xsrf}|lin"
    return html_response(pages.websudo_page(call.base, destination, token, call.product.version, error))


async def websudo_form(call: JiraCall) -> Response:
    return _websudo_form(call, _destination(call.request.query_params.get("webSudoDestination"), DASHBOARD))


async def websudo_submit(call: JiraCall) -> Response:
    """§0.5: 302 to the destination with X-Atlassian-WebSudo: Has-Authentication; a wrong
    password shows the form again (a password check, but not a failed login)."""
    form = await call.form()
    destination = _destination(form.get("webSudoDestination"), DASHBOARD)
    if not await call.product.realm.check_password(call.user, str(form.get("webSudoPassword", "")), call.product.stats):
        return _websudo_form(call, destination, WEBSUDO_ERROR)
    call.product.realm.grant_websudo(call.session)
    return redirect(call.base + destination, {"X-Atlassian-WebSudo": "Has-Authentication"})
