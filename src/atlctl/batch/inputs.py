"""An input file of a bulk run (`run --file`, `runFromCsv --file`), read in as few passes as its
guarantees allow (docs/scripting.md, "How often the input is read"): one open handle, each pass from
the start, each hashing the bytes it reads. The first full pass gives the content hash (a default
journal's name) and the row count (the progress bar) together; the run is the next pass, and when it
reads to the end, `changed()` says whether it read other bytes than the first pass did."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
from typing import Callable, Iterable, Iterator

from atlctl.errors import ParameterError
from atlctl.files import open_input


class _Hashing(io.RawIOBase):
    """The bytes of `source` as they are read, each one fed to `digest`."""

    def __init__(self, source, digest):
        super().__init__()
        self._source, self._digest = source, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._source.readinto(buffer)
        self._digest.update(memoryview(buffer)[:count])
        return count


class InputFile:
    def __init__(self, path: str, encoding: str, steps: Callable[[Iterable[str]], Iterator], newline: str | None = None):
        """`steps(text)`: the steps of the text, read one at a time."""
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ParameterError(f"Unknown --encoding: {encoding}.") from None
        self._file = open_input(path, buffering=0)
        self.path, self._encoding, self._newline, self._steps = path, encoding, newline, steps
        # a regular file can be read again; a pipe (`--file <(...)`, /dev/stdin) only once
        status = os.fstat(self._file.fileno())
        self.rereadable = stat.S_ISREG(status.st_mode)
        self.modified = status.st_mtime_ns
        self._passes = 0
        self._first: tuple[str, int] | None = None  # content hash and row count of the first full pass
        self._last: str | None = None  # content hash of the latest full pass

    def steps(self) -> Iterator:
        """One pass over the file's steps."""
        if self._passes:
            self._file.seek(0)
        self._passes += 1
        digest = hashlib.sha256()
        text = io.TextIOWrapper(io.BufferedReader(_Hashing(self._file, digest)), self._encoding, newline=self._newline)
        yield from self._steps(text)
        text.read()  # to the end, so the hash covers every byte (steps may stop at the last row)
        self._last = digest.hexdigest()

    def scan(self, check: Callable[[Iterator], object] | None = None) -> tuple[str, int]:
        """The content hash and the number of rows (comments aside), from one pass made at most once;
        `check(steps)`, if this call makes the pass, sees its steps too (and may stop early)."""
        if self._first is None:
            rows = 0

            def counted():
                nonlocal rows
                for step in self.steps():
                    rows += not step.comment
                    yield step

            steps = counted()
            if check is not None:
                check(steps)
            for _ in steps:
                pass
            self._first = (self._last, rows)
        return self._first

    def changed(self) -> bool:
        """Whether the latest pass, read to the end, read other bytes than the first (the file changed
        between the passes or during one); False when only one pass was made or the latest stopped early."""
        return self._first is not None and self._last is not None and self._last != self._first[0]

    def close(self) -> None:
        self._file.close()
