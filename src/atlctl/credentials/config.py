"""The config file: profiles, and the default profile of each product. TOML, read with `tomllib`,
edited with `tomlkit` so the user's comments and layout survive, written atomically with mode 0600.

    [defaults]
    jira = "myjira"

    [profiles.myjira]
    product = "jira"
    server = "https://jira.example.com"
    user = "alice"
    password = "keyring"          # where the password comes from, never the password

A malformed file is reported with its line number and never overwritten."""

from __future__ import annotations

import tomllib
from typing import Mapping

from atlctl.credentials.permissions import loose_mode, warning
from atlctl.credentials.profile import KEYS, Profile
from atlctl.environment import Environment
from atlctl.errors import ClientError, ParameterError, clause
from atlctl.files import write_private

HEADER = ("atlctl configuration. Profiles say where each secret comes from (keyring, env:NAME, file:PATH,\n"
          "command:CMD), never the secret itself. Comments you add here are kept.")


class Config:
    def __init__(self, path: str, text: str | None):
        self.path = path
        self._read(text)

    def _read(self, text: str | None) -> None:
        self.text = text  # None: the file does not exist yet
        self.warnings: list[str] = []  # printed once by whoever uses the config
        self.data = self._parse(text or "")
        self.profiles = {name: Profile(name, table) for name, table in self.data.get("profiles", {}).items()}
        self.defaults: dict[str, str] = dict(self.data.get("defaults", {}))
        self._check()

    @classmethod
    def load(cls, env: Environment) -> "Config":
        path = env.config_file
        try:
            with open(path, encoding="utf-8") as handle:
                return cls(path, handle.read())
        except FileNotFoundError:
            return cls(path, None)
        except (OSError, UnicodeDecodeError) as exc:
            raise ClientError(f"Cannot read the config file {path}: {getattr(exc, 'strerror', None) or exc}.") from None

    # -- reading
    def profile(self, name: str) -> Profile:
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none yet (create one with `atlctl auth login`)"
            raise ParameterError(f"Unknown profile: {name}. Profiles in {self.path}: {known}.")
        return self.profiles[name]

    def default(self, product: str) -> Profile | None:
        name = self.defaults.get(product)
        return self.profile(name) if name else None

    def select(self, product: str, values: dict, environ: Mapping[str, str]) -> Profile | None:
        """The profile an action uses: --profile (or a profile name in place of the product), else
        ATLCTL_PROFILE if it is a profile of this product, else the product's default profile unless
        --server points elsewhere."""
        if values.get("profile"):
            profile = self.profile(values["profile"])
            if profile.product != product:
                raise ParameterError(f"Profile {profile.name} is a {profile.product} profile, not {product}.")
            return profile
        named = environ.get("ATLCTL_PROFILE")
        if named and self.profile(named).product == product:
            return self.profiles[named]
        return None if values.get("server") else self.default(product)

    # -- editing (tomlkit is imported only here: reading never needs it)
    def save_profile(self, name: str, changes: dict, replace: bool = False) -> None:
        """Set the profile's keys (a None value removes the key); `replace` starts it afresh."""
        import tomlkit

        doc = self._document()
        profiles = doc.get("profiles")
        if profiles is None:
            profiles = doc["profiles"] = tomlkit.table(is_super_table=True)
        if name not in profiles or replace:
            profiles[name] = tomlkit.table()
        table = profiles[name]
        for key, value in changes.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
        self._write(doc)

    def set_default(self, product: str, name: str) -> None:
        import tomlkit

        doc = self._document()
        if "defaults" not in doc:
            doc["defaults"] = tomlkit.table()
        doc["defaults"][product] = name
        self._write(doc)

    def _document(self):
        import tomlkit

        if self.text:
            return tomlkit.parse(self.text)
        doc = tomlkit.document()
        for line in HEADER.splitlines():
            doc.add(tomlkit.comment(line))
        doc.add(tomlkit.nl())
        return doc

    def _write(self, doc) -> None:
        import tomlkit

        text = tomlkit.dumps(doc)
        try:
            write_private(self.path, text)
        except OSError as exc:
            raise ClientError(f"Cannot write the config file {self.path}: {clause(exc.strerror or exc)}.") from None
        self._read(text)

    # -- checks
    def _parse(self, text: str) -> dict:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ClientError(f"The config file {self.path} is not valid TOML: {clause(exc)}. Fix it by hand "
                              "(atlctl never overwrites a file it cannot read).") from None
        for section in ("profiles", "defaults"):
            if not isinstance(data.get(section, {}), dict):
                raise ClientError(f"In the config file {self.path}, '{section}' must be a table ([{section}]).")
        for name, table in data.get("profiles", {}).items():
            if not isinstance(table, dict):
                raise ClientError(f"In the config file {self.path}, profile '{name}' must be a table "
                                  f"([profiles.{name}]).")
            if not isinstance(table.get("product", ""), str):  # it names a product: every command looks it up
                raise ClientError(f"In the config file {self.path}, the product of profile '{name}' must be text, in "
                                  "quotes (a TOML string).")
        for product, name in data.get("defaults", {}).items():
            if not isinstance(name, str):
                raise ClientError(f"In the config file {self.path}, the default {product} profile must be a profile "
                                  "name in quotes (a TOML string).")
        return data

    def _check(self) -> None:
        for product, name in list(self.defaults.items()):
            if name not in self.profiles:  # a warning: an error would block `auth switch` too, the very fix
                del self.defaults[product]
                self.warnings.append(f"Warning: in the config file {self.path}, the default {product} profile "
                                     f"'{name}' does not exist (ignored). Choose one with `atlctl auth switch PROFILE`.")
        for profile in self.profiles.values():
            unknown = sorted(set(profile.data) - set(KEYS) - ({profile.product} if profile.own_table() is not None else set()))
            if unknown:
                self.warnings.append(f"Warning: unknown key {', '.join(unknown)} in profile {profile.name} of "
                                     f"{self.path} (ignored). Known keys: {', '.join(KEYS)}.")
        self.loose_mode = loose_mode(self.path) if self.text is not None else None  # others may read it
        self.plaintext = [f"profiles.{p.name}.{key}" for p in self.profiles.values() for key in p.plaintext_secrets()]
        if self.loose_mode is None:
            return
        if self.plaintext:
            self.warnings.append(
                f"Warning: the config file {self.path} holds a secret in plain text ({', '.join(self.plaintext)}) and "
                f"other users can read it (mode {self.loose_mode:o}). Run chmod 600 {self.path}, and move the secret to "
                "the keyring with `atlctl auth login PROFILE`."
            )
        else:
            self.warnings.append(warning(self.path, "the config file"))
