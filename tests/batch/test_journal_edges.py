"""Review of issue 16: journals at their edges. `atlctl journal list|show|clear` on what a state
directory can hold besides healthy journals (a damaged journal, something that is not a file, a
journal a running run holds); an input that can be read only once (a pipe); a state directory that
cannot be made. Each is a clear line and a documented exit code, never a lost row."""

import fcntl
import json
import os

from tests.helpers import run


def _state(tmp_path):
    directory = tmp_path / "state" / "atlctl" / "journals"
    directory.mkdir(parents=True)
    return {"XDG_STATE_HOME": str(tmp_path / "state")}, directory


def _journal(directory, name, *records):
    path = directory / name
    header = {"type": "run", "format": "atlctl-journal", "version": 1, "action": "runFromCsv",
              "input": "/data/rows.csv", "started": "2026-01-01T00:00:00+0000"}
    path.write_text("".join(json.dumps(r) + "\n" for r in (header, *records)))
    return path


def test_a_damaged_journal_is_listed_as_damaged_and_can_be_cleared(tmp_path):
    environ, directory = _state(tmp_path)
    _journal(directory, "good.journal", {"type": "done", "row": 1, "digest": "d"}, {"type": "complete"})
    damaged = _journal(directory, "damaged.journal", {"type": "done", "row": 1, "digest": "d"}, [1], 5)
    listed = run("journal", "list", environ=environ)
    assert listed.code == 0, listed.text
    assert "good.journal: runFromCsv of /data/rows.csv" in listed.out and "1 done" in listed.out
    assert "damaged.journal: damaged (a line is not a journal record)" in listed.out
    shown = run("journal", "show", "damaged.journal", environ=environ)
    assert shown.code == 0 and "damaged: a line is not a journal record" in shown.out, shown.text
    assert run("journal", "show", "rows.csv", environ=environ).code == 254  # no journal of it, not a crash
    cleared = run("journal", "clear", "damaged.journal", environ=environ)
    assert (cleared.code, cleared.out) == (0, "Removed 1 journal.\n"), cleared.text
    assert not damaged.exists() and (directory / "good.journal").exists()


def test_a_file_that_is_not_a_journal_is_listed_as_damaged_not_resumable(tmp_path):
    environ, directory = _state(tmp_path)
    (directory / "zz.journal").write_bytes(b"garbage\x00\xff")
    (directory / "other.journal").write_text('{"type": "done", "row": 1}\n')
    (directory / "empty.journal").write_bytes(b"")
    listed = run("journal", "list", environ=environ)
    assert listed.code == 0, listed.text
    assert "zz.journal: damaged (not a journal); `atlctl journal clear zz.journal` removes it" in listed.out
    assert "other.journal: damaged (not a journal)" in listed.out
    assert "empty.journal: damaged (empty, no run recorded)" in listed.out
    assert "None" not in listed.out and "--resume" not in listed.out
    shown = run("journal", "show", "zz.journal", environ=environ)
    assert shown.code == 0 and shown.out == f"journal: {directory / 'zz.journal'}\ndamaged: not a journal\n"


def test_show_lists_the_rows_that_failed_and_their_errors(tmp_path):
    environ, directory = _state(tmp_path)
    _journal(directory, "rows.journal",
             {"type": "done", "row": 1, "digest": "a"},
             {"type": "failed", "row": 2, "digest": "b", "error": "Remote error: Issue does not exist.", "code": 253},
             {"type": "unknown", "row": 3, "digest": "c", "error": "Client error: connection lost.", "mark": None},
             {"type": "failed", "row": 4, "digest": "d", "error": "Parameter error: bad date.", "code": 254},
             {"type": "run", "format": "atlctl-journal", "version": 1, "action": "runFromCsv",
              "input": "/data/rows.csv", "started": "2026-01-02T00:00:00+0000"},
             {"type": "done", "row": 4, "digest": "d"})  # the resume did row 4
    shown = run("journal", "show", "rows.journal", environ=environ)
    assert shown.code == 0, shown.text
    assert "done: 2\nfailed: 1\nunknown: 1\n" in shown.out
    assert shown.out.endswith("failed rows:\n  row 2: Remote error: Issue does not exist.\n"
                              "unknown rows:\n  row 3: Client error: connection lost.\n")
    assert "row 4" not in shown.out


