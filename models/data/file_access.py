"""Opening a file a user named: why it cannot be read, in words, before anything blocks or breaks.

A path from a scenario may name a folder, a FIFO (whose reading waits forever for a writer), a
device such as /dev/zero (which never ends), a symlink loop, or hold a NUL character. Each is told
apart with `os.stat` before the file is opened, and the file is then opened without blocking and
checked again, so a FIFO swapped in between cannot hang the run.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOT_FOUND = "not found"
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))
_ERRNO_WORDS = {
    errno.ENOENT: NOT_FOUND,
    errno.ENOTDIR: f"{NOT_FOUND} (a part of the path is a file, not a folder)",
    errno.ELOOP: "is a symlink loop",
    errno.ENAMETOOLONG: "is too long a path",
    errno.EACCES: "cannot be read (permission denied)",
    errno.EPERM: "cannot be read (permission denied)",
}


def shown_path(path: str | Path, limit: int = 160) -> str:
    """A path for an error line: control characters escaped, cut to `limit` characters."""
    text = repr(str(path))[1:-1]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def file_problem(path: str | Path, need: str | None = None) -> str | None:
    """Why `path` is not a readable regular file, as words to follow the path, or None if it is one.

    'not found', 'is a symlink loop', 'is a folder, a file is needed' ('is a folder; give `need`'
    when given), 'is not a regular file (a FIFO)', ...; `NOT_FOUND` lets a caller keep its own
    wording for a missing file.
    """
    try:
        mode = os.stat(path).st_mode
    except ValueError:  # a NUL character: no file system takes it
        return "holds a NUL character; no file has such a name"
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"{NOT_FOUND} (a symlink to a missing file)"
        return _ERRNO_WORDS.get(exc.errno, f"cannot be read ({exc.strerror or exc})")
    return kind_problem(mode, need)


def kind_problem(mode: int, need: str | None = None) -> str | None:
    """'is a folder, a file is needed' or 'is not a regular file (a FIFO)' for a stat mode; None for a file."""
    if stat.S_ISDIR(mode):
        return f"is a folder; give {need}" if need else "is a folder, a file is needed"
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"is not a regular file ({kind})"


class NotAFileError(OSError):
    """Raised by `read_bytes` when the path turned out not to be a regular file once opened."""


def read_bytes(path: str | Path, limit: int = -1) -> bytes:
    """The content of the regular file `path` (its first `limit` bytes if given), opened without
    blocking on a FIFO.

    Raises OSError (NotAFileError with the words of `kind_problem` when it is not a regular file).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        problem = kind_problem(os.fstat(fd).st_mode)
        if problem is not None:
            raise NotAFileError(errno.EINVAL, problem)
        with open(fd, "rb", closefd=False) as fh:
            return fh.read(limit)
    finally:
        os.close(fd)
