"""Bitbucket Cloud's dialect read by hand, for answers the sandbox does not give (no network)."""

import httpx

from atlctl.errors import ClientError, RemoteError
from atlctl.http.dialect import Situation
from atlctl.products.registry import product

BBC = product("bitbucket_cloud")


def answer(status, url="https://api.bitbucket.org/2.0/user", **kwargs) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", url), **kwargs)


def test_the_web_site_given_as_server():
    error = BBC.explain(answer(302, "https://bitbucket.org/2.0/user", headers={"Location": "/account/signin/"}),
                        Situation("Bitbucket Cloud", "cloud", "basic", "sandbox-admin"))
    assert isinstance(error, ClientError) and "use https://api.bitbucket.org (the default: leave out --server)" in str(error)


def test_scope_refusal_without_detail_falls_back_to_the_headers():
    response = answer(403, json={"type": "error", "error": {"message": "Your credentials lack one or more required "
                                                                       "privilege scopes."}},
                      headers={"X-Accepted-OAuth-Scopes": "account", "X-OAuth-Scopes": "repository",
                               "X-Credential-Type": "apppassword"})
    error = BBC.explain(response, Situation("Bitbucket Cloud", "cloud", "basic", "sandbox-admin"))
    assert isinstance(error, RemoteError) and error.reason == "scope"
    assert str(error).startswith("The app password lacks the scope this action needs: account (it has: repository).")


def test_error_message_reads_message_and_string_detail():
    response = answer(400, json={"type": "error", "error": {"message": "Bad request", "detail": "pagelen too big"}})
    assert BBC.message(response) == "Bad request pagelen too big"
    assert BBC.message(answer(404, text="Not Found")) == "Not Found"
    assert BBC.message(answer(500, json=["not", "an", "object"])) == ""
