"""Runs the steps of a bulk run through one Context (one pool, one session for every row and thread),
reports each row in input order, journals it, and sums up the way ACLI does (acli.md §4.3, §4.5)."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from atlctl import errors
from atlctl.actions.common import CONNECTION
from atlctl.actions.registry import REGISTRY
from atlctl.batch import lines
from atlctl.batch.journal import Journal, Past
from atlctl.batch.progress import Progress
from atlctl.batch.recovery import Recovery, Unsettled, changes_something
from atlctl.batch.steps import Step
from atlctl.batch.substitute import Variables
from atlctl.errors import AtlctlError, ClientError, ParameterError
from atlctl.products import registry as products
from atlctl.products.base import LISTS, RUNS, Action, Result
from atlctl.redact import MASK

NESTED = "nested run"  # in a line's values: the list run it starts is nested in this one
EXIT_NAMES = {errors.CLIENT_ERROR: "CLIENT_EXCEPTION", errors.PARAMETER_PROBLEM: "PARAMETER_PROBLEM",
              errors.REMOTE_ERROR: "REMOTE_EXCEPTION", errors.UNEXPECTED: "FAILURE"}


class RunFailed(ClientError):
    """The summary of a run with failures; exits with the failed action's code when the run stopped on it."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Settings:
    product: str  # lines without a client name are for this product
    source: str  # "file: PATH", "standard input", "list": how the summary names the input
    keep_going: bool = False  # --continue
    simulate: bool = False
    threads: int = 1
    journal: Journal | None = None
    retry_unknown: bool = False
    total: object = None  # row count (or a function giving it) for the progress bar
    nested: bool = False  # a list run started by a line of another run: its rows may start no run
    changed_input: object = None  # once every row ran: a message if the input changed while it was read, else None


@dataclass
class Outcome:
    line: str  # the line as it ran, secret values masked, variables filled in (what `Run:` echoes)
    result: Result | None = None
    values: dict | None = None
    action: Action | None = None
    reference: str | None = None
    error: AtlctlError | None = None
    mark: dict | None = None  # the intent's mark, kept with an unknown outcome
    undefined: tuple[str, ...] = ()  # the @name@ variables its values use that nothing set (left as written)
    recovered: bool = False
    echoed: bool = False  # `Run:` printed before the action ran (a nested list run prints its rows)


