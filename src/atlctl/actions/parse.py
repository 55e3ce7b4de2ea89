"""ACLI-compatible command line: `atlctl PRODUCT [ACTION] [--action ACTION] [--param value ...]`.

`-a`/`--action` and the short form (action as the second word) are the same; action names are
case-insensitive, parameter names case-sensitive (ACLI §4.2)."""

from __future__ import annotations

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


def _help_values(argv: list[str]) -> dict:
    """What help shows depends on: the deployment (given, or implied by an ACLI client name such as
    jiracloud), whose rows alone apply."""
    for i, word in enumerate(argv):
        if word.startswith("--deployment="):
            return {"deployment": word.split("=", 1)[1].lower()}
        if word == "--deployment" and i + 1 < len(argv):
            return {"deployment": argv[i + 1].lower()}
    return {}


def parse(product: str, argv: list[str], defaults: tuple[list[str], ...] = ()) -> Invocation:
    """`defaults`: layers of words argv's own values override, weakest first (a run's connection
    parameters, then --common); within one layer, a parameter given twice differently is refused."""
    products.product(product)  # an unknown product is a parameter problem naming the valid ones
    name, rest = _take_action(argv)
    layers = []
    for layer in defaults:
        given, words = _take_action(layer)
        name = name or given
        layers.append(words)
    wants_help = any(a in ("--help", "-h") for a in (*rest, *(w for layer in layers for w in layer)))
    shown = _help_values(rest) if wants_help else {}
    if name is None:
        if wants_help:
            return Invocation(product, None, shown, help=True)
        raise ParameterError(
            f"Missing action. Use `atlctl {product} --help` to list the actions."
        )
    action = REGISTRY.find(product, name)
    if action is None:
        raise ParameterError(
            f"Invalid action specified: {name}. Valid actions: {', '.join(a.name for a in REGISTRY.product(product).values())}."
        )
    if wants_help:
        return Invocation(product, action, shown, help=True)
    return Invocation(product, action, parse_params(action, rest, tuple(layers)))


def implied(argv: list[str], deployment: str | None) -> list[str]:
    """argv with the deployment an ACLI client name implies (jiracloud: cloud), unless argv gives one;
    after the action word, so `jiracloud getIssue ...` keeps its short form."""
    if deployment is None or any(a == "--deployment" or a.startswith("--deployment=") for a in argv):
        return argv
    head = 1 if argv and not argv[0].startswith("-") else 0
    return [*argv[:head], f"--deployment={deployment}", *argv[head:]]


_OPTIONS: dict[tuple[str, str], dict[str, Param]] = {}


def _options(action: Action) -> dict[str, Param]:
    """Option string -> parameter, built once per action: a run script parses thousands of lines of the
    same few actions."""
    key = (action.product, action.name)
    if key not in _OPTIONS:
        table: dict[str, Param] = {}
        for param in params_of(action):
            table[param.option] = param
            if param.short:
                table[f"-{param.short}"] = param
        _OPTIONS[key] = table
    return _OPTIONS[key]


def _looks_like_option(arg: str) -> bool:
    """As argparse decides: '-' alone (stdin), negative numbers and words with a space are values,
    anything else starting with a dash is an option."""
    if not arg.startswith("-") or arg == "-" or " " in arg:  # with a space it is meant as a value
        return False
    try:
        float(arg)
        return False
    except ValueError:
        return True


def _scan(action: Action, argv: list[str]) -> tuple[dict, list[str]]:
    """One pass over argv, constant work per argument (argparse's is quadratic in the number of options:
    40,000 options on one script line took 44 s). The same grammar: `--name value`, `--name=value`,
    `-s value`, `-svalue`, `-s=value`, flags, repeated parameters collected in a list."""
    table = _options(action)
    values: dict = {param.name: None for param in table.values()}
    unknown: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        name, explicit = arg, None
        param = table.get(arg)
        if param is None and arg.startswith("-") and "=" in arg:
            name, explicit = arg.split("=", 1)
            param = table.get(name)
        if param is None and not arg.startswith("--") and len(arg) > 2 and arg[:2] in table:
            name, explicit = arg[:2], arg[2:]  # -uadmin
            param = table[name]
        if param is None:
            unknown.append(arg)
            continue
        if param.flag:
            if explicit is not None:
                raise ParameterError(f"Argument {name}: ignored explicit argument '{explicit}'. Use --help for more "
                                     "information.")
            values[param.name] = True
            continue
        if explicit is None:
            if i >= len(argv) or _looks_like_option(argv[i]):
                shown = "VALUE" if param.secret else argv[i] if i < len(argv) else ""  # a secret is never echoed
                hint = (f" A value that starts with '-' goes after '=': {name}={shown}." if i < len(argv)
                        and argv[i] not in table and argv[i].split("=", 1)[0] not in table else "")
                raise ParameterError(f"Argument {'/'.join(_names(param))}: expected one argument.{hint} Use --help for "
                                     "more information.")
            explicit = argv[i]
            i += 1
        if param.choices:
            explicit = _choice(param)(explicit)
        if param.repeat:
            if values[param.name] is None:
                values[param.name] = []
            values[param.name].append(explicit)
        else:
            if values[param.name] not in (None, explicit):
                raise ParameterError(f"Parameter {param.option} is given twice, as '{values[param.name]}' and as "
                                     f"'{explicit}': give it once.")
            values[param.name] = explicit
    return values, unknown


