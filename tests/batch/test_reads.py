"""How often a bulk run reads its input file (docs/scripting.md, "How often the input is read"): one
open, one pass for the content hash and the row count together, then the run; an input that changes
between the passes is caught."""

import builtins
import io
import json
import os

import pytest

from atlctl.batch.inputs import InputFile
from atlctl.cli.main import main
from atlctl.environment import Environment
from tests.helpers import STATE, journal_of, run

COMMON = "--action addThing"


def csv(tmp_path, names, name="rows.csv"):
    path = tmp_path / name
    path.write_text("name\n" + "".join(f"{n}\n" for n in names))
    return str(path)


def age(path, than, seconds):
    """Set `path`'s modification time `seconds` after (or, negative, before) `than`'s."""
    when = os.stat(than).st_mtime_ns + seconds * 10**9
    os.utime(path, ns=(when, when))


def records(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle]


class Reads:
    """Every open of one file and every byte read from it, whoever reads it."""

    def __init__(self, monkeypatch, path):
        self.opens, self.bytes, self.size = 0, 0, os.path.getsize(path)
        real, reads = builtins.open, self

        class Counted:
            def __init__(self, handle):
                self._handle = handle

            def __getattr__(self, name):
                return getattr(self._handle, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._handle.close()

            def __iter__(self):
                for line in self._handle:
                    reads.bytes += len(line.encode() if isinstance(line, str) else line)
                    yield line

            def read(self, *args):
                data = self._handle.read(*args)
                reads.bytes += len(data.encode() if isinstance(data, str) else data)
                return data

            def readinto(self, buffer):
                count = self._handle.readinto(buffer)
                reads.bytes += count
                return count

        def counting_open(file, *args, **kwargs):
            handle = real(file, *args, **kwargs)
            if isinstance(file, str) and os.path.abspath(file) == os.path.abspath(path):
                reads.opens += 1
                return Counted(handle)
            return handle

        monkeypatch.setattr(builtins, "open", counting_open)

    @property
    def passes(self) -> float:
        return self.bytes / self.size


def bulk(path, *extra, tty=False):
    argv = ["fake", "runFromCsv", "--file", path, "--common", COMMON, *extra]
    return on_a_terminal(*argv)[0] if tty else run(*argv).code


@pytest.mark.parametrize("tty", [False, True], ids=["no progress bar", "progress bar"])
def test_a_run_with_its_default_journal_reads_the_input_twice(fake, tmp_path, monkeypatch, tty):
    path = csv(tmp_path, [f"T{n}" for n in range(200)])
    with monkeypatch.context() as patch:
        reads = Reads(patch, path)
        assert bulk(path, tty=tty) == 0
    assert (reads.opens, reads.passes) == (1, 2)  # hash + count, then the run
    assert records(journal_of(path))[-1]["type"] == "complete" and len(fake.things) == 200


def test_a_resume_of_the_same_content_reads_the_input_twice(fake, tmp_path, monkeypatch):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.die_before = "B"
    assert bulk(path) == 130
    fake.die_before = None
    reads = Reads(monkeypatch, path)
    assert bulk(path, "--resume") == 0
    assert (reads.opens, reads.passes) == (1, 2)
    assert fake.things == ["A", "B", "C"]


def test_a_resume_after_the_file_changed_checks_the_rows_that_ran_in_the_first_pass(fake, tmp_path, monkeypatch):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.die_before = "B"
    assert bulk(path) == 130
    fake.die_before = None
    earlier = journal_of(path)
    csv(tmp_path, ["A", "B", "C", "D"])  # a row added: a new content, the rows that ran unchanged
    age(path, than=earlier, seconds=1)  # edited after the run
    reads = Reads(monkeypatch, path)
    assert bulk(path, "--resume") == 0
    assert (reads.opens, reads.passes) == (1, 2)  # hash + count + the check before anything is sent, the run
    assert fake.things == ["A", "B", "C", "D"]


def test_a_journal_written_to_after_the_first_pass_checked_it_is_checked_again(fake, tmp_path, monkeypatch):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.fail_on = "A"
    assert bulk(path, "--continue") == 255  # A failed, B and C done
    fake.fail_on = None
    earlier = journal_of(path)
    csv(tmp_path, ["A", "B", "C", "D"])
    scan = InputFile.scan

    def scan_then_journal(self, check=None):
        found = scan(self, check)
        with open(earlier) as handle:  # as another process would have, between the check and the run
            lines = handle.read().splitlines()
        with open(earlier, "w") as handle:  # B done with another digest: the rows that ran changed
            changed = json.loads(lines[-2])
            later = [{**json.loads(lines[0]), "started": "later"}, {**changed, "digest": "0" * 16}]
            handle.write("\n".join(lines + [json.dumps(r, separators=(",", ":")) for r in later]) + "\n")
        return found

    with monkeypatch.context() as patch:
        patch.setattr(InputFile, "scan", scan_then_journal)
        reads = Reads(patch, path)
        outcome = run("fake", "runFromCsv", "--file", path, "--common", COMMON, "--resume")
    assert outcome.code == 255 and "row 3 differs from the row that ran" in outcome.err, outcome.err
    assert reads.passes == 2  # the first pass, and the check made again: nothing ran
    assert fake.things == ["B", "C"]


@pytest.mark.parametrize("extra", [["--simulate"], ["--journal", "{tmp}/own.journal"]], ids=["simulate", "own journal"])
def test_a_run_that_needs_no_content_hash_reads_the_input_once(fake, tmp_path, monkeypatch, extra):
    path = csv(tmp_path, ["A", "B"])
    reads = Reads(monkeypatch, path)
    assert bulk(path, *[e.format(tmp=tmp_path) for e in extra]) == 0
    assert (reads.opens, reads.passes) == (1, 1)


def test_an_input_changed_during_the_run_fails_it_and_leaves_the_journal_unfinished(fake, tmp_path, monkeypatch):
    path = csv(tmp_path, ["A", "B"])
    named = journal_of(path)  # the journal of the content the run started with
    with monkeypatch.context() as patch:
        _edit_between_the_passes(patch, path)
        outcome = run("fake", "runFromCsv", "--file", path, "--common", COMMON)
    assert outcome.code == 255
    assert outcome.err.endswith(
        f"Client error: {path} changed while this run read it: the rows that ran may mix two versions of it, so "
        "the journal is left unfinished. Run it again with --resume to check the rows that ran against the file as "
        "it is now and finish, or without --resume for a new run.\n")
    assert "Run completed successfully" not in outcome.out
    assert fake.things == ["A", "B", "C"]
    assert records(named)[-1]["type"] == "done"  # no complete record: not a finished run
    outcome = run("fake", "runFromCsv", "--file", path, "--common", COMMON, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B", "C"]  # every row ran once: the resume found them done
    assert "3 done before" in outcome.out and records(journal_of(path))[-1]["type"] == "complete"


def _edit_between_the_passes(patch, path):
    """Append a row to `path` between the first pass (scan) and the run, as an editor would."""
    scan = InputFile.scan

    def scan_then_edit(self, check=None):
        found = scan(self, check)
        with open(path, "a") as handle:
            handle.write("C\n")
        return found

    patch.setattr(InputFile, "scan", scan_then_edit)


def on_a_terminal(*argv):
    """(exit code, stderr) of atlctl with a terminal on stderr: the progress bar counts the rows first."""
    env = Environment(stdin=io.StringIO(""), stdout=io.StringIO(), stderr=io.StringIO(),
                      environ={"XDG_STATE_HOME": STATE}, stdin_isatty=False, stderr_isatty=True)
    return main(list(argv), env), env.stderr.getvalue()


def test_an_input_changed_between_the_progress_count_and_the_run_fails_it_with_its_own_journal(fake, tmp_path,
                                                                                                monkeypatch):
    """Review finding 5: with --journal FILE on a terminal the first pass counts the rows for the
    progress bar; a change between it and the run is reported as with the default journal."""
    path, own = csv(tmp_path, ["A", "B"]), str(tmp_path / "own.journal")
    with monkeypatch.context() as patch:
        _edit_between_the_passes(patch, path)
        reads = Reads(patch, path)
        code, err = on_a_terminal("fake", "runFromCsv", "--file", path, "--common", COMMON, "--journal", own)
    assert reads.passes > 1  # the progress count read it first
    assert code == 255 and f"Client error: {path} changed while this run read it" in err, err
    assert "the journal is left unfinished" in err and fake.things == ["A", "B", "C"]
    assert records(own)[-1]["type"] == "done"  # no complete record: not a finished run


def test_an_input_changed_between_the_progress_count_and_the_run_fails_a_run_without_a_journal(fake, tmp_path,
                                                                                               monkeypatch):
    path = tmp_path / "script.txt"
    path.write_text("--action addThing --name A\n--action addThing --name B\n")
    with monkeypatch.context() as patch:
        _edit_between_the_passes(patch, str(path))  # "C" alone: a line the run reports as bad
        code, err = on_a_terminal("fake", "run", "--file", str(path), "--continue")
    assert code == 255 and err.rstrip().endswith(
        f"Client error: {path} changed while this run read it: the rows that ran may mix two versions of it. "
        "Check the rows that ran against the file as it is now."), err
    assert fake.things[:2] == ["A", "B"]


def test_a_resume_of_a_run_finished_with_failed_rows_reads_the_journal_once(fake, tmp_path, monkeypatch):
    from atlctl.batch import journal

    path = csv(tmp_path, ["A", "B", "C"])
    fake.fail_on = "B"
    assert bulk(path, "--continue") == 255  # finished, with a failed row: --resume runs it again
    assert records(journal_of(path))[-1] == {"type": "complete", "failed": 1}
    fake.fail_on = None
    age(path, than=journal_of(path), seconds=-1)  # not edited since the run
    read, segments = journal._read_segment, []
    monkeypatch.setattr(journal, "_read_segment", lambda *args: segments.append(args[0]) or read(*args))
    assert bulk(path, "--resume") == 0
    assert fake.things == ["A", "C", "B"]
    assert segments == [journal_of(path)]  # by the run, not also to learn that a row failed


def test_a_journal_finished_before_it_counted_its_failed_rows_is_still_read_right(fake, tmp_path):
    path = csv(tmp_path, ["A", "B"])
    fake.fail_on = "B"
    assert bulk(path, "--continue") == 255
    fake.fail_on = None
    named = journal_of(path)
    with open(named) as handle:
        lines = handle.read().splitlines()
    with open(named, "w") as handle:
        handle.write("\n".join(lines[:-1] + ['{"type":"complete"}']) + "\n")  # as older versions wrote it
    assert bulk(path, "--resume") == 0
    assert fake.things == ["A", "B"]


def test_a_byte_the_encoding_cannot_read_is_reported_before_any_row_runs(fake, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b"name\nA\nB\xff\n")
    outcome = run("fake", "runFromCsv", "--file", path, "--common", COMMON)
    assert outcome.code == 254
    assert outcome.err == f"Cannot read file: {path} as utf-8: invalid start byte. Give its --encoding.\n"
    assert fake.things == []
