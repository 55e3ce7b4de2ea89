"""Where a profile's secret comes from. The config file holds a source, never the secret:

    keyring[:NAME]            the OS keyring, service "atlctl", entry NAME (default: the profile's name)
    insecure-storage[:NAME]   the opt-in plain-text store (a 0600 file), entry NAME
    env:NAME                  an environment variable
    file:PATH                 the first line of a file
    command:CMD               the first line a command prints (e.g. `command:pass show jira`)
    ${secret:NAME}, ${env:NAME}   ACLI's spellings of keyring:NAME and env:NAME

Anything else is taken as the secret itself, typed into the config by hand: it works, and atlctl
says so (and warns when others can read the file)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable

from atlctl.credentials import insecure_store, keyring_store
from atlctl.credentials.permissions import warning
from atlctl.environment import Environment
from atlctl.errors import ClientError, clause

KEYRING, INSECURE, ENV, FILE, COMMAND, PLAINTEXT = "keyring", "insecure-storage", "env", "file", "command", "plaintext"
STORES = (KEYRING, INSECURE)  # the sources atlctl writes to (auth login) and clears (auth logout)
COMMAND_TIMEOUT = 60.0  # a password manager may wait for its own passphrase prompt
MAX_SECRET = 64 * 1024  # bytes read from a file: or command: source, at most (a secret is a line)
REFERENCE = re.compile(r"\$\{(secret|env):([^}]+)\}")


class SourceError(ClientError):
    """A secret source that cannot be read (unset variable, missing file, failing command...)."""


@dataclass(frozen=True)
class Source:
    kind: str
    ref: str  # keyring/store entry, variable name, path or command line; the secret itself for PLAINTEXT

    @property
    def writable(self) -> bool:
        return self.kind in STORES

    def spec(self, profile: str) -> str:
        """How the config file names this source (the entry is left out when it is the profile's name)."""
        return self.kind if self.writable and self.ref == profile else f"{self.kind}:{self.ref}"

    def describe(self, env: Environment) -> str:
        if self.kind == KEYRING:
            return keyring_store.entry_words(env, self.ref)
        if self.kind == INSECURE:
            return f"insecure storage (plain-text file {insecure_store.path(env)}, entry {self.ref})"
        if self.kind == ENV:
            return f"environment variable {self.ref}"
        if self.kind == FILE:
            return f"file {self.ref}"
        if self.kind == COMMAND:
            return f"command `{self.ref}`"
        return f"plain text in the config file {env.config_file}"

    def read(self, env: Environment, warn: Callable[[str], None]) -> str | None:
        """The secret, or None when the source holds none (no entry, unset variable). Raises
        SourceError (or KeyringUnavailable) when the source cannot be consulted."""
        if self.kind == KEYRING:
            return keyring_store.get(env, self.ref)
        if self.kind == INSECURE:
            for line in insecure_store.warnings(env):
                warn(line)
            return insecure_store.get(env, self.ref)
        if self.kind == ENV:
            return env.environ.get(self.ref) or None
        if self.kind == FILE:
            return _first_line(self._read_file(warn))
        if self.kind == COMMAND:
            return _first_line(self._run(env))
        return self.ref

    def store(self, env: Environment, secret: str) -> None:
        (keyring_store if self.kind == KEYRING else insecure_store).put(env, self.ref, secret)

    def delete(self, env: Environment) -> bool:
        return (keyring_store if self.kind == KEYRING else insecure_store).delete(env, self.ref)

    def _read_file(self, warn) -> str:
        """At most MAX_SECRET bytes (file:/dev/zero, a log file named by mistake are not read whole)."""
        path = os.path.expanduser(self.ref)
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_SECRET + 1)
        except OSError as exc:
            raise SourceError(f"Cannot read the secret file {path}: {exc.strerror or exc.__class__.__name__}.") from None
        text = _bounded_text(data, f"The secret file {path}")
        loose = warning(path, "secret file")
        if loose:
            warn(loose)
        return text

    def _run(self, env: Environment) -> str:
        import shlex
        import subprocess
        import threading

        try:
            argv = shlex.split(self.ref)
        except ValueError:
            raise SourceError(f"Cannot parse the secret command `{self.ref}`.") from None
        try:  # bytes, decoded below: a decoding failure must not pass for a parsing one
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    env=dict(env.environ))
        except FileNotFoundError:
            raise SourceError(f"Secret command not found: `{self.ref}`.") from None
        except OSError as exc:  # not executable, not a program...
            raise SourceError(f"Cannot run the secret command `{self.ref}`: {clause(exc.strerror or exc)}.") from None
        out: list[bytes] = []
        err = bytearray()
        reader = threading.Thread(target=lambda: out.append(proc.stdout.read(MAX_SECRET + 1)), daemon=True)
        errors = threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True)
        reader.start()
        errors.start()
        reader.join(COMMAND_TIMEOUT)
        try:
            if reader.is_alive():
                raise SourceError(f"The secret command `{self.ref}` did not finish within {COMMAND_TIMEOUT:g} s.")
            data = out[0] if out else b""
            if len(data) > MAX_SECRET:
                raise SourceError(f"The secret command `{self.ref}` printed more than {MAX_SECRET // 1024} KiB: not a "
                                  "secret. atlctl reads the first line a command prints.")
            try:
                code = proc.wait(COMMAND_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise SourceError(f"The secret command `{self.ref}` did not finish within {COMMAND_TIMEOUT:g} s.") from None
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            errors.join(1)
            proc.stdout.close()
        if code != 0:  # the first line of its error output, with anything it printed on stdout masked
            said = bytes(err).decode(errors="replace").strip().splitlines()[:1]
            line = said[0][:200] if said else ""
            for printed in (data.decode(errors="replace").splitlines() if out else []):
                if len(printed.strip()) >= 3:
                    line = line.replace(printed.strip(), "****")
            raise SourceError(f"The secret command `{self.ref}` failed with exit code {code}"
                              + (f": {line}" if line else "") + ".")
        return _bounded_text(data, f"The secret command `{self.ref}`", printed=True)


def copies(entry: str) -> list[Source]:
    """The store entry `entry` in each store atlctl writes: where a login may have kept a secret (one
    store at a time, but an earlier login may have chosen the other)."""
    return [Source(kind, entry) for kind in STORES]


def parse(spec: str, profile: str) -> Source:
    """The source a config value names; `profile` is the default entry of the stores."""
    reference = REFERENCE.fullmatch(spec)
    if reference:
        return Source(KEYRING if reference[1] == "secret" else ENV, reference[2])
    kind, colon, ref = spec.partition(":")
    if kind in STORES:
        return Source(kind, ref or profile)
    if kind in (ENV, FILE, COMMAND) and colon:
        if not ref.strip():
            raise ClientError(f"Secret source '{spec}' of profile {profile} names no {kind}.")
        return Source(kind, ref.strip())
    return Source(PLAINTEXT, spec)


def expand(text: str, env: Environment, where: str) -> str:
    """Resolve ${env:NAME} and ${secret:NAME} references inside a config value (`where` names it)."""

    def value(match: re.Match) -> str:
        kind, name = match[1], match[2]
        found = env.environ.get(name) if kind == "env" else keyring_store.get(env, name)
        if not found:
            what = f"environment variable {name}, which is not set" if kind == "env" else \
                f"keyring entry {name}, which does not exist"
            raise SourceError(f"{where} refers to {what}.")
        return found

    return REFERENCE.sub(value, text)


def _drain(stream, keep: bytearray, limit: int = 4096) -> None:
    """Read a stream to its end (so the command never blocks on it), keeping its first `limit` bytes."""
    try:
        for chunk in iter(lambda: stream.read(8192), b""):
            keep += chunk[: max(0, limit - len(keep))]
    except (OSError, ValueError):
        pass
    finally:
        stream.close()


def _bounded_text(data: bytes, what: str, printed: bool = False) -> str:
    """The UTF-8 text of at most MAX_SECRET + 1 bytes read from a source: its first line must end within
    MAX_SECRET bytes (a BOM, from Windows editors, is no part of it)."""
    if len(data) > MAX_SECRET and b"\n" not in data[:MAX_SECRET]:
        raise SourceError(f"{what} has no line end in its first {MAX_SECRET // 1024} KiB: not a secret (atlctl reads "
                          "the first line).")
    if len(data) > MAX_SECRET:
        data = data[: data.index(b"\n")]
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{what} {'printed something that' if printed else ''} is not UTF-8 text."
                          .replace("  ", " ")) from None


def _first_line(text: str) -> str | None:
    lines = text.splitlines()
    return lines[0] if lines and lines[0] else None
