"""Issue 16: `atlctl completion SHELL`, tested by running bash, zsh and fish with the generated script
against the installed command: a product, an action, a parameter, an enumerated value and a profile,
with the action as a word (`atlctl jira getIssue`) and in ACLI's form (`atlctl jira --action getIssue`)."""

import os
import shutil
import subprocess

import pytest

from tests.helpers import ATLCTL, _python_path, run

CONFIG = '[profiles.workjira]\nproduct = "jira"\nserver = "https://jira.example.com"\nuser = "alice"\n'

BASH = r'''
source <(atlctl completion bash)
t() {
  COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$1"
  [[ "$1" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=()
  _python_argcomplete atlctl
  echo "$1|${COMPREPLY[*]}"
}
'''
ZSH = r'''
autoload -U compinit && compinit -u
source <(atlctl completion zsh)
_describe() { print -r -- "${(j: :)${(P)2}}" }   # what the script hands zsh's completion system
t() { BUFFER="$1"; CURSOR=${#BUFFER}; words=(${=BUFFER}); print -n -r -- "$1|"; _python_argcomplete }
'''
FISH = r'''
atlctl completion fish | source
function t; echo "$argv[1]|"(complete -C "$argv[1]" | string split -f1 \t | string join ' '); end
'''
PRELUDE = {"bash": BASH, "zsh": ZSH, "fish": FISH}
ARGS = {"bash": ["--norc", "--noprofile", "-c"], "zsh": ["-f", "-c"], "fish": ["--no-config", "-c"]}
CASES = [
    ("atlctl ji", {"jira", "jiracloud"}),  # a product and its ACLI client name
    ("atlctl work", {"workjira"}),  # a profile in place of the product
    ("atlctl jira getIssueL", {"getIssueList"}),  # an action
    ("atlctl jira getIssue --is", {"--issue"}),  # a parameter
    ("atlctl jira getissue --is", {"--issue"}),  # action names are case-insensitive in the word form too
    ("atlctl jira getIssue --output ", {"text", "csv", "json"}),  # an enumerated value
    ("atlctl jira getIssue --profile ", {"workjira"}),  # a profile name as a value
    ("atlctl jira getIssue --auth ", {"auto", "basic", "session", "token"}),
    ("atlctl jira getIssueList --outputFormat ", {"1", "2", "101", "999"}),
    # ACLI's form: the action as --action NAME (or -a NAME, --action=NAME), anywhere after the product
    ("atlctl jira --action getIssueL", {"getIssueList"}),
    ("atlctl jira --action getIssue --is", {"--issue"}),
    ("atlctl jira --server https://jira.example.com -a getissue --is", {"--issue"}),  # names are case-insensitive
    ("atlctl jira --action=getIssueList --outputFormat ", {"1", "2", "101", "999"}),
    ("atlctl workjira --action getIssue --output ", {"text", "csv", "json"}),
    ("atlctl auth status ", {"workjira"}),
    ("atlctl completion ", {"bash", "zsh", "fish"}),
]


def _complete(shell, tmp_path, config_text=CONFIG, cases=CASES):
    config = tmp_path / "config.toml"
    config.write_text(config_text)
    env = {"PATH": os.path.dirname(ATLCTL) + os.pathsep + os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "ATLCTL_CONFIG": str(config), "XDG_CONFIG_HOME": str(tmp_path), **_python_path()}
    lines = "\n".join(f"t '{line}'" for line, _ in cases)
    proc = subprocess.run([shutil.which(shell), *ARGS[shell], PRELUDE[shell] + lines], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = {}
    for line in proc.stdout.splitlines():
        if "|" in line:
            typed, _, words = line.partition("|")
            got[typed] = {w.split(":")[0] for w in words.split()}
    return got


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_in_the_shell(shell, tmp_path):
    if shutil.which(shell) is None:
        pytest.fail(f"{shell} is not installed (.ci/run installs zsh and fish: apt-get install -y zsh fish)")
    got = _complete(shell, tmp_path)
    for typed, wanted in CASES:
        assert wanted <= got.get(typed.rstrip() if shell == "zsh" else typed, got.get(typed, set())), (typed, got)


def test_a_profile_named_like_a_product_or_command_does_not_break_completion(tmp_path):
    """atlctl refuses such names, but a hand-edited config may hold them: they complete as --profile
    values, and everything else still completes (argparse refused the clashing word, so nothing did)."""
    config = CONFIG + ('[profiles.jiracloud]\nproduct = "jira"\nserver = "https://x.atlassian.net"\n'
                       '[profiles.auth]\nproduct = "confluence"\nserver = "https://c.example.com"\n')
    cases = [("atlctl ji", {"jira", "jiracloud"}), ("atlctl jira getIssue --profile ", {"workjira", "jiracloud", "auth"}),
             ("atlctl jira getIssueL", {"getIssueList"}), ("atlctl auth status ", {"workjira", "auth"})]
    got = _complete("bash", tmp_path, config, cases)
    for typed, wanted in cases:
        assert wanted <= got.get(typed, set()), (typed, got)


def test_completion_needs_a_known_shell():
    outcome = run("completion", "tcsh")
    assert outcome.code == 254 and "atlctl completion bash|zsh|fish" in outcome.err
    assert run("completion", "bash").out.count("_python_argcomplete") > 1
