"""The crash test: a bulk create over a CSV, run by the installed `atlctl`, is killed with SIGKILL at
several random points and resumed each time; in the end the sandbox has exactly one issue per row."""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

from tests.batch.test_e2e import summaries, write_csv

ROWS = 60
KILLS = 5
ATLCTL = os.path.join(os.path.dirname(sys.executable), "atlctl")


def done_rows(journal: str) -> int:
    try:
        with open(journal, "rb") as handle:
            return handle.read().count(b'"type":"done"')
    except FileNotFoundError:
        return 0


def test_sigkill_at_random_points_then_resume_creates_each_row_once(sandbox, tmp_path):
    rng = random.Random(20240501)
    marker = f"crash{rng.randrange(10**6)}"
    rows = [f"{marker} row {n:03d}" for n in range(ROWS)]
    path = write_csv(tmp_path, rows)
    journal = path + ".atlctl-journal"
    # slow creates widen the window between "sent" and "answered", where a kill hurts most
    sandbox.settings({"jira": {"faults": [{"path": "/rest/api/2/issue", "method": "POST", "kind": "slow", "seconds": 0.02}]}})
    command = [ATLCTL, "jira", "runFromCsv", "--file", path, "--common", "--action createIssue --project DEMO --type Task",
               "--threads", "4", "--resume", "--server", sandbox.jira, "--user", "admin", "--password", "admin"]
    environ = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    killed = 0
    for point in sorted(rng.sample(range(1, ROWS - 5), KILLS)):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environ)
        while process.poll() is None and done_rows(journal) < point:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.03))  # somewhere inside the next requests
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
        assert process.returncode in (0, -signal.SIGKILL), process.stderr.read().decode()
        process.stderr.close()
    assert killed >= 3  # the test really interrupted the run
    final = subprocess.run(command, capture_output=True, text=True, env=environ)
    assert final.returncode == 0, final.stderr
    counts = Counter(summaries(sandbox, marker))
    assert sorted(counts) == rows
    assert set(counts.values()) == {1}, {summary: n for summary, n in counts.items() if n != 1}
