"""Files written whole or not at all: a temporary file in the same folder, flushed, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, flushed to disk, then rename: never a
    half file, even after a power cut."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary open() would have made it
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync(path.parent)  # the rename itself
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
