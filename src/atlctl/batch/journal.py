"""The journal of a bulk run: what each row did, so `--resume` after a crash (even SIGKILL) skips
finished rows, creates no duplicates and loses no rows. docs/scripting.md describes the design.

JSON Lines, appended, 0600. Each run (the first and every resume) starts a segment:

    {"type": "run", "format": "atlctl-journal", "version": 1, "action": "runFromCsv", "input": ..., "started": ...}
    {"type": "intent", "row": 7, "digest": "...", "mark": {...}}    before a non-read request; synced
    {"type": "done", "row": 7, "digest": "...", "variables": {...}, "message": "..."}
    {"type": "failed", "row": 8, "digest": "...", "error": "Remote error: ...", "code": 253}
    {"type": "unknown", "row": 9, "digest": "...", "error": "...", "mark": {...}}
    {"type": "complete", "failed": 0}                                 every row done (or failed, with --continue)

Outcomes (done/failed/unknown) are written in row order, so within a segment they are sorted, and an
intent with no outcome is a row that was in flight when the run stopped ("pending"). Reading is a
merge of the sorted segments: memory holds one record per segment plus the rows in flight, never
the whole input. A SIGKILL can only cut the file's last line short; that partial line is dropped."""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from itertools import groupby
from typing import Iterator

from atlctl.errors import ClientError

FORMAT = "atlctl-journal"
VERSION = 1
OUTCOMES = ("done", "failed", "unknown")
PENDING = "pending"  # an intent with no outcome: the request may or may not have reached the server
UNFINISHED, FAILED, DONE = "unfinished", "finished with failed rows", "finished"  # a journal's state (`_state`)


@dataclass(frozen=True)
class Past:
    """What an earlier segment knows about one row (the latest segment wins)."""

    row: int
    status: str  # done | failed | unknown | pending
    digest: str
    segment: int = 0
    variables: dict = field(default_factory=dict)
    mark: dict | None = None  # what recovery needs to find the row's effect on the server


class Journal:
    def __init__(self, path: str, fd: int, previous_end: int, sync: bool = True, key: str | None = None):
        self.path = path
        # the key of the rows' digests: random per journal, so a digest cannot be checked against guesses
        # of a line (an inline -p secret) offline; None for a journal written before keys (still resumable)
        self.key = key
        self.sync = sync  # False: records reach the OS before each request (any process death), not the disk
        self._fd = fd
        self._previous_end = previous_end  # earlier segments end here; this run appends after it
        self._lock = threading.Lock()
        self._written = self._synced = previous_end
        self._sync_lock = threading.Lock()
        self._failed = 0  # rows of this segment that did not end done (every earlier failed row runs again)

    @classmethod
    def start(cls, path: str, action: str, source: str, resume: bool, sync: bool = True, check=None) -> "Journal":
        """Open (locked) and begin a segment. Without --resume an unfinished journal is refused; a
        finished one is replaced. With --resume, a journal whose every row is done is refused (there is
        nothing to resume). `check(journal)` may refuse the journal before anything is written to it."""
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise ClientError(f"Cannot write the journal {path}: {exc.strerror}. Choose another place with --journal.") from None
        try:
            lock(fd, path)
            os.fchmod(fd, 0o600)  # an existing journal readable by others is made private too
            header = _header(fd, path)  # before anything is cut or written: --journal may name any file
            size = _drop_partial_line(fd)
            if size and not resume:
                if _last_record(path, size).get("type") != "complete":
                    raise ClientError(
                        f"An unfinished journal exists at {path}: an earlier {action} stopped before every row was "
                        "done. Add --resume to continue it (finished rows are skipped), or delete the journal to "
                        "start over."
                    )
                os.ftruncate(fd, 0)
                size = 0
            if size and header.get("action") != action:
                raise ClientError(f"{path} is not a journal of {action}: give the journal this run wrote, or another --journal path.")
            if size and resume and _state(path, size) == DONE:
                raise ClientError(f"Nothing to resume: the last {action} of this input finished with every row done "
                                  f"(journal {path}). Run it without --resume to run it again, as a new run.")
            journal = cls(path, fd, size, sync, _key(header) if size else secrets.token_hex(16))
            if check is not None:
                check(journal)  # before this run writes anything
            journal._write({"type": "run", "format": FORMAT, "version": VERSION, "action": action, "input": source,
                            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            **({"key": journal.key} if journal.key else {})},
                           sync=True)
            return journal
        except BaseException:
            os.close(fd)
            raise

    @property
    def previous_end(self) -> int:
        """Where the earlier segments end (the journal's size when this run opened it)."""
        return self._previous_end

    def keyed(self, digest: str) -> str:
        """A row's digest as this journal stores it (and as `past()` gives it back)."""
        if self.key is None:
            return digest
        return hashlib.blake2b(digest.encode(), key=bytes.fromhex(self.key), digest_size=8).hexdigest()

    # -- writing
    def intent(self, row: int, digest: str, mark: dict | None) -> None:
        """Before sending a request that changes something: on disk (unless `sync` is off) before
        the request leaves, so it survives even a power loss."""
        self._write({"type": "intent", "row": row, "digest": self.keyed(digest), "mark": mark}, sync=True)

    def outcome(self, row: int, digest: str, status: str, **details) -> None:
        """A row's outcome, in row order. Not synced: if it is lost, the intent before it makes the
        row pending and recovery finds what it did."""
        self._failed += status != "done"  # outcomes come in row order from one thread
        self._write({"type": status, "row": row, "digest": self.keyed(digest), **details})

    def complete(self) -> None:
        """The run finished: every row done, or done or failed; how many failed is said here, so `_state`
        needs only this record."""
        self._write({"type": "complete", "failed": self._failed}, sync=True)

    def close(self) -> None:
        os.close(self._fd)  # releases the lock

    def _write(self, record: dict, sync: bool = False) -> None:
        data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        with self._lock:
            while data:
                data = data[os.write(self._fd, data):]
            end = self._written = os.lseek(self._fd, 0, os.SEEK_CUR)
        if sync and self.sync:
            self._sync_through(end)

    def _sync_through(self, end: int) -> None:
        """Group commit: one fsync covers every record written before it, so rows running on other
        threads that wrote their intents meanwhile do not each wait for a disk flush of their own."""
        with self._sync_lock:
            if self._synced >= end:
                return
            covered = self._written
            os.fsync(self._fd)
            self._synced = covered

    # -- reading
    def past(self) -> Iterator[Past]:
        """Every row earlier segments mention, in row order, latest state only."""
        return _past(self.path, self._previous_end)

    def changed(self, known: Past, digest: str) -> bool:
        """Whether a row differs from what the journal recorded of it (a failed row may differ: it may have been fixed)."""
        return known.digest != self.keyed(digest) and known.status != "failed"

    def first_changed_row(self, steps) -> int | None:
        """The first row of `steps` (a fresh read of the input) that differs from the journal, if any."""
        past = self.past()
        known = next(past, None)
        for step in steps:
            while known is not None and known.row < step.row:
                known = next(past, None)
            if known is None:
                return None
            if not step.comment and known.row == step.row and self.changed(known, step.digest):
                return step.row
        return None

    def claimed(self, values: set[str]) -> set[str]:
        """Which of these values (issue keys, ids) a done row of this journal already produced."""
        found: set[str] = set()
        with open(self.path, "rb") as handle:
            for line in handle:
                if b'"done"' in line and any(value.encode() in line for value in values):
                    record = _parse(line, self.path)
                    if record and record.get("type") == "done":
                        found |= values & {str(v) for v in (record.get("variables") or {}).values()}
        return found


