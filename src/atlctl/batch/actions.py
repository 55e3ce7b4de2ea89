"""run, runFromCsv and runFromList: declared once here and registered for every product (acli.md §4.3)."""

from __future__ import annotations

import os

from atlctl.actions.parse import STDIN_INPUTS
from atlctl.products.base import AUTHENTICATED, LISTS, RUNS, Action, Param
from atlctl.errors import ClientError, ParameterError
from atlctl.files import open_input
from atlctl.values import list_items, positive

# Registered for every product on every start-up, so the engine (runner, journal, steps) is
# imported only when one of these actions runs.
SUFFIX = ".journal"  # default journals: <state dir>/journals/<input name>-<hash of its path>-<hash of its content> + this
CONTENT_HASH = 16  # characters of the content's hash in a default journal's name


def journal_dir(environ) -> str:
    from atlctl.environment import user_dir

    return os.path.join(user_dir("state", environ), "journals")


def default_journal(environ, path: str, content: str | None = None) -> str:
    """The journal of input file `path` as it is now, when --journal is not given: in the user's state
    directory, keyed by the input's absolute path (a read-only checkout can be run; two files of one
    name do not share a journal) and by its content (a changed input is a new run). `content`: the
    SHA-256 of the file's bytes, when a pass over it has it (`InputFile.scan`); else the file is hashed."""
    if content is None:
        import hashlib

        with open_input(path) as handle:
            content = hashlib.file_digest(handle, "sha256").hexdigest()
    return f"{_journal_stem(environ, path)}{content[:CONTENT_HASH]}{SUFFIX}"


def _journal_stem(environ, path: str) -> str:
    """A default journal's name but for its content hash and SUFFIX: the input's name and a hash of its absolute path."""
    import hashlib

    absolute = os.path.abspath(path)
    where = hashlib.sha256(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(journal_dir(environ), f"{os.path.basename(absolute)}-{where}-")


COMMON = Param("common", "Parameters added to every action line, e.g. \"--project DEMO --type Task\".", metavar="PARAMS")
FIND_REPLACE = Param("findReplace", "Comma-separated find:replace pairs applied to every line before it runs "
                     "(single-quote a value holding a comma or colon).", metavar="PAIRS")
CONTINUE = Param("continue", "Keep going after an action fails (the run still exits with an error).", flag=True)
SIMULATE = Param("simulate", "Print the actions that would run, check their parameters, send nothing.", flag=True)
JOURNAL = Param("journal", "Journal of finished rows, for --resume. Default for runFromCsv (and for run with "
                "--resume): in the state directory ($XDG_STATE_HOME/atlctl/journals, else ~/.local/state/...; on "
                "macOS and Windows the platform's), one per input file path and content: a changed file is a new run.",
                metavar="FILE")
RESUME = Param("resume", "Continue the last unfinished run of this input from its journal: finished rows are "
               "skipped, rows that may have been sent are checked before anything is sent again. Refused when the "
               "rows that ran have changed since, or when there is nothing left to do.", flag=True)
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
MAX_THREADS = 64


def declare(product: str, sources=()) -> tuple[Action, ...]:
    """The run actions, and one runFromList-like action per list source the product declares."""
    import functools

    def action(name, help, handler, *params, example=None, needs=frozenset({RUNS}), file_input=True):
        return Action(name, product, help, handler, params, needs, example, file_input=file_input)

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
               example=f'atlctl {product} runFromList --list DEMO-1,DEMO-2 --common "--action getIssue --issue @entry@"',
               needs=frozenset({RUNS, LISTS}), file_input=False),
        *(action(source.name, source.help, functools.partial(run_from_source, source), *source.params, THREADS,
                 *RUN_PARAMS, example=source.example, needs=frozenset({RUNS, LISTS, AUTHENTICATED}), file_input=False)
          for source in sources),
    )


def run(call):
    from atlctl.batch.steps import script_steps
    from atlctl.batch.substitute import find_replace_pairs

    path = None if call["file"] == "-" else call["file"]  # '-' is standard input, as no --file
    if path is None and any(call[name] == "-" for name in STDIN_INPUTS):
        raise ParameterError("The script and a secret ('-') cannot both come from standard input: give the script with --file.")

    def steps(handle):
        return script_steps(handle, call["common"] or "", find_replace_pairs(call["findReplace"]))

    if path is None:
        return _run(call, "standard input", steps(call.context.env.stdin), threads=1)
    # scripts are often run again on purpose: they keep a journal only when asked (--journal, --resume)
    return _run_file(call, path, steps, threads=1, default=bool(call["resume"]))


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

    if path == "-":  # standard input: read once, so no default journal and no reading it again
        return _run(call, "standard input", steps(call.context.env.stdin), _threads(call["threads"]),
                    journal_path=call["journal"])
    return _run_file(call, path, steps, _threads(call["threads"]), default=True, newline="")


