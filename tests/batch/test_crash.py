"""The crash test: a bulk create over a CSV, run by the installed `atlctl`, is killed with SIGKILL at
several random points and resumed each time; in the end the sandbox has exactly one issue per row.

Each kill lands in the window that matters: a proxy between atlctl and the sandbox passes the N-th
create of the run on (the sandbox creates the issue) and holds back the answer, and the test kills
atlctl then. The journal knows that row only as an intent, so a resume must find the issue and
adopt it; the test checks that it did."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter

from tests.batch.test_e2e import summaries, write_csv
from tests.helpers import STATE, journal_of
from tests.proxy import ForwardProxy

ROWS = 80
KILLS = 5
ATLCTL = os.path.join(os.path.dirname(sys.executable), "atlctl")


class HoldingProxy(ForwardProxy):
    """A forward proxy (`--proxy`) that, armed with N, holds back the answer to the N-th issue create."""

    def __init__(self):
        self._lock = threading.Lock()
        self.arm(None)
        super().__init__()

    def arm(self, nth):
        with self._lock:
            self._nth, self._creates = nth, 0
            self.held = threading.Event()  # the sandbox has created the N-th issue; its answer waits
            self.release = threading.Event()

    def hold(self, method: str, path: str) -> threading.Event | None:
        if method != "POST" or not path.endswith("/rest/api/2/issue"):
            return None
        with self._lock:
            self._creates += 1
            if self._creates != self._nth:
                return None
            self.held.set()
            return self.release


def test_sigkill_at_random_points_then_resume_creates_each_row_once(sandbox, tmp_path):
    rng = random.Random(20240501)
    marker = f"crash{rng.randrange(10**6)}"
    rows = [f"{marker} row {n:03d}" for n in range(ROWS)]
    path = write_csv(tmp_path, rows)
    proxy = HoldingProxy()
    command = [ATLCTL, "jira", "runFromCsv", "--file", path, "--common", "--action createIssue --project DEMO --type Task",
               "--threads", "4", "--resume", "--server", sandbox.jira, "--user", "admin", "--password", "admin",
               "--proxy", proxy.url]
    try:
        for kill in range(KILLS):
            proxy.arm(rng.randint(1, 5))  # at most 5 creates + the in-order window (8) per run: rows suffice
            with open(tmp_path / f"stderr{kill}", "w+") as stderr:
                process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr,
                                           env={**os.environ, "XDG_STATE_HOME": STATE})
                while process.poll() is None and not proxy.held.wait(0.05):
                    pass
                process.send_signal(signal.SIGKILL)
                process.wait()
                proxy.release.set()
                stderr.seek(0)
                assert proxy.held.is_set() and process.returncode == -signal.SIGKILL, stderr.read()
        proxy.arm(None)
        final = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "XDG_STATE_HOME": STATE})
    finally:
        proxy.close()
    assert final.returncode == 0, final.stderr
    counts = Counter(summaries(sandbox, marker))
    assert sorted(counts) == rows
    assert set(counts.values()) == {1}, {summary: n for summary, n in counts.items() if n != 1}
    with open(journal_of(path)) as journal:
        adopted = {record["row"] for record in map(json.loads, journal)
                   if record["type"] == "done" and record.get("recovered")}
    assert len(adopted) >= KILLS  # each kill left a created issue that only an intent knew of; each was found
