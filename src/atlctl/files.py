"""Writing files atomically: a config, cookie jar or output file is either the old one or the whole
new one, never half written. Private files (config, secrets, cookies) are readable by the owner only."""

import contextlib
import os
import stat
import tempfile


def write_atomic(path: str, data: str | bytes, mode: int | None = None) -> None:
    """Write `data` via a temporary file and an atomic rename. `mode` None keeps the mode of the file
    being replaced (or the umask's default for a new file). A symlink is written through, not replaced
    (a config kept in a dotfiles repository stays there)."""
    path = os.path.realpath(path)
    directory = os.path.dirname(path)
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".atlctl-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def private_dirs(directory: str) -> None:
    """Create `directory` and any missing parents with mode 0700 whatever the umask (os.makedirs gives
    the parents the umask's default, 0777 under umask 000). Existing directories are left as they are."""
    missing = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for created in reversed(missing):
        try:
            os.mkdir(created, 0o700)
        except FileExistsError:  # another process made it meanwhile
            continue
        os.chmod(created, 0o700)  # mkdir's mode passes through the umask


def write_private(path: str, text: str) -> None:
    """Write `text` to `path` with mode 0600, creating its directory with mode 0700 if needed."""
    private_dirs(os.path.dirname(os.path.realpath(path)))
    write_atomic(path, text, 0o600)


def drop_bom(text: str) -> str:
    """A leading byte-order mark (Notepad's, Excel's) is no part of a text: one is dropped, as the
    utf-8-sig codec does."""
    return text.removeprefix("\ufeff")


def read_text(path: str, stdin=None) -> str:
    """A UTF-8 text file an action reads (--file), or standard input for '-' when `stdin` is given
    (as in ACLI); a problem is ACLI's parameter problem (254). A leading byte-order mark (Notepad's,
    Excel's) is dropped, as from a CSV file: it is no part of the text."""
    from atlctl.errors import ParameterError

    if path == "-" and stdin is not None:
        text = stdin.read()
        try:
            text.encode("utf-8")  # bytes that are not UTF-8 arrive as lone surrogates
        except UnicodeEncodeError:
            raise ParameterError("Standard input (--file -) is not UTF-8 text.") from None
        return drop_bom(text)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise ParameterError(f"File {path} is not UTF-8 text.") from None
    except OSError as exc:
        raise unreadable(path, exc) from None


def open_input(path: str, buffering: int = -1, regular: bool = False):
    """Open a file an action or a run reads (--file, --list...) to read its bytes; a problem is
    ACLI's parameter problem (254), worded as unreadable() words it. `regular`: refuse a device or a
    pipe (/dev/zero has no end, and an upload must declare a size)."""
    try:
        handle = open(path, "rb", buffering=buffering)
    except OSError as exc:
        raise unreadable(path, exc) from None
    if regular and not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        from atlctl.errors import ParameterError

        handle.close()
        raise ParameterError(f"Cannot read file {path}: not a regular file (a device or a pipe). Copy the content "
                             "to a file first.")
    return handle


@contextlib.contextmanager
def upload_input(path: str | None, name: str | None, stdin):
    """What an upload action (addAttachment --file, --name) sends, as (file name, body): for '-' the bytes
    of standard input under --name (it has no file name of its own), else the regular file's open handle
    (see `open_input`) under --name or the file's own name. Blank --file or '-' without --name: 254."""
    from atlctl.errors import ParameterError

    if not path:
        raise ParameterError("This function requires a non-blank value for parameter: file")
    if path != "-":
        with open_input(path, regular=True) as handle:
            yield name or os.path.basename(path), handle
        return
    if not name:
        raise ParameterError("--file - (standard input) has no file name: give the attachment's --name.")
    yield name, stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")


def unreadable(path: str, exc: OSError):
    """The one message for an input file that cannot be opened: what is wrong with it, in words."""
    from atlctl.errors import ParameterError

    if os.path.isdir(path):  # Windows says "permission denied" for a directory
        return ParameterError(f"Cannot read file {path}: it is a directory, not a file.")
    reason = {FileNotFoundError: "no such file", NotADirectoryError: "no such file (a part of its path is a file)",
              PermissionError: "permission denied"}.get(type(exc)) or exc.strerror or str(exc)
    return ParameterError(f"Cannot read file {path}: {reason}.")