class Runner:
    def __init__(self, context, connection: dict, settings: Settings):
        """`connection`: the run's parameter values, secrets from standard input already read."""
        self.context = context
        self.console = context.console
        self.settings = settings
        self.variables = Variables()
        self.recovery = Recovery(settings.journal, settings.retry_unknown) if settings.journal else None
        self.inherited = _connection_words(connection)  # the run's connection applies to every line
        self.secrets = SecretOptions(settings.product)
        self.succeeded = self.failed = self.skipped = 0
        self.unknown = 0  # rows whose effect is not known (a connection lost after sending): --resume settles them
        self.exit_code = errors.SUCCESS
        self.stopped = False
        self.warned: set[str] = set()  # the undefined @name@ variables warned about: once per name per run

    # -- the run
    def run(self, steps: Iterable[Step]) -> Result:
        progress = Progress(self.context.env, self.console.quiet or self.settings.nested, self.settings.total)
        try:
            for step, outcome in self._outcomes(self._unfinished(steps)):
                with progress.printing():
                    self._report(step, outcome)
                if outcome is not None:
                    progress.advance()
        finally:
            progress.close()
        changed = self.settings.changed_input() if self.settings.changed_input and not self.stopped else None
        if changed:
            raise ClientError(changed)  # before the summary, which would close the journal as finished
        return self._summary()

    def _unfinished(self, steps: Iterable[Step]) -> Iterator[tuple[Step, Past | None]]:
        """Walk the input and (on --resume) the journal side by side, both in row order: rows done
        before are skipped (their variables replayed); the rest come with what is known of them."""
        past = self.settings.journal.past() if self.settings.journal else iter(())
        known = next(past, None)
        for step in steps:
            while known is not None and known.row < step.row:
                known = next(past, None)
            if step.comment or known is None or known.row != step.row:
                yield step, None
                continue
            if self.settings.journal.changed(known, step.digest):
                raise ClientError(
                    f"The input changed since the journal {self.settings.journal.path} was written (row {step.row} "
                    "differs, or --common/--findReplace changed): --resume needs the same input. Restore it, or "
                    "delete the journal to start over."
                )
            if known.status == "done":
                self.variables.assign(known.variables)
                self.skipped += 1
            else:
                yield step, known

    def _outcomes(self, items: Iterator[tuple[Step, Past | None]]) -> Iterator[tuple[Step, Outcome | None]]:
        """Each row's outcome, in input order. With --threads N, up to N rows run at once (each sees
        the variables as they were when the run started: rows running together cannot depend on
        each other); at most 2N outcomes wait to be reported, so memory stays flat."""
        if self.settings.threads == 1:
            for step, known in items:
                yield step, self._attempt(step, known, self.variables)
                if self.stopped:
                    return
            return
        from concurrent.futures import ThreadPoolExecutor

        window: deque = deque()
        at_start = self.variables.with_values()
        with ThreadPoolExecutor(self.settings.threads, thread_name_prefix="atlctl-row") as pool:
            try:
                for step, known in items:
                    if len(window) >= 2 * self.settings.threads:
                        yield _oldest(window)
                    if self.stopped:
                        break
                    window.append((step, pool.submit(self._attempt, step, known, at_start)))
                while window:
                    if self.stopped:  # after a failure, rows not started yet are not started at all
                        for _, future in window:
                            future.cancel()
                    if window[0][1].cancelled():
                        window.popleft()
                    else:
                        yield _oldest(window)
            finally:
                for _, future in window:
                    future.cancel()

    def _attempt(self, step: Step, known: Past | None, variables: Variables) -> Outcome | None:
        """Run one row (on a worker thread when --threads > 1). Never raises an AtlctlError: a row's
        failure is its outcome."""
        if step.comment:
            return None
        if step.values:
            variables = variables.with_values(**step.values)
        outcome = Outcome(variables.apply(self.secrets.mask(step.text)))  # masked first: a variable may hold the secret
        outcome.error = self._failure(self._perform, step, known, variables, outcome)
        return outcome

    def _failure(self, work, *args) -> AtlctlError | None:
        """What went wrong in `work(*args)`, as the row's failure: never raised, so one row cannot stop the run."""
        try:
            work(*args)
        except AtlctlError as exc:
            return exc
        except Exception as exc:  # a bug: the row fails with 157, the run goes on with --continue
            return _unexpected(exc, self.console)
        return None

    def _perform(self, step: Step, known: Past | None, variables: Variables, outcome: Outcome) -> None:
        """Parse the row and (unless --simulate) run it, filling in `outcome`."""
        words = [variables.apply(word) for word in step.words]
        common = [variables.apply(word) for word in step.common]
        self._register_secrets(words + common, (step.text, variables.apply(step.text)))
        if step.problem:
            raise ParameterError(step.problem)
        outcome.reference, words = _take_reference(words)
        common_reference, common = _take_reference(common)
        outcome.reference = outcome.reference or common_reference
        product, words = self._client(words)
        from atlctl.actions.parse import parse

        invocation = parse(product, words, _layers(words, common, self.inherited))
        if invocation.help:
            raise ParameterError("A script line cannot ask for --help: run `atlctl PRODUCT ACTION --help` instead.")
        nested = RUNS in invocation.action.needs
        if nested:
            self._may_nest(invocation.action)
        outcome.action, outcome.values = invocation.action, invocation.values
        if not self.settings.simulate:  # a simulate runs no action, so the variables actions set are unknown
            # a list run's --common is filled in by its own run, which warns about what it cannot fill in
            outcome.undefined = variables.undefined(value for name, value in invocation.values.items()
                                                    if not (nested and name == "common"))
        if nested:
            outcome.values = {**outcome.values, NESTED: True}
        if nested:  # its rows print as they run: the line that started them comes first
            self._warn_undefined(outcome)
            self.console.out(f"{self._verb()}: {self.console.redactor.argv(outcome.line)}")
            outcome.echoed = True
        if not self.settings.simulate:
            outcome.result, outcome.recovered = self._execute(step, known, outcome)
        elif nested:  # simulated too, so its rows get the checks the real run gives them (they may start no run)
            from atlctl.actions.context import Call

            outcome.values["simulate"] = True
            outcome.result = outcome.action.handler(Call(self.context, outcome.action, outcome.values))

    def _may_nest(self, action: Action) -> None:
        """A line may start a list run (runFromList, runFromIssueList: rows of single actions, which may
        start no run themselves), one level deep and one row at a time; never a run of a file (run,
        runFromCsv), which could run itself without end."""
        if LISTS not in action.needs or self.settings.nested:
            raise ParameterError(f"A script line cannot start another run ({action.name}): give each script, CSV "
                                 "file or list its own atlctl command (a line may start a list run, such as "
                                 "runFromList, but not inside another list run).")
        if self.settings.threads > 1:
            raise ParameterError(f"A line cannot start {action.name} with --threads above 1: its rows would mix "
                                 "with the others.")

    def _execute(self, step: Step, known: Past | None, outcome: Outcome) -> tuple[Result, bool]:
        from atlctl.actions.context import Call

        call = Call(self.context, outcome.action, outcome.values)  # what context.execute does, kept for recovery
        journal = self.settings.journal
        if journal is not None and changes_something(call.action):
            if known is not None and known.status != "failed":  # it may have been sent before
                outcome.mark = known.mark  # kept if settling fails part way (a PartlyDone), for the next --resume
                found = self.recovery.settle(call, known)
                if found is not None:
                    return found, True
            outcome.mark = self.recovery.mark(call)
            journal.intent(step.row, step.digest, self._redacted(outcome.mark))
        return call.action.handler(call), False

    # -- reporting, in input order, on the main thread
    def _report(self, step: Step, outcome: Outcome | None) -> None:
        console = self.console
        if outcome is None:
            console.out(step.text)  # a comment, echoed as ACLI does
            return
        if not outcome.echoed:
            self._warn_undefined(outcome)
            console.out(f"{self._verb()}: {self.console.redactor.argv(outcome.line)}")
        if outcome.error is not None:
            self._journal_failure(step, outcome)
        elif not self.settings.simulate:
            self._done(step, outcome)
            # after the done record: the action did happen, even if its output cannot be written
            outcome.error = self._failure(self._print, outcome)
        elif outcome.result is not None:  # a simulated list run's summary
            outcome.error = self._failure(self._print, outcome)
        if outcome.error is None:
            self.succeeded += 1
        else:
            self._report_failure(outcome)

    def _warn_undefined(self, outcome: Outcome) -> None:
        """ACLI says nothing of a variable nobody set: it is left as written (an e-mail address is safe),
        with one warning per name and run, on the main thread (the row that first uses it)."""
        for name in outcome.undefined:
            if name not in self.warned:
                self.warned.add(name)
                self.console.error(f"Warning: @{name}@ is not defined (no earlier action set it, no --reference "
                                   "named it), so it is left as written.")

    def _verb(self) -> str:
        return "Simulate" if self.settings.simulate else "Run"

    def _done(self, step: Step, outcome: Outcome) -> None:
        assigned = self.variables.assign(outcome.result.variables, outcome.reference)
        if self.settings.journal:
            details = {"variables": assigned, "message": self.console.redactor.text(outcome.result.message or "")}
            if outcome.recovered:
                details["recovered"] = True
            self.settings.journal.outcome(step.row, step.digest, "done", **details)

    def _print(self, outcome: Outcome) -> None:
        from atlctl.actions.render import render

        console = self.console.with_quiet(self.console.quiet or bool(outcome.values.get("quiet")))
        render(outcome.result, outcome.values, console, file_is_input=outcome.action.file_input)

    def _journal_failure(self, step: Step, outcome: Outcome) -> None:
        if self.settings.journal:
            from atlctl.errors import PartlyDone
            from atlctl.http.connection import OutcomeUnknown

            error = outcome.error
            unknown = isinstance(error, (OutcomeUnknown, Unsettled, PartlyDone))  # --resume finds its effect
            self.unknown += unknown
            self.settings.journal.outcome(step.row, step.digest, "unknown" if unknown else "failed",
                                          error=self.console.redactor.text(error.line()), code=error.exit_code,
                                          **({"mark": self._redacted(outcome.mark)} if unknown else {}))

    def _redacted(self, mark: dict | None) -> dict | None:
        """A mark as the journal keeps it: every secret atlctl knows masked, like everything it writes."""
        if mark is None:
            return None
        redact = self.console.redactor.place
        return {k: redact(v) if isinstance(v, str) else v for k, v in mark.items()}

    def _report_failure(self, outcome: Outcome) -> None:
        error, console = outcome.error, self.console
        console.error(error.line())
        console.error(f"{EXIT_NAMES.get(error.exit_code, 'FAILURE')} running: {console.redactor.argv(outcome.line)}")
        self.failed += 1
        if self.exit_code == errors.SUCCESS:
            self.exit_code = error.exit_code
        if not self.settings.keep_going:
            self.stopped = True

    def _summary(self) -> Result:
        source = self.settings.source
        done_before = f" ({self.skipped} done before, see {self.settings.journal.path})" if self.skipped else ""
        if self.failed:
            if self.settings.journal and not self.stopped and not self.unknown:
                # --continue went through every row, each done or failed: a finished run, so running it again is a new run
                self.settings.journal.complete()
            code = self.exit_code if self.stopped else errors.CLIENT_ERROR
            raise RunFailed(f"{self.failed} actions failed, {self.succeeded} actions were successful{done_before} "
                            f"from {source}", code)
        if self.settings.journal:
            self.settings.journal.complete()
        if self.settings.simulate:
            return Result(f"Simulate completed successfully. {self.succeeded} actions would run from {source}")
        return Result(f"Run completed successfully. {self.succeeded} actions were successful{done_before} from {source}",
                      variables=dict(self.variables.values))

    def _client(self, words: list[str]) -> tuple[str, list[str]]:
        """A line may start with a client name, as ACLI scripts often do: a product (`jira --action
        getIssue ...`) or a profile (`work getIssue ...`, as on the command line). An action name
        wins over a profile of that name, so lines that start with one never read the config file."""
        first = words[0] if words else "-"
        client = None if first.startswith("-") else products.client_name(first)
        if client is not None:
            from atlctl.actions.parse import implied

            # a line naming a client runs that client: `jira ...` under `jiracloud run` detects its deployment
            return client[0], implied(words[1:], client[1] or "auto")
        if first.startswith("-") or REGISTRY.find(self.settings.product, first) is not None:
            return self.settings.product, words
        if first in self.context.config.profiles:
            return self.context.config.profiles[first].product, [*words[1:], "--profile", first]
        return self.settings.product, words

    def _register_secrets(self, words: list[str], texts: tuple[str, ...]) -> None:
        """Mask the secrets a line carries before it is echoed (`--password X` in a script). A line
        that cannot be split into words (an unclosed quote) has its texts masked from the first
        secret option on: where its secret ends cannot be known."""
        if words:
            self.console.redactor.add(*self.secrets.values(words))
        else:
            self.console.redactor.add(*(self.secrets.tail(text) for text in texts))