def test_what_is_not_a_file_is_no_journal(tmp_path):
    environ, directory = _state(tmp_path)
    (directory / "odd.journal").mkdir()
    assert run("journal", "list", environ=environ).out == "No journals.\n"
    cleared = run("journal", "clear", "--all", environ=environ)
    assert (cleared.code, cleared.out) == (0, "Removed 0 journals.\n"), cleared.text
    assert (directory / "odd.journal").is_dir()


def test_a_journal_in_use_by_a_run_is_not_removed(tmp_path):
    """Removing it would leave the running run without its crash protection: killed, its resume
    would find no journal and create every finished row again."""
    environ, directory = _state(tmp_path)
    path = _journal(directory, "running.journal", {"type": "intent", "row": 1, "digest": "d", "mark": None})
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as Journal.start holds it for the whole run
        cleared = run("journal", "clear", "--all", environ=environ)
        assert cleared.code == 255 and "Another atlctl process is using the journal" in cleared.err, cleared.text
        assert "Traceback" not in cleared.text and path.exists()
    finally:
        os.close(fd)
    assert run("journal", "clear", "--all", environ=environ).code == 0 and not path.exists()


def test_a_journal_that_cannot_be_removed_is_a_clear_error(tmp_path, monkeypatch):
    environ, directory = _state(tmp_path)
    path = _journal(directory, "kept.journal", {"type": "complete"})

    def refused(name):
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(os, "remove", refused)  # a read-only state directory (the tests may run as root)
    cleared = run("journal", "clear", "kept.journal", environ=environ)
    assert cleared.code == 255, cleared.text
    assert f"Cannot remove the journal {path}: Permission denied." in cleared.err and "Traceback" not in cleared.text


def _piped(text):
    """An input that can be read once, as `--file <(...)` or `--file /dev/stdin` from a pipe give it."""
    read, write = os.pipe()
    os.write(write, text.encode())
    os.close(write)
    return read, f"/dev/fd/{read}"


def test_a_piped_csv_runs_every_row_without_a_journal(fake, tmp_path):
    """Hashing a pipe for its journal's name used to read it up: 0 rows ran, 'Run completed successfully'."""
    read, path = _piped("name\nA\nB\n")
    try:
        outcome = run("fake", "runFromCsv", "--file", path, "--common", "--action addThing",
                      environ={"XDG_STATE_HOME": str(tmp_path)})
    finally:
        os.close(read)
    assert outcome.code == 0, outcome.text
    assert fake.things == ["A", "B"] and "2 actions were successful" in outcome.out
    assert not (tmp_path / "atlctl" / "journals").exists() or not os.listdir(tmp_path / "atlctl" / "journals")


def test_a_piped_input_cannot_be_resumed_without_a_journal_of_its_own(fake, tmp_path):
    read, path = _piped("name\nA\n")
    try:
        outcome = run("fake", "runFromCsv", "--file", path, "--common", "--action addThing", "--resume")
    finally:
        os.close(read)
    assert outcome.code == 254 and "--resume needs the journal: give --journal FILE" in outcome.err, outcome.text
    assert fake.things == []


def test_a_state_directory_that_cannot_be_made_is_a_clear_error(fake, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    rows = tmp_path / "rows.csv"
    rows.write_text("name\nA\n")
    outcome = run("fake", "runFromCsv", "--file", rows, "--common", "--action addThing",
                  environ={"XDG_STATE_HOME": str(blocker)})
    assert outcome.code == 255, outcome.text
    assert f"Cannot keep the journal in {blocker}/atlctl/journals: Not a directory." in outcome.err
    assert fake.things == []
