"""Helpers shared by the benchmarks: a sandbox in its own process, timing, and reporting."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time

BIN = os.path.dirname(sys.executable)
ATLCTL = os.path.join(BIN, "atlctl")


@contextlib.contextmanager
def sandbox(*args: str):
    """`atlctl sandbox --port 0` in a separate process (so it does not share our GIL); yields its URL
    (with --tls, the sandbox's CA file is at `sandbox.ca`, a module global)."""
    global ca
    process = subprocess.Popen([ATLCTL, "sandbox", "--port", "0", *args], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if line.startswith("CA certificate: "):
            ca = line.split(": ", 1)[1].strip()
            line = process.stdout.readline()
        if not line.startswith("Sandbox ready at "):
            raise RuntimeError(f"sandbox did not start: {line!r}")
        yield line.split("Sandbox ready at ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(10)


ca: str | None = None


def trust_directory(extra_ca: str, directory: str) -> str:
    """A hashed CA directory holding the system's CAs and `extra_ca`, which every client is given, so
    all of them trust the same certificates the same way."""
    system = "/etc/ssl/certs"
    for name in os.listdir(system):
        if name.endswith(".pem"):
            os.symlink(os.path.join(system, name), os.path.join(directory, name))
    os.symlink(extra_ca, os.path.join(directory, "atlctl-sandbox.pem"))
    subprocess.run(["openssl", "rehash", directory], check=True, capture_output=True)
    return directory


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    return time.perf_counter() - start


def compare(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so machine noise hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm-up: page cache, .pyc files
        timed(command, env)
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed(command, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def table(rows: list[tuple], headers: tuple) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    for row in (headers, *rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)))
