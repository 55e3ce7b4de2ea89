"""The few Confluence DC pages scripts use: form login (/dologin.action), logout, the websudo form
(/authenticate.action, /doauthenticate.action, §2.4), the profile page and one admin page; and the
websudo-protected admin REST resource for creating users."""

from __future__ import annotations

from html import escape

from starlette.responses import Response

from atlctl.sandbox.confluence import errors
from atlctl.sandbox.confluence.rest import read_object
from atlctl.sandbox.product import Call
from atlctl.sandbox.realm import User
from atlctl.sandbox.responses import html_response, json_response, redirect

WEBSUDO_SENTENCE = "You are about to access administrative functions. Please confirm your password to continue."  # [I]


def page(call: Call, title: str, body: str) -> str:
    version = call.product.settings.version
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)} - Confluence</title>'
            f'<meta name="ajs-version-number" content="{version}"><meta name="application-name" content="Confluence">'
            f"</head><body>{body}</body></html>")


def _destination(value: str | None) -> str:
    value = value or "/index.action"
    return value if value.startswith("/") and not value.startswith("//") else "/index.action"


async def login_form(call: Call) -> Response:
    destination = escape(_destination(call.request.query_params.get("os_destination")))
    return html_response(page(call, "Log In", f'<form id="loginform" method="post" action="{escape(call.base)}/dologin.action">'
                              '<input id="os_username" name="os_username"><input id="os_password" name="os_password" type="password">'
                              f'<input type="hidden" name="os_destination" value="{destination}"><input type="submit" name="login" value="Log in">'
                              "</form>"))


async def login_submit(call: Call) -> Response:
    form = await call.form()
    realm = call.product.realm
    user = realm.find_user(str(form.get("os_username", "")))
    call.scheme = "basic"
    outcome = await realm.login(user, str(form.get("os_password", "")), call.product.stats, captcha=False)
    if not outcome:
        call.reasons.append("AUTHENTICATED_FAILED")
        return html_response(page(call, "Log In", '<div class="aui-message error">Sorry, your username and password are incorrect - please try again.</div>'), 200)
    call.start_session(user)
    call.reasons.append("OK")
    return redirect(call.base + _destination(str(form.get("os_destination", ""))))


async def logout(call: Call) -> Response:
    if call.session is not None:
        call.product.realm.drop_session(call.session.id)
        call.session = None
    return redirect(f"{call.base}/login.action?logout=true")


async def profile(call: Call) -> Response:
    user = call.user
    return html_response(page(call, "User Profile", f'<div id="profile-fullname">{escape(user.display_name)}</div>'
                              f'<div id="username">{escape(user.name)}</div>'))


async def general_config(call: Call) -> Response:
    return html_response(page(call, "General Configuration", "<h1>General Configuration</h1>"))


async def websudo_form(call: Call) -> Response:
    destination = escape(_destination(call.request.query_params.get("destination")))
    return html_response(page(call, "Administrator Access", f"<p>{WEBSUDO_SENTENCE}</p>"
                              f'<form id="authenticateform" method="post" action="{escape(call.base)}/doauthenticate.action">'
                              '<input id="password" name="password" type="password">'
                              f'<input type="hidden" name="destination" value="{destination}">'
                              '<input type="submit" name="authenticate" value="Confirm"></form>'))


async def websudo_submit(call: Call) -> Response:
    form = await call.form()
    realm = call.product.realm
    if not realm.is_admin(call.user) or not await realm.check_password(call.user, str(form.get("password", "")), call.product.stats):
        return html_response(page(call, "Administrator Access", f"<p>{WEBSUDO_SENTENCE}</p>"
                                  '<div class="aui-message error">The password you entered is incorrect.</div>'), 200)
    realm.grant_websudo(call.session)
    return redirect(call.base + _destination(str(form.get("destination", ""))), {"X-Atlassian-WebSudo": "Has-Authentication"})


async def create_user(call: Call) -> Response:
    """POST /rest/api/admin/user (Confluence 7.x+): {userName, fullName, email, password}."""
    body = await read_object(call)
    name, full, email = body.get("userName"), body.get("fullName"), body.get("email")
    if not all(isinstance(v, str) and v.strip() for v in (name, full, email)):
        return errors.bad_request("userName, fullName and email are required")  # [I]
    realm = call.product.realm
    if realm.find_user(name) is not None:
        return errors.bad_request(f"A user with username {name} already exists")  # [I]
    password = body.get("password") if isinstance(body.get("password"), str) else ""
    key = f"8a7f808a8c1d4e5a018c1d4e5a9d{len(realm.users) + 1:04d}"
    user = realm.add_user(User(key, name, full, email, await realm.make_hash(password or key), ["confluence-users"]))
    return json_response({"type": "known", "username": user.name, "userKey": user.key, "displayName": user.display_name}, 201)
