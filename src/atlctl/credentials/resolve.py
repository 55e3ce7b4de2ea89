"""Where each secret comes from, in one documented order: flag > environment. A value of '-' reads
it from standard input. The source is remembered so atlctl can always say which one is in use."""

from __future__ import annotations

from dataclasses import dataclass, field

from atlctl.auth.select import Credentials
from atlctl.environment import Environment
from atlctl.errors import ParameterError

SECRET_ENV = {"password": "ATLCTL_PASSWORD", "token": "ATLCTL_TOKEN"}


@dataclass
class Resolved:
    credentials: Credentials
    sources: dict[str, str] = field(default_factory=dict)  # "password" -> "flag --password", "env ATLCTL_PASSWORD", "stdin"


def resolve(values: dict, env: Environment) -> Resolved:
    sources: dict[str, str] = {}
    secrets: dict[str, str | None] = {}
    from_stdin = [name for name in ("password", "token", "login") if values.get(name) == "-"]
    if len(from_stdin) > 1:
        raise ParameterError(f"Only one secret can come from standard input ('-'), not {' and '.join(from_stdin)}.")
    explicit = any(values.get(name) for name in ("password", "token"))
    for name in ("password", "token", "login"):
        value = values.get(name)
        if value == "-":
            value = env.stdin.readline().rstrip("\r\n")
            if not value:
                raise ParameterError(f"Expected the {name} on standard input ('--{name} -'), got nothing.")
            sources[name] = "stdin"
        elif value:
            sources[name] = f"flag --{name}"
        elif name in SECRET_ENV and not explicit and env.environ.get(SECRET_ENV[name]):
            # an explicit --password or --token wins over both variables
            value = env.environ[SECRET_ENV[name]]
            sources[name] = f"env {SECRET_ENV[name]}"
        secrets[name] = value or None
    user = values.get("user") or None
    if user:
        sources["user"] = "flag --user"
    return Resolved(Credentials(user, secrets["password"], secrets["token"], secrets["login"]), sources)