def _oldest(window: deque) -> tuple[Step, Outcome | None]:
    step, future = window.popleft()
    return step, future.result()


def _take_reference(words: list[str]) -> tuple[str | None, list[str]]:
    """`--reference NAME` is for the run (keep this action's value as @NAME@), not for the action."""
    reference, rest, index = None, [], 0
    while index < len(words):
        if words[index] == "--reference" and index + 1 < len(words):
            reference = words[index + 1]
            index += 2
            continue
        if words[index].startswith("--reference="):
            reference = words[index].split("=", 1)[1]
        else:
            rest.append(words[index])
        index += 1
    return reference, rest


def _layers(words: list[str], common: list[str], inherited: list[str]) -> tuple[list[str], ...]:
    """What a line's own words override, weakest first: the run's connection words, then --common.
    A line (or its --common) that names a profile connects as that profile says, not as the run does."""
    if any(word == "--profile" or word.startswith("--profile=") for word in (*words, *common)):
        return (common,)
    return (inherited, common)


def _connection_words(values: dict) -> list[str]:
    """The run's own connection parameters as words under every line: a line that gives one itself
    overrides it. `--name=value`: a value may start with `-`."""
    words = []
    for param in CONNECTION:
        value = values.get(param.name)
        if param.flag and value:
            words.append(param.option)
        elif not param.flag and value is not None and value != param.default:
            words.append(f"{param.option}={value}")
    return words


