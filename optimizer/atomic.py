"""Files written whole or not at all: a temporary file in the same folder, flushed, then renamed.

Only a new path or an existing regular file is ever replaced: a folder, a device, a FIFO or a
socket at the path is refused, and so is a file the run reads (`protecting`). Temporary files are
named `.{name}.{pid}@{host}.XXXXXXXX.tmp`; the first write into a folder removes those left there by
a process of this machine that is gone (a run killed with SIGKILL), never a live run's.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
_TEMP = re.compile(r"\..*\.(?P<pid>[1-9][0-9]*)@(?P<host>[0-9a-f]{6})\.[a-z0-9_]{8}\.tmp")
STALE_AFTER_S = 600.0  # a dead writer's temporary file untouched this long is removed
_NAME_IN_TEMP = 100  # characters of the file's name kept in its temporary file's name
_protected: set[tuple[int, int]] = set()  # (device, inode) of the files this run reads
_swept: set[str] = set()  # folders whose stale temporary files this process removed


class TargetError(OSError):
    """A path that is not replaced: a folder, device, FIFO or socket, or a file the run reads."""

    def __init__(self, path: str | Path, reason: str, code: int | None = None) -> None:
        super().__init__(code, reason, str(path))


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, flushed to disk, then rename: never a
    half file, even after a power cut. An OSError names `path` (not the temporary file)."""
    path = Path(path)
    check_replaceable(path)
    remove_stale_temps(path.parent, once=True)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=path.parent)
        os.close(fd)
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary open() would have made it
        _fsync(tmp)
        os.replace(tmp, path)
        tmp = None
        _fsync(path.parent)  # the rename itself
    except OSError as exc:
        raise naming(exc, path) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def naming(exc: OSError, path: Path) -> OSError:
    """`exc` about `path`: the file meant, not a temporary file (errno and kind kept)."""
    if isinstance(exc, TargetError) or exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror or os.strerror(exc.errno), str(path))


def check_replaceable(path: Path) -> None:
    """Raise TargetError unless `path` is new or an existing regular file the run does not read
    (a symbolic link is judged by what it points to)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return  # new, or a dangling link: replaced by a file
    if (st.st_dev, st.st_ino) in _protected:
        raise TargetError(path, "is a file this run reads (an input); it is never replaced: give another --out")
    if stat.S_ISDIR(st.st_mode):
        raise TargetError(path, "is a folder, a file is needed", errno.EISDIR)
    if not stat.S_ISREG(st.st_mode):
        raise TargetError(path, f"is {kind(st.st_mode)}; only a new path or a regular file is replaced")


def kind(mode: int) -> str:
    """What a file is, in words: 'a file', 'a folder', 'a character device', ..."""
    for test, words in ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                        (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return "not a regular file"


def remove(path: Path) -> None:
    """Delete an old result file, if there is one; anything `check_replaceable` refuses is kept."""
    check_replaceable(path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


@contextlib.contextmanager
def protecting(paths: Iterable[str | Path]) -> Iterator[None]:
    """While inside, no atomic_write or remove replaces any of `paths` (nor another name of one)."""
    ids = set()
    for p in paths:
        with contextlib.suppress(OSError):
            st = os.stat(p)
            ids.add((st.st_dev, st.st_ino))
    added = ids - _protected
    _protected.update(added)
    try:
        yield
    finally:
        _protected.difference_update(added)


def probe(folder: Path) -> None:
    """Create and remove a temporary file in `folder`: an OSError now, not after a long solve."""
    remove_stale_temps(folder, once=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix("zcf-probe"), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise naming(exc, folder) from exc
    os.close(fd)
    os.unlink(tmp)


def remove_stale_temps(folder: Path, once: bool = False) -> list[Path]:
    """Remove the temporary files in `folder` left by processes of this machine that are gone;
    returns them. With `once`, a folder already swept by this process is not listed again."""
    key = os.path.abspath(folder)
    if once and key in _swept:
        return []
    _swept.add(key)
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []  # a folder that cannot be listed: the write itself says why
    for name in names:
        found = _TEMP.fullmatch(name)
        if found and found["host"] == _HOST and not _alive(int(found["pid"])) and _untouched(Path(folder) / name):
            with contextlib.suppress(OSError):
                os.unlink(Path(folder) / name)
                removed.append(Path(folder) / name)
    return removed


def _untouched(path: Path) -> bool:
    """Whether `path` was last written STALE_AFTER_S ago or more: a pid alone may name a live process
    of another PID namespace (a container of the same host name on a shared folder)."""
    try:
        return time.time() - os.stat(path).st_mtime >= STALE_AFTER_S
    except OSError:
        return False


def _temp_prefix(name: str) -> str:
    return f".{name[:_NAME_IN_TEMP]}.{os.getpid()}@{_HOST}."


def _alive(pid: int) -> bool:
    """Whether process `pid` exists (a process of another user too); unsure counts as alive."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def _fsync(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
