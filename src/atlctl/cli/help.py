"""Help text generated from the action declarations."""

import textwrap

from atlctl import __version__
from atlctl.actions.common import CONNECTION, OUTPUT
from atlctl.actions.registry import PRODUCTS, REGISTRY, Action

WIDTH = 100


def _param_lines(params) -> list[str]:
    lines = []
    for p in params:
        head = p.option + (f", -{p.short}" if p.short else "")
        if not p.flag:
            head += " " + (p.metavar or ("{" + "|".join(p.choices) + "}" if p.choices else p.name.upper()))
        text = p.help
        if p.required:
            text = "Required. " + text
        if p.default is not None and not p.flag:
            text += f" Default: {p.default}."
        if p.repeat:
            text += " May be given more than once."
        lines.append("  " + head)
        lines.extend(textwrap.wrap(text, WIDTH, initial_indent="      ", subsequent_indent="      "))
    return lines


def top() -> str:
    return "\n".join([
        f"atlctl {__version__}: command-line client for Atlassian products and Slack (ACLI-compatible).",
        "",
        "Usage:",
        "  atlctl PRODUCT --action ACTION [--param value ...]",
        "  atlctl PRODUCT ACTION [--param value ...]",
        "  atlctl PROFILE ACTION [...]        a profile in place of the product (like ACLI's site shortcuts)",
        "  atlctl auth COMMAND [PROFILE]      login, status, token, logout, switch, doctor",
        "  atlctl config import-acli FILE     profiles from ACLI's acli.properties",
        "  atlctl sandbox [--port N]          local emulator to try scripts offline",
        "  atlctl --version",
        "",
        "Products: " + ", ".join(sorted(PRODUCTS)),
        "Help: atlctl PRODUCT --help (actions), atlctl PRODUCT ACTION --help (parameters).",
        "",
        "Exit codes: 0 success, 255 client error, 254 parameter problem, 253 remote error, 157 unexpected failure,",
        "130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 141 output pipe closed (e.g. | head).",
    ]) + "\n"


def product(name: str) -> str:
    actions = REGISTRY.product(name).values()
    width = max(len(a.name) for a in actions) + 2
    lines = [f"atlctl {name} --action ACTION [--param value ...]", "", "Actions:"]
    for a in actions:
        lines.append(f"  {a.name.ljust(width)}{a.help.splitlines()[0]}")
    lines += ["", f"Parameters of an action: atlctl {name} ACTION --help", ""]
    lines += ["Connection and authentication parameters (all actions):"] + _param_lines(CONNECTION)
    lines += ["", "Output parameters (all actions):"] + _param_lines(OUTPUT)
    return "\n".join(lines) + "\n"


def action(a: Action) -> str:
    lines = [f"atlctl {a.product} {a.name}: {a.help}", ""]
    if a.example:
        lines += ["Example:", f"  {a.example}", ""]
    lines += ["Parameters:"] + (_param_lines(a.params) if a.params else ["  (none besides the common ones)"])
    lines += ["", "Connection and authentication parameters:"] + _param_lines(CONNECTION)
    lines += ["", "Output parameters:"] + _param_lines(OUTPUT)
    return "\n".join(lines) + "\n"
