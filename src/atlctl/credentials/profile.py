"""One profile: the settings of one account on one server, and where its secret comes from.

Keys are the command-line parameters' names, so a profile reads like the flags it stands for; flags
given on the command line win over the profile's values."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from atlctl.credentials import sources
from atlctl.credentials.sources import Source
from atlctl.environment import Environment
from atlctl.errors import ParameterError

# Connection parameters a profile may set (same names, same meaning as the flags).
CONNECTION = ("server", "user", "deployment", "auth", "cookies", "timeout", "proxy", "ca-bundle", "insecure",
              "client-cert", "client-key", "gateway", "gateway-url", "oauth-url", "client-id")
SECRETS = ("password", "token")  # each holds a source (sources.py), not the secret
PATHS = ("cookies", "ca-bundle", "client-cert", "client-key")  # `~` allowed
# version: cached by `auth login`, spares discovery; session_cache: keep the session between invocations
# cloud-id: the Cloud site's cloudId, for the gateway; client-secret: a source, as password and token are
# oauth: where an OAuth 2.0 (3LO) login's tokens are (auth login --web), a source as well
KEYS = ("product", "version", "session_cache", "cloud-id", "client-secret", "oauth", *CONNECTION, *SECRETS)
# What the keys that do not hold text hold, and how an error message says it.
TYPED = {"insecure": (bool, "true or false, without quotes (a TOML boolean)"),
         "session_cache": (bool, "true or false, without quotes (a TOML boolean)"),
         "timeout": ((int, float), "a number of seconds, without quotes")}
TEXT = (str, "text, in quotes (a TOML string)")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def check_name(name: str, reserved) -> None:
    if not NAME.fullmatch(name):
        raise ParameterError(f"Invalid profile name '{name}': use letters, digits, '.', '_' and '-', "
                             "starting with a letter or digit.")
    if name in reserved:
        raise ParameterError(f"Invalid profile name '{name}': it is an atlctl command or product name. "
                             f"Reserved: {', '.join(sorted(reserved))}.")


def same_server(a: str | None, b: str | None) -> bool:
    def norm(url):
        url = (url or "").strip().rstrip("/")
        return (url if "://" in url else "https://" + url).lower()

    return norm(a) == norm(b)


@dataclass(frozen=True)
class Profile:
    name: str
    data: dict  # the profile's table in the config file, as read

    @property
    def product(self) -> str:
        return self.data.get("product", "jira")

    @property
    def slot(self) -> str:
        """Which credential the profile's secret is: a token (Server/DC PAT) or a password (Server/DC
        password, or the API token of a Cloud account, which travels as a password)."""
        if "token" in self.data or self.data.get("auth") == "token":
            return "token"
        return "password"

    def own_table(self) -> dict | None:
        """The profile's table named after its product (`[profiles.NAME.slack]`): settings that product
        declares and reads itself (the core checks none of them), or None."""
        table = self.data.get(self.product)
        return table if isinstance(table, dict) else None

    def check_types(self) -> None:
        """Refuse a value of the wrong type: `insecure = "false"` is a non-empty string, which would
        pass for true (and a number is no source of a secret)."""
        for key in KEYS:
            kinds, expected = TYPED.get(key, TEXT)
            value = self.data.get(key)
            if value is not None and not (isinstance(value, kinds) and isinstance(value, bool) == (kinds is bool)):
                raise ParameterError(f"Profile {self.name}: {key} must be {expected}.")

    def source(self) -> Source | None:
        """Where the secret comes from: the named source, else the keyring entry of the profile when
        the profile has a user or a token to authenticate (the last step of the precedence)."""
        self.check_types()
        spec = self.data.get(self.slot)
        if spec is not None:
            return sources.parse(spec, self.name)
        oauth = self.data.get("oauth") or self.data.get("client-id")  # OAuth: no password or token
        if (self.data.get("user") and not oauth) or self.slot == "token":
            return Source(sources.KEYRING, self.name)
        return None

    def plaintext_secrets(self) -> list[str]:
        """Keys holding a secret typed into the config file by hand."""
        return [key for key in SECRETS if key in self.data
                and sources.parse(str(self.data[key]), self.name).kind == sources.PLAINTEXT]

    def value(self, key: str, env: Environment):
        self.check_types()
        raw = self.data.get(key)
        if isinstance(raw, str):
            value = sources.expand(raw, env, f"Profile {self.name}: {key}")
            return os.path.expanduser(value) if key in PATHS else value
        if key == "timeout" and raw is not None:  # a number (check_types), a string as if given as a flag
            return str(raw)
        return raw

    def cached_server(self) -> tuple[str, tuple[int, ...]] | None:
        """(deployment, version) learnt by `auth login`, so actions skip discovery."""
        deployment, version = self.data.get("deployment"), self.data.get("version")
        numbers = tuple(int(n) for n in re.findall(r"\d+", str(version or ""))[:3])
        if isinstance(deployment, str) and deployment not in ("", "auto") and numbers:  # a product's deployment
            return deployment, numbers
        return None

    def apply(self, values: dict, env: Environment, params: dict) -> dict:
        """`values` (parsed flags) completed with this profile's settings. A flag given on the
        command line wins, even at its default value. `params` maps parameter names to their declarations (defaults and
        valid choices)."""
        if values.get("server") and self.data.get("server") and not same_server(values["server"], self.value("server", env)):
            raise ParameterError(
                f"--server {values['server']} is not the server of profile {self.name} ({self.data['server']}): atlctl "
                "does not send a profile's credentials to another server. Drop --server, or the profile "
                "(--profile / ATLCTL_PROFILE)."
            )
        merged = dict(values)
        for key in CONNECTION:
            param = params.get(key)
            if key not in self.data or merged.get(key) is not None:  # a flag given on the command line wins
                continue
            value = self.value(key, env)
            if param and param.choices and value not in param.choices:
                raise ParameterError(f"Invalid value '{value}' for {key} in profile {self.name}. "
                                     f"Valid values: {', '.join(param.choices)}.")
            merged[key] = value
        merged["profile"] = self.name
        return merged