def _run_file(call, path: str, steps, threads: int, default: bool, newline: str | None = None):
    """A run of input file `path`, read through one handle (`inputs.InputFile`): with `default` and no
    --journal, the journal is the file's own in the state directory, named by the content hash of a
    first pass that also counts the rows; the run is the next pass. A pipe is read once, by the run,
    and keeps a journal only with --journal."""
    from atlctl.batch.inputs import InputFile

    data = InputFile(path, call["encoding"], steps, newline)
    try:
        again = data.steps if data.rereadable else None
        return _run(call, f"file: {path}", data.steps(), threads, journal_path=call["journal"], again=again,
                    data=data if again else None, keyed=default and again is not None and not call["journal"])
    finally:
        data.close()


def run_from_list(call):
    if not list_items(call["list"]):  # "," as "": nothing to run is a mistake
        raise ParameterError(f"--list {call['list']!r} holds no entries: give comma-separated entries, e.g. --list DEMO-1,DEMO-2.")
    return _run_entries(call, "list", lambda: list_items(call["list"]), again=True)


def run_from_source(source, call):
    """A product's list source (runFromIssueList): its entries are read once, as the run goes."""
    return _run_entries(call, source.name, lambda: source.entries(call), variable=source.variable)


def _run_entries(call, source: str, entries, variable: str | None = None, again: bool = False):
    """`again`: the entries may be read afresh (a list given on the command line, not a search)."""
    from atlctl.batch.steps import list_steps
    from atlctl.batch.substitute import find_replace_pairs

    if not call["common"]:
        raise ParameterError("This function requires a non-blank value for parameter: common")

    def steps():
        return list_steps(entries(), call["common"], find_replace_pairs(call["findReplace"]), variable)

    return _run(call, source, steps(), _threads(call["threads"]), journal_path=call["journal"],
                again=steps if again else None)


def _run(call, source: str, steps, threads: int, journal_path: str | None = None, again=None, data=None,
         keyed: bool = False):
    """`again()`: the steps read afresh (to count them for the progress bar, to check them against a
    journal). `data`: the input file they come from (`inputs.InputFile`), which counts its rows in the
    pass that hashes it; with `keyed` the journal is the file's default one, named by that hash."""
    from atlctl.batch.runner import NESTED, Runner, Settings

    values = call.values
    if values.get("retryUnknown") and not values.get("resume"):
        raise ParameterError("--retryUnknown goes with --resume.")
    if values.get("resume") and not (journal_path or keyed):
        raise ParameterError("--resume needs the journal: give --journal FILE (the input is not a file).")
    journal = None
    if journal_path and values.get("file") and os.path.exists(journal_path) and os.path.samefile(values["file"], journal_path):
        raise ParameterError(f"--journal {journal_path} is the input file: give the journal a path of its own "
                             "(the default is in the state directory).")
    if data is not None:
        total = (lambda: data.scan()[1])
    else:
        total = (lambda: sum(1 for step in again() if not step.comment)) if again else None
    try:
        if (journal_path or keyed) and not values.get("simulate"):
            journal = _start_journal(call, journal_path, source, again, data if keyed else None)
        settings = Settings(call.action.product, source, keep_going=bool(values.get("continue")),
                            simulate=bool(values.get("simulate")), threads=threads, journal=journal,
                            retry_unknown=bool(values.get("retryUnknown")), total=total,
                            nested=bool(values.get(NESTED)),
                            changed_input=_changed_input(data, values["file"], journal) if data is not None else None)
        call.values = {**values, **_secrets_from_stdin(call)}  # a list source's search connects with them too
        return Runner(call.context, call.values, settings).run(steps)
    except UnicodeDecodeError as exc:
        raise ParameterError(f"Cannot read {source} as {values.get('encoding')}: {exc.reason}. Give its --encoding.") from None
    finally:
        if journal:
            journal.close()


