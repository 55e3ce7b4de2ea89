"""The bulk engine against the `fake` product (no server): echo and summary lines, variables,
failures with and without --continue, --simulate, threads and input order, bounded memory."""

import io

import pytest

from atlctl.cli.main import main
from atlctl.environment import Environment
from tests.helpers import run, secret


def script(tmp_path, text, name="script.txt"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_run_echoes_lines_and_sums_up(fake, tmp_path):
    path = script(tmp_path, "# make one\n--action addThing --name A\n\nfake getValue --value \"x y\"\n")
    outcome = run("fake", "run", "--file", path)
    assert outcome.code == 0, outcome.err
    assert outcome.out.splitlines() == [
        "# make one",
        "Run: --action addThing --name A",
        "Thing T-1 added.",
        'Run: fake getValue --value "x y"',
        "Value x y",
        f"Run completed successfully. 2 actions were successful from file: {path}",
    ]
    assert outcome.err == ""


def test_variables_and_reference(fake, tmp_path):
    path = script(tmp_path, "\n".join([
        "--action addThing --name first --reference parent",
        "--action addThing --name second",
        "--action getValue --value @thing@/@parent@/@thingId@/@nobody@",
    ]))
    outcome = run("fake", "run", "--file", path)
    assert outcome.code == 0, outcome.err
    assert "Run: --action getValue --value T-2/T-1/2/@nobody@" in outcome.out
    assert "Value T-2/T-1/2/@nobody@" in outcome.out
    assert outcome.err == ("Warning: @nobody@ is not defined (no earlier action set it, no --reference named it), so "
                           "it is left as written.\n")


def test_an_undefined_variable_is_warned_once_with_threads_and_not_in_a_simulate(fake):
    argv = ["fake", "runFromList", "--list", "a,b,c,d,e,f", "--threads", "3",
            "--common", "--action getValue --value @entry@/@nope@/@nope@"]
    outcome = run(*argv)
    assert outcome.code == 0 and outcome.out.count("/@nope@/@nope@") == 12
    assert outcome.err.count("Warning: @nope@ is not defined") == 1 and "@entry@" not in outcome.err
    simulated = run(*argv, "--simulate")  # actions that would set variables do not run: nothing to tell
    assert simulated.code == 0 and simulated.err == ""


def test_failure_stops_the_run_with_the_actions_exit_code(fake, tmp_path):
    path = script(tmp_path, "--action getValue --value 1\n--action getValue --value 2 --fail 253\n"
                            "--action addThing --name never\n")
    outcome = run("fake", "run", "--file", path)
    assert outcome.code == 253
    assert fake.things == []
    assert outcome.err.splitlines() == [
        "Remote error: asked to fail with 253",
        "REMOTE_EXCEPTION running: --action getValue --value 2 --fail 253",
        f"Client error: 1 actions failed, 1 actions were successful from file: {path}",
    ]


def test_continue_runs_every_line_and_exits_255(fake, tmp_path):
    path = script(tmp_path, "--action getValue --value 1 --fail 254\n--action addThing --name A\n"
                            "--action nosuchAction\n--action addThing --name B\n")
    outcome = run("fake", "run", "--file", path, "--continue")
    assert outcome.code == 255
    assert fake.things == ["A", "B"]
    assert "PARAMETER_PROBLEM running: --action nosuchAction" in outcome.err
    assert "Invalid action specified: nosuchAction" in outcome.err
    assert outcome.err.splitlines()[-1] == f"Client error: 2 actions failed, 2 actions were successful from file: {path}"


def test_unexpected_failure_of_a_line_is_157_without_traceback(fake, tmp_path):
    path = script(tmp_path, "--action getValue --value 1 --fail boom\n")
    outcome = run("fake", "run", "--file", path)
    assert outcome.code == 157
    assert "Exception: RuntimeError: asked to fail with boom" in outcome.err and "Traceback" not in outcome.err
    assert "FAILURE running:" in outcome.err


def test_simulate_sends_nothing_but_checks_parameters(fake, tmp_path):
    path = script(tmp_path, "--action addThing --name A\n--action addThing --nmae typo\n")
    outcome = run("fake", "run", "--file", path, "--simulate", "--continue")
    assert fake.values == []
    assert outcome.out.splitlines()[:2] == ["Simulate: --action addThing --name A", "Simulate: --action addThing --nmae typo"]
    assert "Unknown parameter: --nmae" in outcome.err and outcome.code == 255
    ok = run("fake", "run", "--file", script(tmp_path, "--action addThing --name A\n", "ok.txt"), "--simulate")
    assert ok.code == 0 and ok.out.splitlines()[-1].startswith("Simulate completed successfully. 1 actions would run")


def test_script_from_stdin_and_find_replace(fake):
    outcome = run("fake", "run", "--findReplace", "@who@:alice,'x,y':z", stdin="--action getValue --value @who@-x,y\n")
    assert outcome.code == 0, outcome.err
    assert "Value alice-z" in outcome.out and "from standard input" in outcome.out


def test_common_is_appended_to_every_line(fake):
    outcome = run("fake", "run", "--common", "--wait 0", stdin="--action getValue --value 1\n--action getValue --value 2\n")
    assert outcome.code == 0, outcome.err
    assert "Run: --action getValue --value 1 --wait 0" in outcome.out
    assert [v["wait"] for v in fake.values] == ["0", "0"]


def test_run_connection_parameters_apply_to_every_line(fake):
    outcome = run("fake", "run", "--server", "https://a.example", "--user", "alice",
                  stdin="--action getValue --value 1\n--action getValue --value 2 --server https://b.example\n")
    assert outcome.code == 0, outcome.err
    assert [(v["server"], v["user"]) for v in fake.values] == [("https://a.example", "alice"), ("https://b.example", "alice")]
    assert "https://a.example" not in outcome.out  # the echo shows the line as written


def test_a_broken_config_file_is_read_only_for_a_line_that_may_name_a_profile(fake, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("this is [not toml\n")
    environ = {"ATLCTL_CONFIG": str(config)}
    outcome = run("fake", "run", "--server", "https://a.example", environ=environ,
                  stdin="getValue --value 1\nfake getValue --value 2\n--action getValue --value 3\n")
    assert outcome.code == 0, outcome.err
    outcome = run("fake", "run", "--server", "https://a.example", environ=environ, stdin="work getValue --value 1\n")
    assert outcome.code == 255 and "not valid TOML" in outcome.err


def test_a_secret_of_two_characters_in_a_script_line_is_masked(fake):
    """Review of issue 16: it was echoed as written (secrets under 3 characters were never masked)."""
    outcome = run("fake", "run", stdin="--action addThing --name A --password zq\n--action addThing --name B --secret=k9\n")
    assert outcome.code == 0, outcome.text
    assert "Run: --action addThing --name A --password ****" in outcome.out
    assert "Run: --action addThing --name B --secret=****" in outcome.out
    assert "zq" not in outcome.text and "k9" not in outcome.text


def test_secrets_in_script_lines_are_masked(fake):
    outcome = run("fake", "run", stdin="--action addThing --name A --secret hunter2x --password sw0rdfish\n")
    assert outcome.code == 0, outcome.err
    assert "hunter2x" not in outcome.text and "sw0rdfish" not in outcome.text
    assert "Run: --action addThing --name A --secret **** --password ****" in outcome.out


@pytest.mark.parametrize("line, echo", [
    ('--action addThing --password s3cr3t-x --name "open', "Run: --action addThing --password ****"),
    ('--action addThing --name A --password "s3cr3t x-y', "Run: --action addThing --name A --password ****"),
    ('--action addThing --name A -ps3cr3t x-y "', "Run: --action addThing --name A ****"),
])
def test_secrets_in_a_line_that_cannot_parse_are_masked(fake, line, echo):
    """The line cannot be split into words, so everything after the secret option is masked."""
    outcome = run("fake", "run", stdin=line + "\n")
    assert outcome.code == 254 and "closing double quote" in outcome.err
    assert "s3cr3t" not in outcome.text and "x-y" not in outcome.text
    assert outcome.out.splitlines()[0] == echo


@pytest.mark.parametrize("simulate", [[], ["--simulate"]])
def test_secrets_attached_to_short_options_are_masked(fake, simulate):
    script = ("getValue --value 1 -pSh0rt1x\n"  # short secrets are masked as whole words only
              "getValue --value 2 -tSh0rt2x --bogus\n"  # cannot parse: echoed twice
              "getValue --value 3 -vp=Sh0rt3x\n"  # -v, then -p
              "addThing --name A --secret=L0ng4x\n")
    for value in ("Sh0rt1x", "Sh0rt2x", "Sh0rt3x", "L0ng4x"):
        secret(value)  # run() fails on any leak
    outcome = run("fake", "run", "--continue", *simulate, stdin=script)
    assert outcome.code == 255 and "Unknown parameter: --bogus" in outcome.err
    assert "getValue --value 1 ****\n" in outcome.out and "-vp=****\n" in outcome.out
    assert "getValue --value 2 **** --bogus\n" in outcome.err and "--secret=****\n" in outcome.out


def test_a_secret_from_stdin_is_read_once_for_every_line(fake, tmp_path):
    path = script(tmp_path, "--action getValue --value 1\n--action getValue --value 2 --user bob\n")
    outcome = run("fake", "run", "--file", path, "-p", "-", stdin=secret("-d4sh-pw") + "\n")
    assert outcome.code == 0, outcome.err
    assert [(v["password"], v["user"]) for v in fake.values] == [("-d4sh-pw", None), ("-d4sh-pw", "bob")]


def test_stdin_cannot_hold_both_script_and_secret(fake):
    outcome = run("fake", "run", "--password", "-", stdin="--action getValue --value 1\n")
    assert outcome.code == 254 and "standard input" in outcome.err


def test_unclosed_quote_fails_that_line_only(fake):
    outcome = run("fake", "run", "--continue", stdin='--action getValue --value "open\n--action getValue --value ok\n')
    assert outcome.code == 255 and "Value ok" in outcome.out and "closing double quote" in outcome.err


def test_run_from_list(fake):
    outcome = run("fake", "runFromList", "--list", "a,'b,c'", "--common", "--action getValue --value @entry@")
    assert outcome.code == 0, outcome.err
    assert "Value a\n" in outcome.out and "Value b,c\n" in outcome.out
    assert outcome.out.splitlines()[-1] == "Run completed successfully. 2 actions were successful from list"


def test_run_from_csv(fake, tmp_path):
    path = script(tmp_path, "name,wait\nA,0\n\"B, with comma\",\n-negative,\n--double,\n", "rows.csv")
    outcome = run("fake", "runFromCsv", "--file", path, "--common", "--action addThing")
    assert outcome.code == 0, outcome.err
    assert fake.things == ["A", "B, with comma", "-negative", "--double"]  # a value may start with -
    assert 'Run: --name "B, with comma" --action addThing' in outcome.out
    assert "Run: --name -negative --action addThing" in outcome.out


def test_csv_needs_a_file_and_list_needs_common(fake):
    assert run("fake", "runFromCsv").code == 254
    assert "common" in run("fake", "runFromList", "--list", "a").err


@pytest.mark.parametrize("threads", ["0", "x", "65", "²"])
def test_threads_must_be_sensible(fake, tmp_path, threads):
    outcome = run("fake", "runFromList", "--list", "a", "--common", "--action getValue --value 1", "--threads", threads)
    assert outcome.code == 254 and "--threads" in outcome.err


def test_threads_run_together_and_report_in_input_order(fake):
    fake.barrier = __import__("threading").Barrier(4)
    entries = ",".join(str(n) for n in range(8))
    outcome = run("fake", "runFromList", "--list", entries, "--common", "--action addThing --name @entry@",
                  "--threads", "4")
    assert outcome.code == 0, outcome.err
    assert fake.most_active == 4
    reported = [line.split()[-1] for line in outcome.out.splitlines() if line.startswith("Run:")]
    assert reported == [str(n) for n in range(8)]


def test_threads_are_bounded(fake):
    entries = ",".join(str(n) for n in range(30))
    outcome = run("fake", "runFromList", "--list", entries, "--common", "--action getValue --value @entry@ --wait 0.01",
                  "--threads", "3")
    assert outcome.code == 0 and 1 <= fake.most_active <= 3


def test_threads_stop_after_a_failure_without_continue(fake):
    entries = ",".join(str(n) for n in range(200))
    outcome = run("fake", "runFromList", "--list", entries, "--common", "--action addThing --name @entry@ --fail @fail@",
                  "--findReplace", "--fail @fail@:", "--threads", "2")
    assert outcome.code == 0  # sanity: with the replacement no row fails
    fake.reset()
    outcome = run("fake", "runFromList", "--list", "ok,ok,bad," + entries, "--common",
                  "--action getValue --value @entry@ --fail 25@entry@", "--threads", "2")
    assert outcome.code == 157  # "25ok" is no exit code: RuntimeError
    assert len(fake.values) <= 5  # the rows in flight, never the whole list


def test_reading_ahead_is_bounded_by_the_window(fake, monkeypatch):
    consumed = []

    def endless(entries, common, pairs=(), variable=None):
        from atlctl.batch.steps import Step

        for n in range(1, 10**9):
            consumed.append(n)
            yield Step(n, common, ("--action", "getValue", "--value", str(n), "--fail", "253" if n == 5 else ""),
                       digest=str(n))

    monkeypatch.setattr("atlctl.batch.steps.list_steps", endless)
    outcome = run("fake", "runFromList", "--list", "x", "--common", "c", "--threads", "3")
    assert outcome.code == 253
    assert len(consumed) <= 5 + 2 * 3 + 1


def _tty_run(*argv, quiet=False):
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(""), stdout=stdout, stderr=stderr, environ={}, stdin_isatty=False,
                      stderr_isatty=True)
    code = main(list(argv) + (["--quiet"] if quiet else []), env)
    return code, stdout.getvalue(), stderr.getvalue()


def test_progress_bar_only_on_a_terminal_and_not_quiet(fake):
    argv = ["fake", "runFromList", "--list", "a,b,c", "--common", "--action getValue --value @entry@"]
    code, out, err = _tty_run(*argv)
    assert code == 0 and "0/3" in err and "action/s" in err
    code, out, err = _tty_run(*argv, quiet=True)
    assert code == 0 and err == "" and out == ""
    assert run(*argv).err == ""


def test_a_line_cannot_start_a_run_of_a_file(fake, tmp_path):
    path = tmp_path / "self.txt"
    path.write_text(f"run --file {path}\n"  # would run itself without end
                    "--action runFromCsv --file rows.csv\n"
                    "--action getValue --value 1\n")
    for simulate in ([], ["--simulate"]):
        outcome = run("fake", "run", "--file", path, "--continue", *simulate)
        assert outcome.code == 255, outcome.err
        assert outcome.err.count("cannot start another run") == 2
        assert f"PARAMETER_PROBLEM running: run --file {path}" in outcome.err
        assert "2 actions failed, 1 actions were successful" in outcome.err
    assert fake.values == [{**fake.values[0], "value": "1"}]


def test_a_line_may_start_a_list_run_one_level_deep(fake, tmp_path):
    path = tmp_path / "lists.txt"
    path.write_text('runFromList --list a,b --common "--action getValue --value @entry@"\n'
                    '--action getValue --value 1\n'
                    'runFromList --list x --common "--action runFromList --list y --common ""--action getValue"""\n')
    outcome = run("fake", "run", "--file", path, "--continue")
    assert [v["value"] for v in fake.values] == ["a", "b", "1"]
    lines = outcome.out.splitlines()
    started = lines.index('Run: runFromList --list a,b --common "--action getValue --value @entry@"')
    assert lines[started + 1] == "Run: --action getValue --value a"  # its rows come after it
    assert "Run completed successfully. 2 actions were successful from list" in outcome.out
    assert "cannot start another run" in outcome.err and "1 actions failed, 0 actions were successful" in outcome.err
    assert outcome.code == 255 and "1 actions failed, 2 actions were successful" in outcome.err