class InputJournals:
    """The journals of one input file kept in the state directory, one per content the file had: named
    `stem` + the content's hash (`hash_length` characters) + `suffix`, listed once with their states."""

    def __init__(self, stem: str, suffix: str, hash_length: int):
        directory, prefix = os.path.split(stem)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            names = os.listdir(directory)
        except OSError as exc:
            raise ClientError(f"Cannot keep the journal in {directory}: {exc.strerror}. Choose another place with "
                              "--journal (or set XDG_STATE_HOME).") from None
        self.paths = sorted((os.path.join(directory, n) for n in names if len(n) == len(prefix) + hash_length + len(suffix)
                             and n.startswith(prefix) and n.endswith(suffix)), key=os.path.getmtime)
        self.states = {path: _state(path) for path in self.paths}

    def candidate(self) -> str | None:
        """The journal --resume continues when the file's current content has none of its own: the
        last one not finished with every row done (known before the content's hash is)."""
        resumable = [path for path in self.paths if self.states[path] != DONE]
        return resumable[-1] if resumable else None

    def choose(self, default: str, action: str, input_name: str, resume: bool, note) -> tuple[str, str | None]:
        """Which journal a run of the file uses, and the journal of an earlier content of the file that
        --resume is to continue if the rows done there are unchanged (it is then renamed `default`).

        `default` is the journal of the file as it is now (`actions.default_journal`). --resume takes
        it if it is unfinished or has failed rows, else `candidate()`; a file whose runs all finished
        with every row done has nothing to resume. A run without --resume is a new run of this
        content: the finished journals of earlier contents are removed (superseded), unfinished ones
        are kept and named by `note`."""
        others = [path for path in self.paths if path != default]
        if not resume:
            for path in others:
                if self.states[path] != UNFINISHED:
                    _remove(path)
            for path in (path for path in others if self.states[path] == UNFINISHED):
                note(f"Note: an unfinished {action} of an earlier version of {input_name} remains in the journal "
                     f"{path} (this run is a new one; `atlctl journal clear` removes it).")
            return default, None
        if default in self.states or not self.states:
            return default, None  # continue it (every row done: Journal.start says there is nothing to resume), or start
        resumable = self.candidate()
        if resumable:
            return resumable, default
        raise ClientError(f"Nothing to resume: {input_name} changed since its last {action}, which finished (journal "
                          f"{others[-1]}). Run it without --resume for a new run.")


