"""See and remove the journals of runs (runFromCsv, run --resume) kept in the state directory."""

from __future__ import annotations

import json
import os

from atlctl.errors import ClientError, ParameterError
from atlctl.products.base import Action, Param

POSITIONAL = "journal"


def _journals(run) -> list[str]:
    from atlctl.batch.actions import SUFFIX, journal_dir

    directory = journal_dir(run.env.environ)
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIX))
    except FileNotFoundError:
        return []
    return [path for path in (os.path.join(directory, n) for n in names) if os.path.isfile(path)]


def _summary(path: str) -> dict:
    from atlctl.batch.journal import FORMAT, OUTCOMES

    records, damaged = [], None
    try:
        with open(path, "rb") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if isinstance(record, dict):
                    records.append(record)
                elif line.endswith(b"\n"):  # (a partial last line is a run killed mid-write: it resumes past it)
                    damaged = "a line is not a journal record"
            read = handle.tell()
    except OSError as exc:
        return {"journal": path, "damaged": f"cannot be read: {exc.strerror}"}
    if not records or records[0].get("type") != "run" or records[0].get("format") != FORMAT:
        return {"journal": path, "damaged": "not a journal" if read else "empty, no run recorded"}
    runs = [r for r in records if r.get("type") == "run"]
    rows = {}  # row -> its latest outcome (a resume's wins)
    for record in records:
        if record.get("type") in OUTCOMES:
            rows[record.get("row")] = record
    counts = {kind: sum(1 for r in rows.values() if r["type"] == kind) for kind in OUTCOMES}
    return {"journal": path, "action": runs[0].get("action"), "input": runs[0].get("input"),
            "started": runs[-1].get("started"), "finished": records[-1].get("type") == "complete", **counts,
            "rows": {row: r for row, r in rows.items() if r["type"] != "done"},
            **({"damaged": damaged} if damaged else {})}


def _find(run, word: str | None) -> list[str]:
    journals = _journals(run)
    if word is None:
        return journals
    chosen = [j for j in journals if j == word or os.path.basename(j) == word
              or _summary(j).get("input") in (word, os.path.abspath(word), f"file: {word}")]
    if not chosen:
        raise ParameterError(f"No journal {word}: `atlctl journal list` shows them (by name or input file).")
    return chosen


def _line(s: dict) -> str:
    name = os.path.basename(s["journal"])
    if "damaged" in s:
        return f"{name}: damaged ({s['damaged']}); `atlctl journal clear {name}` removes it"
    state = "finished" if s["finished"] else "unfinished (--resume continues it)"
    return (f"{name}: {s['action']} of {s['input']}, started {s['started']}, {state}; "
            f"{s['done']} done, {s['failed']} failed, {s['unknown']} unknown")


def list_journals(run) -> int:
    journals = _journals(run)
    if not journals:
        run.console.out("No journals.")
    for path in journals:
        run.console.out(_line(_summary(path)))
    return 0


def show(run) -> int:
    if run["journal"] is None:
        raise ParameterError("Give the journal: atlctl journal show NAME (`atlctl journal list` shows them).")
    for path in _find(run, run["journal"]):
        summary = _summary(path)
        rows = summary.pop("rows", {})
        lines = [f"{key}: {value}" for key, value in summary.items()]
        for kind in ("failed", "unknown"):  # what the file records of each row that is not done
            listed = [f"  row {row}: {r.get('error') or 'no error recorded'}" for row, r in rows.items()
                      if r["type"] == kind]
            lines += [f"{kind} rows:", *listed] if listed else []
        run.console.out("\n".join(lines))
    return 0


def clear(run) -> int:
    if run["journal"] is None and not run["all"]:
        raise ParameterError("Give the journal to remove, or --all: atlctl journal clear NAME|--all.")
    removed, refusals = 0, []
    for path in _find(run, run["journal"]):
        try:
            _remove(path)
            removed += 1
        except ClientError as exc:
            refusals.append(str(exc))
    run.console.out(f"Removed {removed} journal{'s' if removed != 1 else ''}.")
    if refusals:
        raise ClientError(" ".join(refusals))
    return 0


def _remove(path: str) -> None:
    """Not a journal a running run holds (killed, it could not resume without it): removed under its lock."""
    from atlctl.batch.journal import lock

    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            lock(fd, path)
            os.remove(path)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ClientError(f"Cannot remove the journal {path}: {exc.strerror}.") from None


COMMANDS = (
    Action("list", "journal", "List the journals of runs in the state directory: action, input, finished or not, "
           "rows done, failed and of unknown outcome.", list_journals, needs=frozenset()),
    Action("show", "journal", "Show one journal (by name, or by its input file).", show, needs=frozenset(),
           example="atlctl journal show issues.csv"),
    Action("clear", "journal", "Remove a journal (by name or input file), or every one with --all.", clear,
           params=(Param("all", "Remove every journal.", flag=True),), needs=frozenset(),
           example="atlctl journal clear --all"),
)
