"""How many requests per second the sandbox serves, by authentication scheme.

Starts `atlctl sandbox --port 0` in its own process, then drives it from worker processes, each
with a few threads holding one keep-alive connection apiece (http.client: the lightest client
at hand, so the figure is the server's, not the client's). Every mode runs `RUNS` times for
`SECONDS` seconds; the median is reported. Requests are counted only if the status is right.

    session    GET /jira/rest/api/2/myself with a JSESSIONID cookie
    basic      GET /jira/rest/api/2/myself with Basic and no cookie (one PBKDF2 check each)
    anonymous  GET /jira/rest/api/2/serverInfo without credentials
"""

from __future__ import annotations

import base64
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit

from bench.common import sandbox

SECONDS = float(os.environ.get("BENCH_SECONDS", 3))
RUNS = int(os.environ.get("BENCH_RUNS", 3))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", 2))
THREADS = int(os.environ.get("BENCH_THREADS", 4))
TARGET = 1500  # session requests per second the sandbox must sustain on a 2-core machine


def _session_cookie(host: str, port: int) -> str:
    conn = http.client.HTTPConnection(host, port)
    conn.request(
        "POST", "/jira/rest/auth/1/session", json.dumps({"username": "admin", "password": "admin"}), {"Content-Type": "application/json"}
    )
    session = json.loads(conn.getresponse().read())["session"]
    conn.close()
    return f"{session['name']}={session['value']}"


def _worker(host: str, port: int, path: str, headers: dict, expected: int, seconds: float, out) -> None:
    counts = [0] * THREADS

    def loop(n: int) -> None:
        conn = http.client.HTTPConnection(host, port)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == expected:
                counts[n] += 1
        conn.close()

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(sum(counts))


def _rate(host: str, port: int, path: str, headers: dict, expected: int) -> float:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_worker, args=(host, port, path, headers, expected, SECONDS, queue)) for _ in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    total = sum(queue.get() for _ in workers)  # every thread ran for SECONDS
    for w in workers:
        w.join()
    return total / SECONDS


def run() -> dict[str, float]:
    """Median requests/second per mode."""
    with sandbox() as url:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
        basic = "Basic " + base64.b64encode(b"admin:admin").decode()
        modes = {
            "session": ("/jira/rest/api/2/myself", {"Cookie": _session_cookie(host, port)}, 200),
            "basic": ("/jira/rest/api/2/myself", {"Authorization": basic}, 200),
            "anonymous": ("/jira/rest/api/2/serverInfo", {}, 200),
        }
        return {name: statistics.median(_rate(host, port, *mode) for _ in range(RUNS)) for name, mode in modes.items()}


def main() -> int:
    connections = PROCESSES * THREADS
    print(
        f"sandbox: {connections} keep-alive connections ({PROCESSES} processes x {THREADS} threads), "
        f"median of {RUNS} runs of {SECONDS:g} s, {os.cpu_count()} CPUs"
    )
    results = run()
    for name, rate in results.items():
        print(f"  {name:<10} {rate:8.0f} req/s")
    verdict = "ok" if results["session"] >= TARGET else "BELOW TARGET"
    print(f"  session target {TARGET} req/s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