def first_changed_row_of(path: str, steps) -> tuple[int | None, int] | None:
    """Before a run opens the journal at `path`: `Journal.first_changed_row` of `steps`, and the size
    of the journal that answer holds for; None when it cannot be read (`Journal.start` says why if the
    run uses it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        end = _complete_size(fd)
        return Journal(path, fd, end, key=_key(_header(fd, path))).first_changed_row(steps), end
    except ClientError:
        return None
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass  # another process removed it, or holds it on a system without unlinking open files


def _state(path: str, size: int | None = None) -> str:
    """UNFINISHED, FAILED (every row done or failed, some failed: --resume runs those again) or DONE."""
    size = os.path.getsize(path) if size is None else size
    try:
        last = _last_record(path, size)
        if last.get("type") != "complete":
            return UNFINISHED
        failed = last.get("failed")
        if isinstance(failed, int) and not isinstance(failed, bool):
            return FAILED if failed else DONE
        # a journal written before `complete` counted its failed rows: read it through
        return FAILED if any(past.status != "done" for past in _past(path, size)) else DONE
    except ClientError:
        return UNFINISHED  # damaged: Journal.start says so if it is used


def _past(path: str, end: int) -> Iterator[Past]:
    bounds = _segment_offsets(path, end)
    segments = [_read_segment(path, start, stop, index) for index, (start, stop) in enumerate(bounds)]
    merged = heapq.merge(*segments, key=lambda past: (past.row, past.segment))
    for _, states in groupby(merged, key=lambda past: past.row):
        *_, latest = states
        yield latest


def lock(fd: int, path: str) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock; one run per journal is the user's business
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ClientError(f"Another atlctl process is using the journal {path}; wait for it to finish.") from None


def _drop_partial_line(fd: int) -> int:
    """A crash mid-write leaves the last line without its newline: cut it off. Returns the size."""
    size = _complete_size(fd)
    if size != os.fstat(fd).st_size:
        os.ftruncate(fd, size)
    return size


def _complete_size(fd: int) -> int:
    """The size of the file's complete lines: a partial last line left aside."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    start = max(0, size - 65536)
    while True:
        chunk = os.pread(fd, size - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0 or start == 0:
            return start + cut + 1
        start = max(0, start - 65536)


def _key(header: dict) -> str | None:
    """The key of a journal's digests (None in a journal written before keys)."""
    key = header.get("key")
    return key if isinstance(key, str) else None


def _parse(line: bytes, path: str) -> dict | None:
    line = line.strip()
    if not line:
        return None
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if not isinstance(record, dict):
        raise ClientError(f"The journal {path} is damaged (a line is not a journal record). Delete it to start over.")
    return record


def _header(fd: int, path: str) -> dict:
    """The first record of an empty file or of a journal; any other file is refused as it is."""
    head = os.pread(fd, 65536, 0)
    if not head:
        return {}
    try:
        record = json.loads(head.split(b"\n", 1)[0])
    except ValueError:
        record = None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ClientError(f"{path} is not an atlctl journal, so atlctl leaves it as it is: give --journal a new file, "
                          "or the journal an earlier run wrote.")
    return record


def _last_record(path: str, size: int) -> dict:
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 65536))
        lines = handle.read(size).splitlines()
    return (_parse(lines[-1], path) or {}) if lines else {}


def _segment_offsets(path: str, end: int) -> list[tuple[int, int]]:
    starts = []
    with open(path, "rb") as handle:
        offset = 0
        while offset < end:
            line = handle.readline()
            if line.startswith(b'{"type":"run"'):
                starts.append(offset)
            offset += len(line)
    return list(zip(starts, starts[1:] + [end]))


def _read_segment(path: str, start: int, stop: int, index: int) -> Iterator[Past]:
    """One segment's rows in row order: outcomes as written (they are sorted), and intents that never
    got an outcome as pending, each just before the first outcome of a later row (or at the end)."""
    open_intents: dict[int, dict] = {}
    last = 0
    with open(path, "rb") as handle:
        handle.seek(start)
        offset = start
        while offset < stop:
            line = handle.readline()
            offset += len(line)
            record = _parse(line, path)
            kind = record and record.get("type")
            if kind == "intent":
                open_intents[record["row"]] = record
            elif kind in OUTCOMES:
                row = record["row"]
                if row <= last:
                    raise ClientError(f"The journal {path} is damaged (rows out of order). Delete it to start over.")
                yield from _pending(open_intents, index, below=row)
                open_intents.pop(row, None)
                yield Past(row, kind, record.get("digest", ""), index, record.get("variables") or {}, record.get("mark"))
                last = row
    yield from _pending(open_intents, index)


def _pending(open_intents: dict[int, dict], index: int, below: int | None = None) -> Iterator[Past]:
    for row in sorted(r for r in open_intents if below is None or r < below):
        record = open_intents.pop(row)
        yield Past(row, PENDING, record.get("digest", ""), index, mark=record.get("mark"))