def _changed_input(data, path: str, journal):
    """What the runner asks once every row has run: a file whose bytes differ from those of the first pass
    (which named the default journal or counted the rows for the progress bar) changed during the run,
    which then ends as a failure, with the journal (if any) unfinished. Without a first pass, None."""
    def message():
        if not data.changed():
            return None
        said = f"{os.path.abspath(path)} changed while this run read it: the rows that ran may mix two versions of it"
        if journal is None:
            return f"{said}. Check the rows that ran against the file as it is now."
        return (f"{said}, so the journal is left unfinished. Run it again with --resume to check the rows that ran "
                "against the file as it is now and finish, or without --resume for a new run.")

    return message


def _start_journal(call, journal_path: str | None, source: str, again, data=None):
    """The run's journal: --journal's, else (`data`: the input file) the file's in the state directory
    (`journal.InputJournals`), named by the content hash of the first pass over the file."""
    from atlctl.batch.journal import Journal

    values, action = call.values, call.action.name
    resume = bool(values.get("resume"))
    input_name = os.path.abspath(values["file"]) if values.get("file") else source
    check = renamed = None
    if data is not None:
        journal_path, renamed, checked = _journal_of_file(call, data, input_name)
    if renamed:  # --resume after the file changed: only if every row that ran is as it was
        def check(journal):
            known = checked.get(journal.path)
            # what the first pass found holds if nothing was written to the journal since (else: read the file again)
            row = known[0] if known and known[1] == journal.previous_end else journal.first_changed_row(again())
            if row is not None:
                raise ClientError(f"{input_name} changed since its unfinished {action} (journal {journal.path}): "
                                  f"row {row} differs from the row that ran, so --resume would mix two inputs. "
                                  "Restore the file to resume, or run it without --resume for a new run.")
    journal = Journal.start(journal_path, action, input_name, resume=resume, sync=values.get("journalSync") != "none",
                            check=check)
    if renamed:  # the journal now belongs to the file as it is
        try:
            os.replace(journal.path, renamed)
            journal.path = renamed
        except OSError:
            pass  # (Windows cannot rename an open file: the journal keeps its name, --resume still finds it)
    return journal


def _journal_of_file(call, data, input_name: str):
    """The journal of input file `data` as it is now, the earlier content's journal --resume continues
    (else None), and what the first pass over the file found when it checked its rows against that
    journal: {journal path: (first changed row or None, the journal's size then)}. The journal to
    check is known before the content's hash (`InputJournals.candidate`), so one pass gives the hash,
    the row count and the check. It is checked only if the file was modified since the journal was
    last written: else it is most likely the journal of this very content, which needs no check (and
    if it is not, `_start_journal` checks it with one more pass)."""
    from atlctl.batch.journal import InputJournals, first_changed_row_of

    environ, path = call.context.env.environ, call.values["file"]
    journals = InputJournals(_journal_stem(environ, path), SUFFIX, CONTENT_HASH)
    candidate = journals.candidate() if call.values.get("resume") else None
    if candidate is not None and not _modified_after(data.modified, candidate):
        candidate = None
    checked = {}
    if candidate is not None:
        def against(steps):
            found = first_changed_row_of(candidate, steps)
            if found is not None:
                checked[candidate] = found
    content, _ = data.scan(against if candidate is not None else None)
    journal_path, renamed = journals.choose(default_journal(environ, path, content), call.action.name, input_name,
                                            bool(call.values.get("resume")), call.context.console.error)
    return journal_path, renamed, checked


def _modified_after(modified: int, path: str) -> bool:
    try:
        return modified >= os.stat(path).st_mtime_ns  # the same tick: it may have been
    except OSError:
        return False  # gone: nothing to check against


def _secrets_from_stdin(call) -> dict:
    """The '-' secrets, read once: every line's connection gets the value, as a second read of
    standard input would find nothing. --simulate connects nowhere, so it reads nothing."""
    wanted = {name: "-" for name in STDIN_INPUTS if call[name] == "-"}
    if not wanted or call["simulate"]:
        return {}
    from atlctl.credentials.resolve import resolve

    credentials = resolve(wanted, call.context.env).credentials
    read = {"password": credentials.password, "token": credentials.token, "login": credentials.session}
    secrets = {name: read[name] for name in wanted}
    call.context.console.redactor.add(*secrets.values())
    return secrets


def _threads(value) -> int:
    return positive(value, "threads", MAX_THREADS) or 1
