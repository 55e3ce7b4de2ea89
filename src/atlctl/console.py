"""All printing goes through here, so secrets are masked in one place and threads don't interleave."""

from __future__ import annotations

import contextlib
import copy
import re
import threading

from atlctl.environment import Environment
from atlctl.errors import ClientError
from atlctl.redact import STRONG, Redactor

# C0 and C1 control characters, DEL, and a carriage return that does not end a line: printed to the
# console they would move the cursor, retitle the window or hide text (a server's comment can hold
# them), so they are shown escaped (\x1b). Newline and tab stay; a file (--file) gets them as they are.
CONTROLS = re.compile(r"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    return CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@contextlib.contextmanager
def _writing(to_stderr: bool):
    """Output that cannot be written is an error (255) saying why, never a silent loss; a reader that went
    away (`| head`) stays a BrokenPipeError, which ends the run quietly with 141. Nothing is left to say
    anything on when stderr itself fails."""
    try:
        yield
    except BrokenPipeError:
        raise
    except (OSError, ValueError, AttributeError) as exc:  # no space, a bad or closed descriptor (None, closed file)
        if to_stderr:
            return
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise ClientError(f"Cannot write the output to standard output: {why}.") from None


class Console:
    def __init__(self, env: Environment, quiet=False, verbose=False, debug=False):
        self.env = env
        self.redactor = Redactor(warn=self._redaction_warning)
        self._lock = threading.Lock()
        self._replaced = False  # some output could not be encoded: warned once
        self.configure(quiet, verbose, debug)

    def _redaction_warning(self, kind: str, value: str) -> None:
        """Told once per secret by the redactor; never names the secret."""
        if kind == "weak":
            self.info("Warning: a secret given is shorter than 6 characters, so atlctl masks it only in headers, "
                      "URLs, request bodies and script lines, not in messages. Use a longer password or a token.")
        elif kind == "public":  # shown with --verbose only for a weak secret, which messages do not mask anyway
            (self.error if len(value) >= STRONG else self.info)("Warning: a secret given equals a value that is not secret (a user name equal to its "
                       "password): that value is shown as it is wherever it appears. Choose a different password.")

    def configure(self, quiet=False, verbose=False, debug=False) -> None:
        """Set the output flags once they are parsed. One Console per invocation: the one that prints the
        final error must know every secret the action learnt."""
        self.quiet = bool(quiet)
        self.verbose_on = bool(verbose or debug)
        self.debug_on = bool(debug)

    def with_quiet(self, quiet: bool) -> "Console":
        """This console (same secrets, same lock) with its own --quiet: a line of a run script may
        ask for quiet output while the run does not."""
        if quiet == self.quiet:
            return self
        other = copy.copy(self)
        other.quiet = quiet
        return other

    def _write(self, stream, text: str, raw: bool = False) -> None:
        """`raw`: the text as it is (a secret, what a --file - holds); else control characters escaped."""
        text = text if raw else escape_controls(text)
        text = text if text.endswith("\n") else text + "\n"
        replaced = False
        with self._lock, _writing(stream is self.env.stderr):
            try:
                stream.write(text)
            except UnicodeEncodeError:  # a server's lone surrogate, or a terminal that is not UTF-8
                encoding = getattr(stream, "encoding", None) or "utf-8"
                stream.write(text.encode(encoding, "replace").decode(encoding))
                replaced = not self._replaced and stream is self.env.stdout
                self._replaced = self._replaced or replaced
            stream.flush()
        if replaced:  # once per invocation, after the lock is released
            self.error(f"Warning: standard output ({encoding}) cannot show some characters of the output: they are "
                       "shown as '?'. Set PYTHONIOENCODING=utf-8, write to --file (UTF-8) or use --output json "
                       "(\\u escapes).")

    def encodes(self, text: str) -> bool:
        """Whether standard output can write `text` as it is (its encoding has every character)."""
        encoding = getattr(self.env.stdout, "encoding", None)
        try:
            text.encode(encoding or "utf-8")
        except UnicodeEncodeError:
            return False
        except LookupError:  # an encoding Python does not know: let the stream decide
            pass
        return True

    def out(self, text: str) -> None:
        """Normal results on stdout (suppressed by --quiet)."""
        if not self.quiet:
            self._write(self.env.stdout, self.redactor.text(text))

    def result(self, text: str) -> None:
        """Output that is the point of the action (an issue key for scripts): printed even with --quiet."""
        self._write(self.env.stdout, self.redactor.text(text))

    def data(self, text: str) -> None:
        """What a --file would hold, written to standard output (--file -): masked, control characters as they are."""
        self._write(self.env.stdout, self.redactor.text(text), raw=True)

    def secret(self, text: str) -> None:
        """A secret the user asked for (the `login` session token, a new access token): unmasked, stdout only."""
        self._write(self.env.stdout, text, raw=True)

    def binary(self, data: bytes) -> None:
        """File content (getAttachment without --file)."""
        with self._lock, _writing(False):
            buffer = getattr(self.env.stdout, "buffer", None)
            if buffer is not None:
                self.env.stdout.flush()
                buffer.write(data)
                buffer.flush()
            else:
                self.env.stdout.write(data.decode("utf-8", "replace"))

    def error(self, text: str) -> None:
        self._write(self.env.stderr, self.redactor.text(text))

    def info(self, text: str) -> None:
        """--verbose: what atlctl is doing, on stderr."""
        if self.verbose_on:
            self._write(self.env.stderr, self.redactor.text(text))

    def debug(self, text: str) -> None:
        if self.debug_on:
            self._write(self.env.stderr, self.redactor.text(text))
