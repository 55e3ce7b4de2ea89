"""Help text generated from the declarations: products, actions, parameters, auth rows."""

import textwrap

from atlctl import __version__
from atlctl.actions.common import OUTPUT, connection_params
from atlctl.actions.registry import REGISTRY
from atlctl.products import registry as products
from atlctl.products.base import Action

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


def _product_line(name: str, width: int) -> str:
    product = products.product(name)
    clients = ", ".join(c for c in product.clients if c != name)
    return (f"  {name.ljust(width)}{product.title}: {', '.join(product.deployments.values())}"
            + (f" (ACLI clients: {clients})" if clients else ""))


def top() -> str:
    width = max(map(len, products.names())) + 2
    return "\n".join([
        f"atlctl {__version__}: command-line client for Atlassian products and Slack (ACLI-compatible).",
        "",
        "Usage:",
        "  atlctl PRODUCT --action ACTION [--param value ...]",
        "  atlctl PRODUCT ACTION [--param value ...]",
        "  atlctl PROFILE ACTION [...]        a profile in place of the product (like ACLI's site shortcuts)",
        "  atlctl auth COMMAND [PROFILE]      login, status, token, logout, switch, doctor, matrix",
        "  atlctl config import-acli FILE     profiles from ACLI's acli.properties",
        "  atlctl journal list|show|clear     the journals of runs (runFromCsv, run --resume), in the state directory",
        "  atlctl sandbox [--port N]          local emulator to try scripts offline",
        "  atlctl completion bash|zsh|fish    shell completion: eval \"$(atlctl completion bash)\" in ~/.bashrc",
        "  atlctl --version",
        "",
        "Products:",
        *(_product_line(name, width) for name in products.names()),
        "",
        "Help: atlctl PRODUCT --help (actions, authentication), atlctl PRODUCT ACTION --help (parameters),",
        "      atlctl help common (parameters every action takes), atlctl help auth (= atlctl auth matrix).",
        "",
        "Exit codes: 0 success, 255 client error, 254 parameter problem, 253 remote error, 157 unexpected failure,",
        "130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 141 output pipe closed (e.g. | head).",
    ]) + "\n"


def _rows(declared, deployment: str | None, needs=None) -> list[dict]:
    """The rows of `declared` that apply (to an action needing `needs`), only the deployment's when
    one is given (or implied by an ACLI client name: jiracloud); all of them for an unknown one."""
    from atlctl.cli import matrix

    rows = matrix.entries(declared, needs=needs)
    return [r for r in rows if r["deployment"] == deployment] if deployment in declared.deployments else rows


def product(name: str, deployment: str | None = None) -> str:
    from atlctl.cli import matrix

    declared = products.product(name)
    actions = REGISTRY.product(name).values()
    width = max(len(a.name) for a in actions) + 2
    lines = [f"atlctl {name} --action ACTION [--param value ...]", "", "Actions:"]
    for a in actions:
        lines.append(f"  {a.name.ljust(width)}{a.help.splitlines()[0]}")
    lines += ["", f"Parameters of an action: atlctl {name} ACTION --help", ""]
    lines += ["Authentication (the first row that matches is used; `atlctl auth matrix` for every product):"]
    lines += ["  " + line for line in matrix.text(_rows(declared, deployment)).splitlines()]
    lines += ["", "Connection and authentication parameters (all actions):"] + _param_lines(connection_params(declared))
    lines += ["", "Output parameters (all actions):"] + _param_lines(OUTPUT)
    return "\n".join(lines) + "\n"


def action(a: Action, deployment: str | None = None) -> str:
    """An action's own parameters, an example, the auth rows that apply to it; the common parameters are
    one pointer away (`atlctl help common`), not sixty lines of every help."""
    known = a.product in products.PRODUCTS
    lines = [f"atlctl {a.product} {a.name}: {a.help}", ""]
    lines += ["Example:", f"  {a.example or _example(a)}", ""]
    lines += ["Parameters:"] + (_param_lines(a.params) if a.params else ["  (none besides the common ones)"])
    if known:
        from atlctl.cli import matrix

        rows = _rows(products.product(a.product), deployment, a.needs)
        lines += ["", "Authentication that applies (the first row that matches is used; every row: "
                      f"atlctl auth matrix {a.product}):"]
        lines += ["  " + line for line in matrix.text(rows).splitlines()]
    common = f"atlctl help common {a.product}" if known else "atlctl help common"
    lines += ["", f"Connection, authentication and output parameters (--server, --user, --token, --output, ...): {common}"]
    return "\n".join(lines) + "\n"


def _example(a: Action) -> str:
    """An example made from the declaration when the action has none: its required parameters."""
    words = [f"atlctl {a.product} {a.name}"]
    for p in a.params:
        if p.required:
            words.append(p.option if p.flag else f"{p.option} {p.metavar or (p.choices[0] if p.choices else p.name.upper())}")
    return " ".join(words)


def common(name: str | None = None) -> str:
    """`atlctl help common [PRODUCT]`: the parameters every action takes (a product's own choices with PRODUCT)."""
    from atlctl.actions.common import CONNECTION

    connection = connection_params(products.product(name)) if name else CONNECTION
    lines = [f"Parameters every {name + ' ' if name else ''}action accepts.", "",
             "Connection and authentication parameters:"] + _param_lines(connection)
    lines += ["", "Output parameters:"] + _param_lines(OUTPUT)
    return "\n".join(lines) + "\n"
