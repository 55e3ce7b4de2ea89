"""The journal and --resume against the `fake` product: finished rows are skipped, rows that may
have been sent are settled before anything is sent again, the input must not change."""

import json
import os
import stat

import pytest

from atlctl.batch.journal import Journal
from atlctl.errors import ClientError
from tests.helpers import journal_of, run

COMMON = "--action addThing"


def csv(tmp_path, names, name="rows.csv", column="name"):
    path = tmp_path / name
    path.write_text(f"{column}\n" + "".join(f"{n}\n" for n in names))
    return str(path)


def records(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle]


def bulk(path, *extra):
    return run("fake", "runFromCsv", "--file", path, "--common", COMMON, *extra)


def test_a_run_journals_each_row(fake, tmp_path):
    path = csv(tmp_path, ["A", "B"])
    outcome = bulk(path)
    assert outcome.code == 0, outcome.err
    journal = journal_of(path)
    assert stat.S_IMODE(os.stat(journal).st_mode) == 0o600
    kinds = [(r["type"], r.get("row")) for r in records(journal)]
    assert kinds == [("run", None), ("intent", 1), ("done", 1), ("intent", 2), ("done", 2), ("complete", None)]
    done = records(journal)[2]
    assert done["variables"] == {"thing": "T-1", "thingId": "1"} and done["message"] == "Thing T-1 added."


