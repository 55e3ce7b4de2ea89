"""A progress bar on stderr for bulk work, only when stderr is a terminal and not --quiet. tqdm is
imported only then."""

from __future__ import annotations

from contextlib import contextmanager, nullcontext


class Progress:
    def __init__(self, env, quiet: bool, total=None):
        self._bar = None
        if env.stderr_isatty and not quiet:
            from tqdm import tqdm

            self._bar = tqdm(total=total() if callable(total) else total, file=env.stderr, unit="action",
                             dynamic_ncols=True, leave=False)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    @contextmanager
    def printing(self):
        """Lift the bar while a row's output is printed, then draw it again below."""
        with self._bar.external_write_mode(file=self._bar.fp) if self._bar is not None else nullcontext():
            yield

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
