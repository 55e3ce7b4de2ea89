"""The few Jira web pages the sandbox serves (login, websudo, profile, admin, error pages).

They are small, but carry what scripts look for in real Jira pages: the application meta tag,
the form field names, the websudo sentence and the servlet error sentences.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

WEBSUDO_SENTENCE = "You have requested access to an administrative function in Jira and are required to validate your credentials below."


def page(title: str, body: str, version: str | None = None) -> str:
    meta = f'<meta name="application-name" content="JIRA" data-name="jira" data-version="{version}">' if version else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{meta}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def error_page(status: int, reason: str, message: str, version: str | None = None) -> str:
    """Jira's servlet error page (e.g. the Basic-auth 401 and the CAPTCHA 403, §1.1, §1.4)."""
    body = (
        f'<div class="error-page"><h1>{escape(reason)}</h1>'
        f"<p>Encountered a &quot;{status} - {escape(reason)}&quot; error while loading this page.</p>"
        f"<p>{escape(message)}</p></div>"
    )
    return page(f"{reason} ({status})", body, version)


def login_page(base: str, destination: str, version: str | None, error: str | None = None) -> str:
    message = f'<div class="aui-message error" id="login-form-error">{escape(error)}</div>' if error else ""
    body = (
        f'<h1>Log in</h1>{message}<form id="login-form" method="post" action="{escape(base)}/login.jsp">'
        '<label for="login-form-username">Username</label><input id="login-form-username" name="os_username" type="text">'
        '<label for="login-form-password">Password</label><input id="login-form-password" name="os_password" type="password">'
        '<input type="checkbox" name="os_cookie" value="true">'
        f'<input type="hidden" name="os_destination" value="{escape(destination)}">'
        '<input id="login-form-submit" name="login" type="submit" value="Log In"></form>'
    )
    return page("Log in - Jira", body, version)


def websudo_page(base: str, destination: str, atl_token: str, version: str | None, error: str | None = None) -> str:
    message = f'<div class="aui-message error">{escape(error)}</div>' if error else ""
    body = (
        f"<h1>Administrator Access</h1><p>{WEBSUDO_SENTENCE}</p>{message}"
        f'<form id="login-form" method="post" action="{escape(base)}/secure/admin/WebSudoAuthenticate.jspa">'
        '<label for="login-form-authenticatePassword">Password</label>'
        '<input id="login-form-authenticatePassword" name="webSudoPassword" type="password">'
        f'<input type="hidden" name="webSudoDestination" value="{escape(destination)}">'
        '<input type="hidden" name="webSudoIsPost" value="false">'
        f'<input type="hidden" name="atl_token" value="{escape(atl_token)}">'
        '<input id="login-form-submit" type="submit" value="Confirm"></form>'
    )
    return page("Administrator Access - Jira", body, version)


def xsrf_missing_page(version: str | None) -> str:
    """What a .jspa form post without a valid atl_token gets (pycontribs looks for the comment)."""
    body = (
        "<!-- SecurityTokenMissing --><h1>XSRF Security Token Missing</h1>"
        "<p>Jira could not complete this action due to a missing form token.</p>"
    )
    return page("XSRF Security Token Missing - Jira", body, version)


def profile_page(name: str, display_name: str, email: str, version: str | None) -> str:
    body = (
        f'<h1 id="up-user-title-name">{escape(display_name)}</h1>'
        f'<dl><dt>Username:</dt><dd id="up-d-username">{escape(name)}</dd>'
        f'<dt>Full name:</dt><dd id="up-d-fullname">{escape(display_name)}</dd>'
        f'<dt>Email:</dt><dd id="up-d-email">{escape(email)}</dd></dl>'
    )
    return page(f"User Profile: {display_name} - Jira", body, version)


def dashboard_page(display_name: str, version: str | None) -> str:
    return page("System Dashboard - Jira", f"<h1>System Dashboard</h1><p>Welcome, {escape(display_name)}.</p>", version)


def application_properties_page(base: str, version: str | None) -> str:
    body = (
        "<h1>General configuration</h1><table>"
        "<tr><th>Title</th><td>Sandbox Jira</td></tr>"
        f"<tr><th>Base URL</th><td>{escape(base)}</td></tr>"
        "<tr><th>Mode</th><td>Private</td></tr></table>"
    )
    return page("General configuration - Jira", body, version)


def permission_violation_page(version: str | None) -> str:
    body = "<h1>Permission violation</h1><p>You do not have the permissions to access this page.</p>"
    return page("Permission Violation - Jira", body, version)


def login_url(base: str, destination: str) -> str:
    return f"{base}/login.jsp?os_destination={quote(destination, safe='')}"