def _names(param: Param) -> list[str]:
    return [f"-{param.short}"] * bool(param.short) + [param.option]


def params_of(action: Action) -> tuple[Param, ...]:
    """Every parameter the action takes: its product's connection parameters, output, its own."""
    known = action.product in products.PRODUCTS  # else a command group's (auth, config): all of them
    return (*(connection_params(products.product(action.product)) if known else CONNECTION), *OUTPUT, *action.params)


def _merge(action: Action, stronger: dict, weaker: dict) -> dict:
    """A layer's values under a stronger one's: a value given in both is the stronger's, a repeatable
    parameter collects both (the weaker's first) but for the NAMEs of NAME=VALUE items the stronger
    gives itself (a row's --field Team=Blue overrides --common's --field Team=Red)."""
    merged = dict(stronger)
    for param in _options(action).values():
        mine, theirs = stronger.get(param.name), weaker.get(param.name)
        if theirs is None:
            continue
        if param.repeat:
            given = {_item_name(item) for item in mine or []}
            merged[param.name] = [*(item for item in theirs if _item_name(item) not in given), *(mine or [])]
        else:
            merged[param.name] = theirs if mine is None else mine
    return merged


def _item_name(item: str) -> str:
    return item.partition("=")[0].strip().lower()


STDIN_INPUTS = ("password", "token", "login")  # '-' reads these from standard input (and --file of an input action)


def _one_stdin(action: Action, values: dict) -> None:
    """Standard input can be read once: two inputs that ask for it ('-') are a parameter problem."""
    reading = [f"--{name} -" for name in ("file",) * action.file_input + STDIN_INPUTS if values.get(name) == "-"]
    if len(reading) > 1:
        raise ParameterError(f"Only one input may read standard input: {' and '.join(reading)} both ask for it.")


def _ignored(action: Action, values: dict) -> None:
    """Input the chosen output would silently drop."""
    if values.get("file") == "":
        raise ParameterError("--file needs a file name ('-' for standard input or output).")
    if values.get("columns") and values.get("output") == "json":
        raise ParameterError("--columns selects the columns of text and CSV output: --output json prints every field. "
                             "Give one of them.")
    if values.get("append") and (action.file_input or not values.get("file")):
        raise ParameterError(f"--append adds the output to the --file it is written to: {action.name} "
                             + ("reads its --file." if action.file_input else "has no --file given."))
    if values.get("append") and values.get("output") == "json":
        raise ParameterError("--append adds rows to the end of a CSV or text --file: --output json writes one JSON "
                             "document, and a second one after it would make the file invalid JSON. Write each to "
                             "its own --file, or append --output csv.")
    if values.get("append") and values.get("columns") and action.reads and _csv_output(action, values):
        from atlctl.actions.render import check_header
        from atlctl.values import list_items

        names = list_items(values["columns"])
        if not any(name.isdecimal() for name in names):  # column numbers are known once the answer is
            check_header(values["file"], names, exact=False)
    if action.secret_output and values.get("file"):
        raise ParameterError(f"--file: {action.name} prints its secret to standard output only (atlctl writes secrets "
                             "to no file but the secret store). Leave --file out and capture standard output.")
    if action.reads or action.product not in products.PRODUCTS:  # get/list actions; command groups print tables
        return
    if values.get("columns"):
        raise ParameterError(f"--columns selects the columns of a list or a get action: {action.name} prints a "
                             "message. Leave --columns out.")
    if values.get("file") and not action.file_input and values.get("output") != "json":
        raise ParameterError(f"--file: {action.name} prints a message and writes no file; with --output json it "
                             "writes the server's answer there. Add --output json or leave --file out.")


def _csv_output(action: Action, values: dict) -> bool:
    """Whether a --file gets CSV: --output csv, or a list action's text (ACLI names them get...List)."""
    return values.get("output") == "csv" or (values.get("output") or "text") == "text" and action.name.endswith("List")


def parse_params(action: Action, argv: list[str], defaults: tuple[list[str], ...] = ()) -> dict:
    values, unknown = _scan(action, argv)
    for layer in reversed(defaults):  # strongest first
        found, more = _scan(action, layer)
        values, unknown = _merge(action, values, found), unknown + more
    if unknown:
        first = unknown[0]
        what = "parameter" if first.startswith("-") else "value"
        valid = ", ".join(p.option for p in action.params) or "none besides the common ones"
        raise ParameterError(
            f"Unknown {what}: {first}. Valid parameters for {action.name}: {valid} "
            f"(and the common parameters; see `atlctl {action.product} {action.name} --help`)."
        )
    # Common parameters keep None when absent (a profile may fill them; consumers apply defaults),
    # so an explicit `--auth auto` can still override a profile's `auth = "basic"`.
    for param in action.params:
        if values.get(param.name) is None and param.default is not None:
            values[param.name] = param.default
    for param in action.params:
        if param.required and values.get(param.name) in (None, "", []):
            raise ParameterError(f"This function requires a non-blank value for parameter: {param.name}")
    _one_stdin(action, values)
    _ignored(action, values)
    return values
