"""run, runFromCsv and runFromList: declared once here and registered for every product (acli.md §4.3)."""

from __future__ import annotations

import os

from atlctl.products.base import RUNS, Action, Param
from atlctl.errors import ParameterError

# Registered for every product on every start-up, so the engine (runner, journal, steps) is
# imported only when one of these actions runs.
SUFFIX = ".journal"  # default journals: <state dir>/atlctl/journals/<input name>-<hash of its path> + this


def journal_dir(environ) -> str:
    from atlctl.environment import state_dir

    return os.path.join(state_dir(environ), "journals")


def default_journal(environ, path: str) -> str:
    """The journal of input file `path` when --journal is not given: in the user's state directory
    (XDG_STATE_HOME, else ~/.local/state), keyed by the input's absolute path, so a read-only checkout
    can be run and two files of one name do not share a journal."""
    import hashlib

    directory = journal_dir(environ)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    absolute = os.path.abspath(path)
    digest = hashlib.sha256(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(directory, f"{os.path.basename(absolute)}-{digest}{SUFFIX}")


COMMON = Param("common", "Parameters added to every action line, e.g. \"--project DEMO --type Task\".", metavar="PARAMS")
FIND_REPLACE = Param("findReplace", "Comma-separated find:replace pairs applied to every line before it runs "
                     "(single-quote a value holding a comma or colon).", metavar="PAIRS")
CONTINUE = Param("continue", "Keep going after an action fails (the run still exits with an error).", flag=True)
SIMULATE = Param("simulate", "Print the actions that would run, check their parameters, send nothing.", flag=True)
JOURNAL = Param("journal", f"Journal of finished rows, for --resume. Default for runFromCsv (and for run with "
                "--resume): in the state directory, $XDG_STATE_HOME/atlctl/journals (else ~/.local/state/...), named "
                "after the input file and its path.", metavar="FILE")
RESUME = Param("resume", "Continue an interrupted run from its journal: finished rows are skipped, rows that may "
               "have been sent are checked before anything is sent again.", flag=True)
RETRY_UNKNOWN = Param("retryUnknown", "With --resume: send again the rows whose outcome is unknown and cannot be "
                      "checked automatically (after you have checked them).", flag=True)
JOURNAL_SYNC = Param("journalSync", "none: each intent reaches the operating system before its request is sent, "
                     "which survives any end of atlctl (SIGKILL included) but not a power loss of this machine; "
                     "intent: each intent is also flushed to disk first, so even a power loss cannot cause a "
                     "duplicate, at the cost of a disk flush per row.",
                     choices=("none", "intent"), default="none")
ENCODING = Param("encoding", "Character encoding of the input file.", default="utf-8")
THREADS = Param("threads", "Run up to N actions at once; output stays in input order.", default="1", metavar="N")
RUN_PARAMS = (COMMON, FIND_REPLACE, CONTINUE, SIMULATE, JOURNAL, RESUME, RETRY_UNKNOWN, JOURNAL_SYNC)
STDIN_SECRETS = ("password", "token", "login")  # '-' reads them from standard input
MAX_THREADS = 64


def declare(product: str) -> tuple[Action, ...]:
    def action(name, help, handler, *params, example=None):
        return Action(name, product, help, handler, params, frozenset({RUNS}), example, file_input=True)

    return (
        action("run", "Run a script of actions, one per line (--file, or standard input): # comments, ACLI quoting, "
               "@name@ variables.", run, ENCODING, *RUN_PARAMS,
               example=f"atlctl {product} run --file actions.txt --server URL --user U --password -"),
        action("runFromCsv", "Run one action per row of a CSV --file whose header row names the parameters.",
               run_from_csv, ENCODING, THREADS, *RUN_PARAMS,
               example=f'atlctl {product} runFromCsv --file issues.csv --common "--action createIssue --project DEMO" '
                       '--threads 8'),
        action("runFromList", "Run the --common action once per entry of --list, the entry as @entry@.",
               run_from_list, Param("list", "Comma-separated entries (single-quote one that holds a comma).",
                                    required=True),
               THREADS, *RUN_PARAMS,
               example=f'atlctl {product} runFromList --list DEMO-1,DEMO-2 --common "--action getIssue --issue @entry@"'),
    )


def run(call):
    from atlctl.batch.steps import script_steps
    from atlctl.batch.substitute import find_replace_pairs

    path = call["file"]
    if path is None and any(call[name] == "-" for name in STDIN_SECRETS):
        raise ParameterError("The script and a secret ('-') cannot both come from standard input: give the script with --file.")
    source = f"file: {path}" if path else "standard input"

    def steps(handle):
        return script_steps(handle, call["common"] or "", find_replace_pairs(call["findReplace"]))

    if path is None:
        return _run(call, source, steps(call.context.env.stdin), threads=1)
    # scripts are often run again on purpose: they keep a journal only when asked (--journal, --resume)
    journal_path = call["journal"] or (default_journal(call.context.env.environ, path) if call["resume"] else None)
    with _open(path, call["encoding"]) as handle:
        return _run(call, source, steps(handle), threads=1, journal_path=journal_path,
                    total=lambda: _count(path, call["encoding"], steps))


def run_from_csv(call):
    path = call["file"]
    if not path:
        raise ParameterError("This function requires a non-blank value for parameter: file")
    from atlctl.actions.common import COMMON as COMMON_PARAMS
    from atlctl.actions.registry import REGISTRY
    from atlctl.batch.steps import csv_steps
    from atlctl.batch.substitute import find_replace_pairs

    product = call.action.product
    flags = frozenset(p.name for p in COMMON_PARAMS if p.flag) | frozenset(
        p.name for a in REGISTRY.product(product).values() for p in a.params if p.flag)

    def steps(handle):
        return csv_steps(handle, call["common"] or "", find_replace_pairs(call["findReplace"]), flags)

    with _open(path, call["encoding"], newline="") as handle:
        return _run(call, f"file: {path}", steps(handle), _threads(call["threads"]),
                    journal_path=call["journal"] or default_journal(call.context.env.environ, path),
                    total=lambda: _count(path, call["encoding"], steps, newline=""))


def run_from_list(call):
    from atlctl.batch.steps import list_steps
    from atlctl.batch.substitute import find_replace_pairs

    if not call["common"]:
        raise ParameterError("This function requires a non-blank value for parameter: common")

    def steps():
        return list_steps(call["list"], call["common"], find_replace_pairs(call["findReplace"]))

    return _run(call, "list", steps(), _threads(call["threads"]), journal_path=call["journal"],
                total=lambda: sum(1 for _ in steps()))


def _run(call, source: str, steps, threads: int, journal_path: str | None = None, total=None):
    from atlctl.batch.journal import Journal
    from atlctl.batch.runner import Runner, Settings

    values = call.values
    if values.get("retryUnknown") and not values.get("resume"):
        raise ParameterError("--retryUnknown goes with --resume.")
    if values.get("resume") and not journal_path:
        raise ParameterError("--resume needs the journal: give --journal FILE (the input is not a file).")
    journal = None
    if journal_path and not values.get("simulate"):
        if values.get("file") and os.path.exists(journal_path) and os.path.samefile(values["file"], journal_path):
            raise ParameterError(f"--journal {journal_path} is the input file: give the journal a path of its own "
                                 "(the default is in the state directory).")
        input_name = os.path.abspath(values["file"]) if values.get("file") else source
        journal = Journal.start(journal_path, call.action.name, input_name, resume=bool(values.get("resume")),
                                sync=values.get("journalSync") != "none")
    settings = Settings(call.action.product, source, keep_going=bool(values.get("continue")),
                        simulate=bool(values.get("simulate")), threads=threads, journal=journal,
                        retry_unknown=bool(values.get("retryUnknown")), total=total)
    try:
        return Runner(call.context, {**values, **_secrets_from_stdin(call)}, settings).run(steps)
    except UnicodeDecodeError as exc:
        raise ParameterError(f"Cannot read {source} as {values.get('encoding')}: {exc.reason}. Give its --encoding.") from None
    finally:
        if journal:
            journal.close()


def _secrets_from_stdin(call) -> dict:
    """The '-' secrets, read once: every line's connection gets the value, as a second read of
    standard input would find nothing. --simulate connects nowhere, so it reads nothing."""
    wanted = {name: "-" for name in STDIN_SECRETS if call[name] == "-"}
    if not wanted or call["simulate"]:
        return {}
    from atlctl.credentials.resolve import resolve

    credentials = resolve(wanted, call.context.env).credentials
    read = {"password": credentials.password, "token": credentials.token, "login": credentials.session}
    secrets = {name: read[name] for name in wanted}
    call.context.console.redactor.add(*secrets.values())
    return secrets


def _open(path: str, encoding: str, newline: str | None = None):
    try:
        return open(path, encoding=encoding, newline=newline)
    except OSError as exc:
        raise ParameterError(f"Cannot read file {path}: {exc.strerror}.") from None
    except LookupError:
        raise ParameterError(f"Unknown --encoding: {encoding}.") from None


def _count(path: str, encoding: str, steps, newline: str | None = None) -> int:
    with _open(path, encoding, newline) as handle:
        return sum(1 for step in steps(handle) if not step.comment)


def _threads(value) -> int:
    if not str(value).isdigit() or not 1 <= int(value) <= MAX_THREADS:
        raise ParameterError(f"Invalid value '{value}' for parameter --threads: give a whole number from 1 to {MAX_THREADS}.")
    return int(value)
