"""Shell completion for bash, zsh and fish (`atlctl completion SHELL`), with argcomplete: the shell
calls atlctl back on TAB, and this module answers from the declarations (products and their ACLI
client names, actions, parameters and their choices) and the config file (profile names). An action
given in ACLI's form (`--action NAME`) completes its parameters as one given as a word does. The
parser built here is for completion only; atlctl's own parsing stays in actions/parse.py."""

from __future__ import annotations

import argparse
import re

SHELLS = ("bash", "zsh", "fish")


def script(shell: str) -> str:
    """The completion script to source (or install) in `shell`."""
    import argcomplete

    return argcomplete.shellcode(["atlctl"], shell=shell)


def complete(env) -> None:
    """Answer the shell's completion request (argcomplete exits the process when done)."""
    import os

    import argcomplete

    if "COMP_LINE" in os.environ:
        from atlctl.actions.registry import REGISTRY
        from atlctl.products import registry as products

        declared = {lower: action.name for name in products.names() for lower, action in REGISTRY.product(name).items()}
        line, point = acli_form(os.environ["COMP_LINE"], int(os.environ.get("COMP_POINT") or 0), declared)
        os.environ["COMP_LINE"], os.environ["COMP_POINT"] = line, str(point)
    argcomplete.autocomplete(parser(env), always_complete_options="long")


# `--action NAME`, `-a NAME`, `--action=NAME`: a whole word pair (the shell's cursor is past it)
ACTION = re.compile(r"\s(?:--action|-a)(?:=|\s+)([A-Za-z][\w-]*)(?=\s)")
WORD = re.compile(r"\s+([A-Za-z][\w-]*)(?=\s)")  # the action word right after the product


def acli_form(line: str, point: int, declared: dict[str, str]) -> tuple[str, int]:
    """The command line as completion parses it: ACLI's `atlctl jira --action getissue --is` becomes
    `atlctl jira getIssue --is` (the action right after the product, named as declared: `declared`
    maps lower-case names to them, as ACLI's names are case-insensitive), so the action's own
    parameters complete in both forms; a whole action word is named as declared too (`getissue`).
    Only what stands before the word being completed moves."""
    head, tail = line[:point], line[point:]
    cut = head.rfind(" ") + 1  # the word being completed stays as it is
    found = ACTION.search(head[:cut])
    product = re.match(r"\s*\S+\s+\S+", head[:cut])
    if product is None:
        return line, point
    if found is None or found.start() < product.end():
        word = WORD.match(head[:cut], product.end())  # `atlctl jira getissue --is`: the word form
        if word is None or word.group(1).lower() not in declared:
            return line, point
        moved = f"{head[:word.start(1)]}{declared[word.group(1).lower()]}{head[word.end(1):]}"
        return moved + tail, len(moved)
    before = head[:found.start()] + head[found.end():cut]
    name = declared.get(found.group(1).lower(), found.group(1))
    moved = f"{before[:product.end()]} {name}{before[product.end():]}{head[cut:]}"
    return moved + tail, len(moved)


def _profiles(env) -> dict[str, str]:
    """Profile name -> product, from the config file; none when it cannot be read."""
    from atlctl.credentials.config import Config

    try:
        return {name: profile.product for name, profile in Config.load(env).profiles.items()}
    except Exception:  # a broken config file must not break the shell's TAB
        return {}


def parser(env) -> argparse.ArgumentParser:
    from atlctl.actions.common import OUTPUT, connection_params
    from atlctl.actions.registry import REGISTRY
    from atlctl.cli.commands import GROUPS
    from atlctl.products import registry as products

    profiles = _profiles(env)
    # a profile named like a product, a client name or a command (a hand-edited config) cannot stand in
    # place of the product: it completes as a --profile value only
    words_taken = {*products.client_names(), *GROUPS, "help", "completion"}

    def profile_names(**_):
        return sorted(profiles)

    top = argparse.ArgumentParser(prog="atlctl", add_help=False)
    top.add_argument("--help", "-h", action="store_true")
    top.add_argument("--version", action="store_true")
    words = top.add_subparsers(dest="word")
    for name in products.names():
        declared = products.product(name)
        aliases = [c for c in declared.clients if c != name] + [p for p, of in profiles.items() if of == name and p not in words_taken]
        product = words.add_parser(name, aliases=aliases, add_help=False)
        actions = REGISTRY.product(name)
        product.add_argument("--action", "-a", choices=sorted(action.name for action in actions.values()))
        product.add_argument("--help", action="store_true")
        common = (*connection_params(declared), *OUTPUT)
        by_action = product.add_subparsers(dest="action_word")
        for action in actions.values():
            _add_params(by_action.add_parser(action.name, add_help=False, conflict_handler="resolve"),
                        (*common, *action.params), profile_names)
    for group, module_name in GROUPS.items():
        import importlib

        module = importlib.import_module(module_name)
        commands = words.add_parser(group, add_help=False).add_subparsers(dest="command")
        for command in module.COMMANDS:
            sub = commands.add_parser(command.name, add_help=False, conflict_handler="resolve")
            positional = getattr(module, "POSITIONALS", {}).get(command.name, module.POSITIONAL)
            word = sub.add_argument(positional, nargs="?")
            if positional in ("profile", "product"):
                word.completer = profile_names if positional == "profile" else _choices(products.names())
            _add_params(sub, command.params, profile_names)
    helping = words.add_parser("help", add_help=False)
    helping.add_argument("topic", nargs="?", choices=["common", "auth", *products.names()])
    words.add_parser("completion", add_help=False).add_argument("shell", choices=SHELLS)
    return top


def _choices(values):
    return lambda **_: list(values)


def _add_params(sub: argparse.ArgumentParser, params, profile_names) -> None:
    sub.add_argument("--help", action="store_true")
    for p in params:
        flags = [p.option] + ([f"-{p.short}"] if p.short else [])
        if p.flag:
            sub.add_argument(*flags, action="store_true", help=p.help)
            continue
        argument = sub.add_argument(*flags, action="append" if p.repeat else "store", help=p.help,
                                    choices=p.choices or None, metavar=p.metavar)
        if p.name == "profile":
            argument.completer = profile_names