def test_scripts_keep_a_journal_only_when_asked(fake, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("--action addThing --name A\n")
    assert run("fake", "run", "--file", str(script)).code == 0
    assert not os.path.exists(journal_of(script))
    assert run("fake", "run", "--file", str(script), "--resume").code == 0  # start, or continue
    assert records(journal_of(script))[-1]["type"] == "complete"


def test_a_fixed_failed_row_may_differ_on_resume(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.fail_on = "B"
    assert bulk(path).code == 253
    csv(tmp_path, ["A", "B2", "C"])
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B2", "C"]


def test_read_only_rows_write_no_intent_and_simulate_no_journal(fake, tmp_path):
    path = csv(tmp_path, ["A"], column="value")
    assert run("fake", "runFromCsv", "--file", path, "--common", "--action getValue").code == 0
    assert [r["type"] for r in records(journal_of(path))] == ["run", "done", "complete"]
    other = csv(tmp_path, ["A"], "other.csv")
    assert bulk(other, "--simulate").code == 0 and not os.path.exists(journal_of(other))


def test_a_finished_journal_is_replaced_by_the_next_run(fake, tmp_path):
    path = csv(tmp_path, ["A"])
    assert bulk(path).code == 0 and bulk(path).code == 0
    assert fake.things == ["A", "A"]  # asked twice, done twice
    assert [r["type"] for r in records(journal_of(path))][0] == "run"
    assert len([r for r in records(journal_of(path)) if r["type"] == "run"]) == 1


def test_an_unfinished_journal_needs_resume(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.die_before = "B"
    assert bulk(path).code == 130
    fake.die_before = None
    outcome = bulk(path)
    assert outcome.code == 255 and "--resume" in outcome.err and "unfinished journal" in outcome.err
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B", "C"]
    assert "Run: --name A" not in outcome.out  # done before: skipped
    assert outcome.out.splitlines()[-1] == (
        f"Run completed successfully. 2 actions were successful (1 done before, see {journal_of(path)}) "
        f"from file: {path}")


def test_killed_after_the_server_did_it_resume_finds_it(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.die_after = "B"
    assert bulk(path).code == 130
    fake.die_after = None
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B", "C"]  # B was not sent again
    assert "Thing T-2 found." in outcome.out
    settled = [r for r in records(journal_of(path)) if r.get("row") == 2][-1]
    assert settled["type"] == "done" and settled["recovered"] is True


def test_failed_rows_run_again_on_resume(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C", "D"])
    fake.fail_on = "B"
    assert bulk(path, "--continue").code == 255
    assert fake.things == ["A", "C", "D"]
    fake.fail_on = None
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "C", "D", "B"]


@pytest.mark.parametrize("keep_going", [True, False])
def test_output_that_cannot_be_written_fails_that_row_after_its_done_record(fake, tmp_path, keep_going):
    path = tmp_path / "rows.csv"
    path.write_text(f"name,file\nA,{tmp_path}/a.json\nB,{path}/b.json\nC,{tmp_path}/c.json\n")
    extra = ["--continue"] if keep_going else []
    outcome = run("fake", "runFromCsv", "--file", path, "--common", "--action addThing --output json", *extra)
    assert outcome.code == 255
    assert f"Cannot write file {path}/b.json" in outcome.err
    assert "CLIENT_EXCEPTION running: --name B --file" in outcome.err
    done = 2 if keep_going else 1
    assert outcome.err.splitlines()[-1] == (
        f"Client error: 1 actions failed, {done} actions were successful from file: {path}")
    assert fake.things == ["A", "B", "C"][:done + 1]
    assert [(r["type"], r["row"]) for r in records(journal_of(path)) if r["type"] in ("done", "failed")] == [
        ("done", row) for row in range(1, done + 2)]  # B was done: only its output failed
    outcome = run("fake", "runFromCsv", "--file", path, "--common", "--action addThing --output json", "--resume")
    if keep_going:  # every row was done: the run finished, there is nothing to resume
        assert outcome.code == 255 and "Nothing to resume" in outcome.err, outcome.err
    else:
        assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B", "C"]


def test_resume_refuses_a_changed_input(fake, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("--action addThing --name A\n--action addThing --name @b@\n--action addThing --name C\n")
    fake.die_before = "C"
    assert run("fake", "run", "--file", str(script), "--findReplace", "@b@:B", "--resume").code == 130
    fake.die_before = None
    outcome = run("fake", "run", "--file", str(script), "--findReplace", "@b@:X", "--resume")
    assert outcome.code == 255 and "input changed" in outcome.err and "row 1 differs" in outcome.err
    script.write_text("--action addThing --name A\n--action addThing --name @b@ --wait 0\n--action addThing --name C\n")
    outcome = run("fake", "run", "--file", str(script), "--findReplace", "@b@:B", "--resume")
    assert outcome.code == 255 and "row 2 differs" in outcome.err
    assert fake.things == ["A", "B"]


def test_variables_of_skipped_rows_are_replayed(fake, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("--action addThing --name A --reference first\n--action addThing --name B\n"
                      "--action getValue --value @first@-@thing@\n")
    fake.die_before = "B"
    assert run("fake", "run", "--file", str(script), "--resume").code == 130
    fake.die_before = None
    outcome = run("fake", "run", "--file", str(script), "--resume")
    assert outcome.code == 0, outcome.err
    assert "Value T-1-T-2" in outcome.out and fake.things == ["A", "B"]


def test_connection_lost_after_sending_is_reported_then_settled(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.lose_after = "B"
    outcome = bulk(path, "--continue")
    assert outcome.code == 255 and "connection was lost" in outcome.err
    assert fake.things == ["A", "B", "C"]  # B was not retried
    unknown = [r for r in records(journal_of(path)) if r["type"] == "unknown"]
    assert unknown[0]["row"] == 2 and unknown[0]["mark"] == {"name": "B"}
    fake.lose_after = None
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B", "C"] and "Thing T-2 found." in outcome.out


def test_a_row_that_cannot_be_checked_is_reported_until_retry_unknown(fake, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("--action touchThing --name A\n--action touchThing --name B\n")
    fake.die_after = "A"
    assert run("fake", "run", "--file", str(script), "--resume").code == 130
    fake.die_after = None
    outcome = run("fake", "run", "--file", str(script), "--resume", "--continue")
    assert outcome.code == 255 and "may or may not have been done" in outcome.err
    assert fake.touched == ["A", "B"]  # A not repeated, B done
    outcome = run("fake", "run", "--file", str(script), "--resume", "--retryUnknown")
    assert outcome.code == 0, outcome.err
    assert fake.touched == ["A", "B", "A"]


def test_threads_crash_and_resume_make_every_row_exactly_once(fake, tmp_path):
    names = [f"N{n}" for n in range(40)]
    path = csv(tmp_path, names)
    fake.die_after = "N17"
    assert bulk(path, "--threads", "4").code == 130
    fake.die_after = None
    outcome = bulk(path, "--threads", "4", "--resume")
    assert outcome.code == 0, outcome.err
    assert sorted(fake.things) == sorted(names)


def test_same_summary_rows_adopt_different_effects(fake, tmp_path):
    path = csv(tmp_path, ["same", "same", "same"])
    fake.lose_after = "same"
    assert bulk(path, "--continue").code == 255
    fake.lose_after = None
    assert fake.things == ["same"] * 3
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["same"] * 3
    assert [line for line in outcome.out.splitlines() if "found" in line] == [
        "Thing T-1 found.", "Thing T-2 found.", "Thing T-3 found."]


def test_resume_without_a_journal_starts_fresh_and_list_needs_a_journal(fake, tmp_path):
    assert bulk(csv(tmp_path, ["A"]), "--resume").code == 0
    outcome = run("fake", "runFromList", "--list", "a", "--common", "--action getValue --value 1", "--resume")
    assert outcome.code == 254 and "--journal" in outcome.err
    journal = str(tmp_path / "list.journal")
    outcome = run("fake", "runFromList", "--list", "a,b", "--common", "--action addThing --name @entry@",
                  "--journal", journal)
    assert outcome.code == 0 and records(journal)[-1]["type"] == "complete"


def test_retry_unknown_goes_with_resume(fake, tmp_path):
    assert bulk(csv(tmp_path, ["A"]), "--retryUnknown").code == 254


def test_journal_of_another_action_is_refused(fake, tmp_path):
    path = csv(tmp_path, ["A"])
    journal = str(tmp_path / "j")
    assert run("fake", "runFromList", "--list", "a", "--common", "--action addThing --name @entry@", "--journal",
               journal, "--fail", "253").code == 254  # (an unknown run parameter: nothing written)
    fake.die_before = "a"
    run("fake", "runFromList", "--list", "a", "--common", "--action addThing --name @entry@", "--journal", journal)
    outcome = bulk(path, "--journal", journal, "--resume")
    assert outcome.code == 255 and "not a journal of runFromCsv" in outcome.err


@pytest.mark.parametrize("sync", ["intent", "none"])
def test_intents_reach_the_disk_before_the_request_unless_told(fake, tmp_path, monkeypatch, sync):
    path = csv(tmp_path, [f"N{n}" for n in range(12)])
    journal = journal_of(path)
    synced, late = [], []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.fstat(fd).st_size), real_fsync(fd)))
    fake.hook = lambda call: late.append(os.path.getsize(journal) > max(synced, default=0))
    assert bulk(path, "--journalSync", sync).code == 0
    assert len(late) == 12
    if sync == "intent":
        assert not any(late) and len(synced) == 1 + 12 + 1  # header, each intent, complete
    else:
        assert synced == []


# -- the journal file itself

def test_a_cut_last_line_is_dropped(tmp_path):
    path = str(tmp_path / "j")
    journal = Journal.start(path, "run", "x", resume=False)
    journal.outcome(1, "d1", "done", variables={"a": "1"})
    journal.close()
    with open(path, "a") as handle:
        handle.write('{"type":"done","row":2,"dig')  # SIGKILL in the middle of a write
    journal = Journal.start(path, "run", "x", resume=True)
    assert [(p.row, p.status) for p in journal.past()] == [(1, "done")]
    journal.close()
    assert all(json.loads(line) for line in open(path))


def test_segments_merge_latest_state_first_row_order(tmp_path):
    path = str(tmp_path / "j")
    first = Journal.start(path, "run", "x", resume=False)
    first.intent(1, "d1", None)
    first.outcome(1, "d1", "done", variables={"v": "1"})
    first.intent(3, "d3", {"m": 3})
    first.intent(2, "d2", {"m": 2})
    first.outcome(2, "d2", "failed", error="Remote error: no")
    first.intent(4, "d4", {"m": 4})
    first.close()  # row 3 and 4: sent, never answered
    second = Journal.start(path, "run", "x", resume=True)
    assert [(p.row, p.status, p.mark) for p in second.past()] == [
        (1, "done", None), (2, "failed", None), (3, "pending", {"m": 3}), (4, "pending", {"m": 4})]
    second.outcome(2, "d2", "done")
    second.outcome(3, "d3", "unknown", mark={"m": 3})
    second.close()
    third = Journal.start(path, "run", "x", resume=True)
    assert [(p.row, p.status, p.segment) for p in third.past()] == [
        (1, "done", 0), (2, "done", 1), (3, "unknown", 1), (4, "pending", 0)]
    assert third.claimed({"1", "9"}) == {"1"}
    third.close()


def test_one_process_per_journal(tmp_path):
    path = str(tmp_path / "j")
    journal = Journal.start(path, "run", "x", resume=False)
    with pytest.raises(ClientError, match="Another atlctl process"):
        Journal.start(path, "run", "x", resume=True)
    journal.close()


def test_damaged_journal_is_refused(tmp_path):
    path = tmp_path / "j"
    path.write_text('{"type":"run","format":"atlctl-journal","version":1,"action":"run"}\nnot json\n')
    journal = Journal.start(str(path), "run", "x", resume=True)
    with pytest.raises(ClientError, match="damaged"):
        list(journal.past())
    journal.close()


def test_unwritable_journal_names_the_option(tmp_path):
    with pytest.raises(ClientError, match="--journal"):
        Journal.start(str(tmp_path / "missing" / "j"), "run", "x", resume=False)


@pytest.mark.parametrize("resume", [[], ["--resume"]])
def test_a_file_that_is_not_a_journal_is_refused_untouched(fake, tmp_path, resume):
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes\nthe last line has no newline")
    outcome = bulk(csv(tmp_path, ["A"]), "--journal", str(notes), *resume)
    assert outcome.code == 255 and "is not an atlctl journal" in outcome.err and "Delete" not in outcome.err
    assert notes.read_bytes() == b"my notes\nthe last line has no newline"
    assert fake.things == []


def test_the_input_cannot_be_its_own_journal(fake, tmp_path):
    path = csv(tmp_path, ["A", "B"])
    script = tmp_path / "s.txt"
    script.write_text("--action addThing --name A")
    for outcome in (bulk(path, "--journal", path),
                    run("fake", "run", "--file", str(script), "--journal", str(tmp_path / "." / "s.txt"))):
        assert outcome.code == 254 and "is the input file" in outcome.err
    assert open(path).read() == "name\nA\nB\n" and script.read_text() == "--action addThing --name A"
    assert fake.things == []


def test_journals_live_in_the_state_directory_and_are_listed_shown_cleared(fake, tmp_path):  # issue 16
    readonly = tmp_path / "checkout"
    readonly.mkdir()
    path = readonly / "rows.csv"
    path.write_text("name\none\ntwo\n")
    readonly.chmod(0o555)
    try:
        state = tmp_path / "state"
        environ = {"XDG_STATE_HOME": str(state)}
        outcome = run("fake", "runFromCsv", "--file", path, "--common", COMMON, environ=environ)
        assert outcome.code == 0, outcome.err
        assert not list(readonly.iterdir())[1:]  # nothing written next to the input
        journals = list((state / "atlctl" / "journals").iterdir())
        assert len(journals) == 1 and journals[0].name.startswith("rows.csv-")
        listed = run("journal", "list", environ=environ)
        assert listed.code == 0 and "runFromCsv of " in listed.out and "finished; 2 done, 0 failed" in listed.out
        shown = run("journal", "show", journals[0].name, environ=environ)
        assert shown.code == 0 and "done: 2" in shown.out and "finished: True" in shown.out
        assert run("journal", "clear", environ=environ).code == 254
        cleared = run("journal", "clear", "--all", environ=environ)
        assert cleared.code == 0 and "Removed 1 journal." in cleared.out
        assert run("journal", "list", environ=environ).out == "No journals.\n"
    finally:
        readonly.chmod(0o755)


# -- issue 16: journals keyed by the input's path and content; a finished run closes its journal

def test_a_changed_input_is_a_new_run_with_its_own_journal(fake, tmp_path):
    path = csv(tmp_path, ["A", "B"])
    fake.die_before = "B"
    assert bulk(path).code == 130
    fake.die_before = None
    earlier = journal_of(path)
    csv(tmp_path, ["A", "B", "C"])
    outcome = bulk(path)  # not refused as "unfinished": this input has never run
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "A", "B", "C"]
    assert journal_of(path) != earlier and records(journal_of(path))[-1]["type"] == "complete"
    assert os.path.exists(earlier)  # the unfinished run of the earlier content is kept, and named
    assert f"an unfinished runFromCsv of an earlier version of {path} remains in the journal {earlier}" in outcome.err


def test_running_a_finished_continue_run_again_is_a_new_run(fake, tmp_path):  # the case in the "Why"
    path = csv(tmp_path, ["A", "B", "C"])
    fake.fail_on = "B"
    assert bulk(path, "--continue").code == 255
    outcome = bulk(path, "--continue")
    assert outcome.code == 255 and "unfinished" not in outcome.err
    assert fake.things == ["A", "C", "A", "C"]
    assert len([r for r in records(journal_of(path)) if r["type"] == "run"]) == 1  # its own journal, once more


def test_resume_of_a_changed_input_is_refused_before_anything_runs(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.fail_on = "A"
    assert bulk(path, "--continue").code == 255  # A failed, B and C done
    fake.fail_on = None
    earlier = journal_of(path)
    csv(tmp_path, ["A", "B2", "C"])  # a row that was done changed
    outcome = bulk(path, "--resume")
    assert outcome.code == 255
    assert outcome.err == (f"Client error: {path} changed since its unfinished runFromCsv (journal {earlier}): row 2 "
                           "differs from the row that ran, so --resume would mix two inputs. Restore the file to "
                           "resume, or run it without --resume for a new run.\n")
    assert fake.things == ["B", "C"]  # row 1 was not run again before the refusal
    assert [r["type"] for r in records(earlier)][-1] == "complete"  # nothing written to it


def test_resume_picks_the_last_unfinished_journal_of_the_input(fake, tmp_path):
    path = csv(tmp_path, ["A", "B", "C"])
    fake.die_before = "B"
    assert bulk(path).code == 130
    csv(tmp_path, ["P", "Q", "R"])
    fake.die_before = "Q"
    assert bulk(path).code == 130
    last = journal_of(path)
    fake.die_before = None
    csv(tmp_path, ["P", "Q", "R", "S"])  # rows that have not run yet may change (here: one more)
    outcome = bulk(path, "--resume")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "P", "Q", "R", "S"]  # P was done in the last run: skipped
    assert "1 done before, see " + journal_of(path) in outcome.out
    assert not os.path.exists(last) and os.path.exists(journal_of(path))  # renamed for the content it now holds


def test_resume_with_nothing_to_resume_says_so(fake, tmp_path):
    path = csv(tmp_path, ["A"])
    assert bulk(path).code == 0
    outcome = bulk(path, "--resume")
    assert outcome.code == 255 and outcome.err == (
        "Client error: Nothing to resume: the last runFromCsv of this input finished with every row done (journal "
        f"{journal_of(path)}). Run it without --resume to run it again, as a new run.\n")
    finished = journal_of(path)
    csv(tmp_path, ["A", "B"])
    outcome = bulk(path, "--resume")
    assert outcome.code == 255 and outcome.err == (
        f"Client error: Nothing to resume: {path} changed since its last runFromCsv, which finished (journal "
        f"{finished}). Run it without --resume for a new run.\n")
    assert fake.things == ["A"]
    assert bulk(path).code == 0 and fake.things == ["A", "A", "B"]
    assert not os.path.exists(finished)  # a new run of the file: the finished journal of its earlier content goes


def test_an_undecodable_changed_input_on_resume_is_a_parameter_problem(fake, tmp_path):
    path = csv(tmp_path, ["A", "B"])
    fake.die_before = "B"
    assert bulk(path).code == 130
    fake.die_before = None
    (tmp_path / "rows.csv").write_bytes(b"name\n\xff\nB\n")
    outcome = bulk(path, "--resume")
    assert outcome.code == 254 and outcome.err.startswith(f"Cannot read file: {path} as utf-8"), outcome.err
    assert fake.things == ["A"]
