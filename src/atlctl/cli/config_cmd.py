"""Manage the config file (`atlctl config import-acli FILE` brings ACLI site shortcuts over)."""

from __future__ import annotations

import re

from atlctl.cli.commands import Run
from atlctl.cli.profiles import RESERVED
from atlctl.credentials import acli
from atlctl.credentials.profile import NAME
from atlctl.credentials.sources import INSECURE, KEYRING, Source, parse
from atlctl.errors import AtlctlError, ClientError, ParameterError
from atlctl.products.base import Action, Param

POSITIONAL = "file"


def import_acli(run: Run) -> int:
    env, console = run.env, run.console
    path = run["file"] or env.environ.get("ACLI_CONFIG")
    if not path:
        raise ParameterError("This function requires a non-blank value for parameter: file "
                             "(the acli.properties to import; ACLI_CONFIG is used when set).")
    try:
        with open(path, "rb") as handle:
            text, encoding = acli.decode(handle.read())
    except OSError as exc:
        raise ClientError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        entries = acli.read(text)
    except ValueError as exc:  # a malformed \uXXXX escape, which Java refuses too
        raise ParameterError(f"Cannot read {path} as a .properties file: {exc}.") from None
    for entry in entries:  # masked in everything printed from here on
        console.redactor.add(*[value for value in entry.secrets.values() if acli.is_literal(value)])
        console.redactor.public(entry.settings.get("user"))  # a user named like the password stays readable
    config = run.config()
    plans, skipped = [], []
    for entry in entries:
        name = _profile_name(entry.name)
        if entry.problem:
            skipped.append(f"{entry.name} (line {entry.line}): {entry.problem}")
        elif name in config.profiles and not run["replace"]:
            skipped.append(f"{entry.name} (line {entry.line}): profile {name} exists already (--replace overwrites it)")
        elif name in (planned for planned, _ in plans):
            skipped.append(f"{entry.name} (line {entry.line}): another entry of the file became profile {name}")
        else:
            plans.append((name, entry))
    notes = [_store_secrets(run, name, entry) for name, entry in plans]  # all stored before the config changes
    for name, entry in plans:
        data = {"product": entry.product, **({"deployment": entry.deployment} if entry.deployment else {}),
                **entry.settings, **_secret_specs(run, name, entry)}
        config.save_profile(name, data, replace=True)
    defaults = []
    for name, entry in plans:
        if entry.product not in config.defaults:
            config.set_default(entry.product, name)
            defaults.append(f"{name} is now the default {entry.product} profile")
    lines = [f"Imported {len(plans)} of {len(entries)} entries from {path} into {config.path}."]
    if not text.isascii():  # where the two differ, say which was used
        lines.append(f"  Read as {encoding}" + (" (the file is not UTF-8; ISO-8859-1 is Java's encoding for "
                                                ".properties files)." if encoding != "UTF-8" else "."))
    for (name, entry), note in zip(plans, notes):
        renamed = f" (entry {entry.name})" if name != entry.name else ""
        where = ", ".join(f"{key} {value}" for key, value in entry.settings.items())
        lines.append(f"  {name}{renamed}: {entry.product}{' Cloud' if entry.deployment else ''}, {where}"
                     + (f"; {note}" if note else "")
                     + (f"; not imported: {', '.join(entry.ignored)}" if entry.ignored else ""))
    lines += [f"  {line}." for line in defaults]
    if skipped:
        lines += ["Skipped:"] + [f"  {line}" for line in skipped]
    console.out("\n".join(lines))
    if not plans:
        raise ParameterError(f"Nothing was imported from {path}: " + (
            "every entry was skipped (see above)." if entries else "it has no entries."))
    return 0


def _profile_name(name: str) -> str:
    """ACLI shortcut names are free-form; a profile name must not shadow a product or a command."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "-", name).strip("-.") or "acli"
    return f"{name}-acli" if name in RESERVED or not NAME.fullmatch(name) else name


def _target(run: Run, name: str) -> Source:
    """Where the literal secrets of profile `name` go."""
    return Source(INSECURE if run["insecure-storage"] else KEYRING, name)


def _secret_specs(run: Run, name: str, entry: acli.Entry) -> dict[str, str]:
    """How the profile names each secret: a reference stays a reference, a literal becomes the store."""
    return {slot: _target(run, name).spec(name) if acli.is_literal(value) else value
            for slot, value in entry.secrets.items()}


def _store_secrets(run: Run, name: str, entry: acli.Entry) -> str:
    """Move the entry's literal secrets to the store; say what happened to each secret."""
    said = []
    for slot, value in entry.secrets.items():
        if acli.is_literal(value):
            target = _target(run, name)
            try:
                target.store(run.env, value)
            except AtlctlError as exc:
                raise ClientError(f"{exc} Nothing was imported. Run again with --insecure-storage to keep the "
                                  "secrets in a plain-text file (0600), or replace them in the file with "
                                  "${env:NAME} references.") from None
            said.append(f"{slot} moved to {target.describe(run.env)}")
            continue
        source = parse(value, name)
        if source.kind == KEYRING:
            said.append(f"{slot} from keyring entry {source.ref} ({value} lives in ACLI's encrypted store, which atlctl "
                        f"cannot read: store it with `atlctl auth login {name}`)")
        else:
            said.append(f"{slot} from {source.describe(run.env)}")
    return "; ".join(said)


COMMANDS = (
    Action("import-acli", "config", "Create profiles from an ACLI acli.properties file (site shortcuts): literal "
           "secrets move to the keyring, ${secret:...}/${env:...} references become sources; existing profiles "
           "are kept unless --replace.", import_acli, params=(
               Param("replace", "Overwrite profiles that exist already.", flag=True),
               Param("insecure-storage", "Move literal secrets to a plain-text file (mode 0600, in a 0700 directory) "
                     "instead of the OS keyring.", flag=True)),
           needs=frozenset(), example="atlctl config import-acli /opt/acli/acli.properties"),
)
