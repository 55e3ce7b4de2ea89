"""ACLI-compatible command line: `atlctl PRODUCT [ACTION] [--action ACTION] [--param value ...]`.

`-a`/`--action` and the short form (action as the second word) are the same; action names are
case-insensitive, parameter names case-sensitive (ACLI §4.2)."""

from __future__ import annotations

import argparse
from typing import NamedTuple

from atlctl.actions.common import CONNECTION, OUTPUT, connection_params
from atlctl.actions.registry import REGISTRY
from atlctl.errors import ParameterError
from atlctl.products import registry as products
from atlctl.products.base import Action, Param


class Invocation(NamedTuple):
    product: str
    action: Action | None  # None when only help was asked for
    values: dict  # parameter name -> value (common and action parameters)
    help: bool = False


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit(2); we raise ACLI's parameter problem
        raise ParameterError(message[:1].upper() + message[1:] + ". Use --help for more information.")


def _add(parser: argparse.ArgumentParser, param: Param) -> None:
    names = [param.option] + ([f"-{param.short}"] if param.short else [])
    kwargs = {"dest": param.name}
    if param.flag:
        kwargs.update(action="store_true", default=None)
    else:
        kwargs["action"] = "append" if param.repeat else "store"
        if param.choices:
            kwargs["type"] = _choice(param)
    parser.add_argument(*names, **kwargs)


def _choice(param: Param):
    def convert(value: str) -> str:
        for choice in param.choices:
            if value.lower() == choice:
                return choice
        raise ParameterError(
            f"Invalid value '{value}' for parameter {param.option}. Valid values: {', '.join(param.choices)}."
        )

    return convert


def _take_action(argv: list[str]) -> tuple[str | None, list[str]]:
    """Remove the action from argv: the first bare word, and/or -a/--action NAME."""
    names, rest = [], list(argv)
    if rest and not rest[0].startswith("-"):
        names.append(rest.pop(0))
    remaining, i = [], 0
    while i < len(rest):
        arg = rest[i]
        if arg in ("-a", "--action"):
            if i + 1 >= len(rest):
                raise ParameterError("Missing value for parameter: action. Use --help for more information.")
            names.append(rest[i + 1])
            i += 2
            continue
        if arg.startswith("--action="):
            names.append(arg.split("=", 1)[1])
        else:
            remaining.append(arg)
        i += 1
    if len({n.lower() for n in names}) > 1:
        raise ParameterError(f"Conflicting actions: {', '.join(names)}. Give one action.")
    return (names[0] if names else None), remaining


def parse(product: str, argv: list[str]) -> Invocation:
    products.product(product)  # an unknown product is a parameter problem naming the valid ones
    name, rest = _take_action(argv)
    wants_help = any(a in ("--help", "-h") for a in rest)
    if name is None:
        if wants_help:
            return Invocation(product, None, {}, help=True)
        raise ParameterError(
            f"Missing action. Use `atlctl {product} --help` to list the actions."
        )
    action = REGISTRY.find(product, name)
    if action is None:
        raise ParameterError(
            f"Invalid action specified: {name}. Valid actions: {', '.join(a.name for a in REGISTRY.product(product).values())}."
        )
    if wants_help:
        return Invocation(product, action, {}, help=True)
    return Invocation(product, action, parse_params(action, rest))


def implied(argv: list[str], deployment: str | None) -> list[str]:
    """argv with the deployment an ACLI client name implies (jiracloud: cloud), unless argv gives one;
    after the action word, so `jiracloud getIssue ...` keeps its short form."""
    if deployment is None or any(a == "--deployment" or a.startswith("--deployment=") for a in argv):
        return argv
    head = 1 if argv and not argv[0].startswith("-") else 0
    return [*argv[:head], f"--deployment={deployment}", *argv[head:]]


_PARSERS: dict[tuple[str, str], _Parser] = {}


def _parser(action: Action) -> _Parser:
    """Built once per action: a run script parses thousands of lines of the same few actions."""
    key = (action.product, action.name)
    if key not in _PARSERS:
        parser = _Parser(prog=f"atlctl {action.product} {action.name}", add_help=False, allow_abbrev=False)
        for param in params_of(action):
            _add(parser, param)
        _PARSERS[key] = parser
    return _PARSERS[key]


def params_of(action: Action) -> tuple[Param, ...]:
    """Every parameter the action takes: its product's connection parameters, output, its own."""
    known = action.product in products.PRODUCTS  # else a command group's (auth, config): all of them
    return (*(connection_params(products.product(action.product)) if known else CONNECTION), *OUTPUT, *action.params)


def parse_params(action: Action, argv: list[str]) -> dict:
    values, unknown = _parser(action).parse_known_args(argv)
    if unknown:
        first = unknown[0]
        what = "parameter" if first.startswith("-") else "value"
        valid = ", ".join(p.option for p in action.params) or "none besides the common ones"
        raise ParameterError(
            f"Unknown {what}: {first}. Valid parameters for {action.name}: {valid} "
            f"(and the common parameters; see `atlctl {action.product} {action.name} --help`)."
        )
    values = vars(values)
    # Common parameters keep None when absent (a profile may fill them; consumers apply defaults),
    # so an explicit `--auth auto` can still override a profile's `auth = "basic"`.
    for param in action.params:
        if values.get(param.name) is None and param.default is not None:
            values[param.name] = param.default
    for param in action.params:
        if param.required and values.get(param.name) in (None, "", []):
            raise ParameterError(f"This function requires a non-blank value for parameter: {param.name}")
    return values
