"""Command groups beside the products: `atlctl auth ...` and `atlctl config ...`. Each command is
declared as an Action (parameters, help, handler), so parsing and --help work as for product
actions; one optional bare word after the command fills a parameter (the profile, the file)."""

from __future__ import annotations

import importlib

from atlctl.console import Console
from atlctl.environment import Environment
from atlctl.errors import ParameterError
from atlctl.products.base import Action

GROUPS = {"auth": "atlctl.cli.auth_cmd", "config": "atlctl.cli.config_cmd", "journal": "atlctl.cli.journal_cmd"}


class Run:
    """One command invocation as its handler sees it."""

    def __init__(self, env: Environment, console: Console, values: dict):
        self.env = env
        self.console = console
        self.values = values

    def __getitem__(self, name: str):
        return self.values.get(name)

    def config(self):
        """The config file; its warnings (loose permissions, unknown keys) printed on stderr."""
        from atlctl.credentials.config import Config

        config = Config.load(self.env)
        for line in config.warnings:
            self.console.error(line)
        return config


def run_group(group: str, argv: list[str], env: Environment, console: Console) -> int:
    from atlctl.cli import help as helptext
    from atlctl.actions.parse import parse_params

    module = importlib.import_module(GROUPS[group])
    commands: dict[str, Action] = {a.name.lower(): a for a in module.COMMANDS}
    if not argv or argv[0] in ("--help", "-h", "help"):
        console.result(_group_help(group, module))
        return 0 if argv else 254
    action = commands.get(argv[0].lower())
    if action is None:
        raise ParameterError(f"Unknown command: atlctl {group} {argv[0]}. Valid commands: "
                             f"{', '.join(a.name for a in module.COMMANDS)}.")
    rest = argv[1:]
    if any(a in ("--help", "-h") for a in rest):
        console.result(helptext.action(action))
        return 0
    word = rest.pop(0) if rest and not rest[0].startswith("-") else None
    values = parse_params(action, rest)
    if word is not None:
        positional = getattr(module, "POSITIONALS", {}).get(action.name, module.POSITIONAL)
        if values.get(positional) not in (None, word):
            raise ParameterError(f"Give the {positional} once: '{word}' or --{positional} {values[positional]}.")
        values[positional] = word
    console.configure(values.get("quiet"), values.get("verbose"), values.get("debug"))
    return action.handler(Run(env, console, values)) or 0


def _group_help(group: str, module) -> str:
    width = max(len(a.name) for a in module.COMMANDS) + 2
    lines = [f"atlctl {group} COMMAND [{module.POSITIONAL.upper()}] [--param value ...]: {module.__doc__.splitlines()[0]}",
             "", "Commands:"]
    lines += [f"  {a.name.ljust(width)}{a.help.splitlines()[0]}" for a in module.COMMANDS]
    lines += ["", f"Parameters of a command: atlctl {group} COMMAND --help"]
    return "\n".join(lines) + "\n"
