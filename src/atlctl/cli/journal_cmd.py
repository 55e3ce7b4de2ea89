"""See and remove the journals of runs (runFromCsv, run --resume) kept in the state directory."""

from __future__ import annotations

import json
import os

from atlctl.errors import ParameterError
from atlctl.products.base import Action, Param

POSITIONAL = "journal"


def _journals(run) -> list[str]:
    from atlctl.batch.actions import SUFFIX, journal_dir

    directory = journal_dir(run.env.environ)
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIX))
    except FileNotFoundError:
        return []
    return [os.path.join(directory, n) for n in names]


def _summary(path: str) -> dict:
    records = []
    with open(path, "rb") as handle:
        for line in handle:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue  # a partial last line (a run killed mid-write): the run resumes past it
    runs = [r for r in records if r.get("type") == "run"]
    rows = {}
    for record in records:
        if record.get("type") in ("done", "failed", "unknown"):
            rows[record.get("row")] = record["type"]
    counts = {kind: sum(1 for v in rows.values() if v == kind) for kind in ("done", "failed", "unknown")}
    first = runs[0] if runs else {}
    return {"journal": path, "action": first.get("action"), "input": first.get("input"),
            "started": runs[-1].get("started") if runs else None,
            "finished": bool(records) and records[-1].get("type") == "complete", **counts}


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
    state = "finished" if s["finished"] else "unfinished (--resume continues it)"
    return (f"{os.path.basename(s['journal'])}: {s['action']} of {s['input']}, started {s['started']}, {state}; "
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
        run.console.out("\n".join(f"{key}: {value}" for key, value in summary.items()))
    return 0


def clear(run) -> int:
    if run["journal"] is None and not run["all"]:
        raise ParameterError("Give the journal to remove, or --all: atlctl journal clear NAME|--all.")
    removed = _find(run, run["journal"])
    for path in removed:
        os.remove(path)
    run.console.out(f"Removed {len(removed)} journal{'s' if len(removed) != 1 else ''}.")
    return 0


COMMANDS = (
    Action("list", "journal", "List the journals of runs in the state directory: action, input, finished or not, "
           "rows done, failed and of unknown outcome.", list_journals, needs=frozenset()),
    Action("show", "journal", "Show one journal (by name, or by its input file).", show, needs=frozenset(),
           example="atlctl journal show issues.csv"),
    Action("clear", "journal", "Remove a journal (by name or input file), or every one with --all.", clear,
           params=(Param("all", "Remove every journal.", flag=True),), needs=frozenset(),
           example="atlctl journal clear --all"),
)