class SecretOptions:
    """The secret parameters of a product's actions (`--password`, `-p`, `--userPassword`...), and
    where their values are in a script line, in every form the parser accepts: `--password X`,
    `--password=X`, `-pX`, `-p=X`, `-p X`, and after short flags: `-vpX`."""

    def __init__(self, product: str):
        from atlctl.actions.common import COMMON

        params = list(COMMON) + [p for action in REGISTRY.product(product).values() for p in action.params]
        self.options = {p.option for p in params if p.secret}
        self.shorts = {p.short for p in params if p.secret and p.short}
        self.flags = {p.short for p in params if p.flag and p.short}

    def values(self, words: list[str]) -> Iterator[str | None]:
        """What to mask in a line's words."""
        for index, word in enumerate(words):
            start = self._mask_start(word)
            if start is not None:
                yield word[start:] or (words[index + 1] if index + 1 < len(words) else None)

    def tail(self, text: str) -> str | None:
        """What to mask in a line that cannot be split: everything from the first secret option's value on."""
        start = self._tail_start(text)
        return None if start is None else text[start:].strip()

    def _tail_start(self, text: str) -> int | None:
        for match in re.finditer(r"\S+", text):
            start = self._mask_start(match.group())
            if start is not None:
                start += match.start()
                return start + len(text[start:]) - len(text[start:].lstrip())
        return None

    def mask(self, text: str) -> str:
        """The line as echoed: each secret option's value masked by where it stands, whatever it
        equals (a password equal to the user name, which the redactor shows elsewhere)."""
        try:
            words = list(lines.spans(text))
        except ParameterError:  # an unclosed quote: from the first secret option's value on
            start = self._tail_start(text)
            return text if start is None or not text[start:].strip() else text[:start] + MASK
        out, end, value_next = [], 0, False
        for start, stop, word in words:
            out.append(text[end:start])
            cut = None if value_next else self._mask_start(word)
            if value_next:
                out.append(MASK)
            elif cut is None or cut == len(word):  # no secret option, or one whose value is the next word
                out.append(text[start:stop])
            else:
                out.append(word[:cut] + MASK)
            value_next, end = cut == len(word), stop
        return "".join(out) + text[end:]

    def _mask_start(self, word: str) -> int | None:
        """Where a secret option's value starts in the word (at its end: the value is the next
        word), or None if the word is no secret option. A value glued to the option's letter
        (`-pX`) is masked with the option: a short secret is masked only as a whole word."""
        if word.startswith("--"):
            name, equals, _ = word.partition("=")
            return len(name) + len(equals) if name in self.options else None
        if word.startswith("-"):
            for index, char in enumerate(word[1:], 2):
                if char in self.shorts:
                    if word[index:index + 1] == "=":
                        return index + 1
                    return 0 if index < len(word) else index
                if char not in self.flags:
                    return None
        return None


def _unexpected(exc: Exception, console) -> AtlctlError:
    import traceback

    console.debug(traceback.format_exc().rstrip())
    return AtlctlError(f"{exc.__class__.__name__}: {exc}")
