"""Parameters every action accepts: connection, authentication and output. A product takes the
connection parameters it declares (`Product.takes`), with the --deployment and --auth choices its
declarations allow."""

from __future__ import annotations

import functools

from atlctl.products.base import Param

SECRET_ADVICE = (
    "A value on the command line is visible to other users in `ps` and lands in shell history: "
    "prefer a profile whose secret is in the keyring (`atlctl auth login`), the environment variable, "
    "'-' to read it from standard input, or the hidden prompt (given --user on a terminal)."
)

CONNECTION = (
    Param("profile", "Profile from the config file (`atlctl auth status` lists them); a profile name may also stand "
          "in place of the product: `atlctl myjira getIssue ...`. Env: ATLCTL_PROFILE. Default: the product's "
          "default profile when --server is not given. Flags override the profile's values.", metavar="NAME"),
    Param("server", "Base URL of the server, e.g. https://jira.example.com or https://site.atlassian.net.", short="s", metavar="URL"),
    Param("user", "User name (Server/DC) or account email (Cloud).", short="u"),
    Param("password", f"Password (Server/DC) or API token (Cloud). Env: ATLCTL_PASSWORD. '-' reads it from stdin. {SECRET_ADVICE}", short="p", secret=True),
    Param("token", f"Personal access token (Server/DC, sent as Bearer) or API token (Cloud, sent with --user as basic). Env: ATLCTL_TOKEN. '-' reads stdin. {SECRET_ADVICE}", short="t", secret=True),
    Param("login", "Session token printed by a previous `login` action; reuses that session without a password.", secret=True),
    Param("cookies", "Cookie file (Netscape format, written 0600) that keeps the session between invocations.", metavar="FILE"),
    Param("deployment", "Server/DC or Cloud; auto detects from the host name, then serverInfo.", choices=("auto", "server", "cloud"), default="auto"),
    Param("auth", "Override the automatic choice of authentication scheme.", choices=("auto", "basic", "session", "token"), default="auto"),
    Param("timeout", "Seconds to wait for the server on each request.", default="60", metavar="SECONDS"),
    Param("proxy", "HTTP(S) proxy URL (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment).", metavar="URL"),
    Param("ca-bundle", "PEM file (or hashed directory, as made by openssl rehash) of certificate authorities to trust "
          "instead of the system's.", metavar="FILE"),
    Param("insecure", "Skip TLS verification and allow credentials over plain http:// (not recommended).", flag=True),
    Param("client-cert", "Client certificate (PEM) for mutual TLS.", metavar="FILE"),
    Param("client-key", "Private key (PEM) for --client-cert, if not in the same file.", metavar="FILE"),
    Param("gateway", "Cloud: Atlassian's API gateway, where scoped API tokens, service accounts and OAuth go. auto: "
          "the site first, the gateway if the site refuses the token with 401 (a scoped token); always: the gateway "
          "only; never: the site only.", choices=("auto", "always", "never"), default="auto"),
    Param("gateway-url", "Cloud: the API gateway (the sandbox's: http://HOST:PORT/gateway).",
          default="https://api.atlassian.com", metavar="URL"),
    Param("oauth-url", "Cloud: the OAuth 2.0 authorization server (the sandbox's: http://HOST:PORT/gateway/auth).",
          default="https://auth.atlassian.com", metavar="URL"),
    Param("client-id", "Cloud: OAuth 2.0 client id (a service account's client credentials, or your app's for "
          "`auth login --web`)."),
    Param("client-secret", f"Cloud: OAuth 2.0 client secret. Env: ATLCTL_CLIENT_SECRET. '-' reads stdin. {SECRET_ADVICE}",
          secret=True),
)
GATEWAY = frozenset({"gateway", "gateway-url", "oauth-url", "client-id", "client-secret"})  # Atlassian Cloud only

OUTPUT = (
    Param("output", "Output format.", choices=("text", "csv", "json"), default="text"),
    Param("columns", "Comma-separated column names or 1-based numbers to output (list actions).", metavar="LIST"),
    Param("file", "Input file of the action, or where a get/list action writes its output.", short="f", metavar="FILE"),
    Param("append", "With --file: add the output to the end of the file instead of replacing it (the CSV header "
          "only when the file is new or empty), on a line of its own. Not with --output json.", flag=True),
    Param("quiet", "Print nothing but errors (and the values that are the point of the action).", flag=True),
    Param("verbose", "Print what atlctl is doing (authentication scheme, logins, retries) on stderr.", short="v", flag=True),
    Param("debug", "Log every request and response on stderr, secrets redacted; tracebacks on failure.", flag=True),
)

COMMON = CONNECTION + OUTPUT
BY_NAME = {p.name: p for p in COMMON}


def params_by_name(name: str) -> dict[str, Param]:
    """Every common parameter by name, with product `name`'s own choices where it has them (a profile's
    values are checked against these)."""
    from atlctl.products import registry

    if name not in registry.PRODUCTS:
        return BY_NAME
    return {**BY_NAME, **{p.name: p for p in connection_params(registry.product(name))}}


@functools.cache
def connection_params(product) -> tuple[Param, ...]:
    """CONNECTION as `product` takes it."""
    params = []
    for param in CONNECTION:
        if product.takes is not None and param.name not in product.takes:
            continue
        if param.name in GATEWAY and product.gateway is None:
            continue
        if param.name == "deployment":
            param = param._replace(choices=("auto", *product.deployments))
        elif param.name == "auth":
            allowed = {a for row in product.rows for a in row.auth}
            param = param._replace(choices=tuple(c for c in param.choices if c == "auto" or c in allowed))
        elif param.name == "server" and product.default_server:
            param = param._replace(default=product.default_server)
        params.append(param)
    return tuple(params)
