"""What every `zcf` command shares: exit codes, user errors as one line each, charts drawn to files,
and `--out` checked before solving (never a device, never a file the run reads)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from models.errors import InputError
from optimizer.atomic import TargetError, check_replaceable, kind, probe, protecting

if TYPE_CHECKING:
    from optimizer.stages import StageLines

_err = Console(stderr=True, emoji=False, highlight=False)  # user text is printed as written

EXIT_INPUT = 2  # a user mistake: the scenario, a data file or an option
EXIT_NO_PLAN = 1  # the scenario is valid but has no plan (target out of reach, solver failure)


@contextmanager
def user_errors() -> Iterator[None]:
    """Every InputError as one line per problem on stderr and exit code 2, never a traceback; an
    OSError (a file that cannot be written: read-only, disk full, ...) as one `<path>: <reason>` line.

    User text inside a line (names, values, file names) is escaped: `[red]` or `:fire:` in a
    scenario prints as typed, not as colour or an emoji.
    """
    try:
        yield
    except InputError as exc:
        for line in exc.problems:
            _err.print(f"[red]error:[/red] {escape(line)}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as exc:
        _err.print(f"[red]error:[/red] {escape(os_problem(exc))}", soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None


_REASONS = {
    errno.EACCES: "not writable (permission denied)", errno.EPERM: "not writable (operation not permitted)",
    errno.EROFS: "not writable (read-only file system)", errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded", errno.EFBIG: "file too large", errno.ENAMETOOLONG: "name too long",
    errno.EISDIR: "is a folder, a file is needed", errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOENT: "no such file or folder", errno.EEXIST: "already exists, and is not a folder",
    errno.ELOOP: "too many symbolic links", errno.EBUSY: "busy (a mount point?)",
    errno.EIO: "input/output error (a failing disk?)",
}


def os_problem(exc: OSError) -> str:
    """An OSError in plain words: `<path>: <reason>` (the reason alone when no path is known)."""
    if isinstance(exc, TargetError):
        reason = exc.strerror
    else:
        reason = _REASONS.get(exc.errno or -1) or (exc.strerror or str(exc) or type(exc).__name__).lower()
    return f"{exc.filename}: {reason}" if exc.filename not in (None, "") else reason


@contextmanager
def lost_workers() -> Iterator[None]:
    """A worker process that died, or a sweep stopped by a signal: one line; what was solved is stored.
    Exit 1, or 128 + the signal's number for a stop (143 for SIGTERM), as a shell reports it."""
    from optimizer.studies.executors import WorkerLost

    try:
        yield
    except WorkerLost as exc:
        _err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(getattr(exc, "exit_code", EXIT_NO_PLAN)) from None


def charts_to_files() -> None:
    """Charts go to files: no window, whatever the machine has (matplotlib loads only here)."""
    import matplotlib

    matplotlib.use("Agg")


def stage_lines() -> StageLines:
    """Progress lines on standard error for each step over two seconds: a log shows what a long
    run is doing while it does it; the plan itself goes to standard output."""
    from optimizer.stages import StageLines

    return StageLines(Console(stderr=True, emoji=False))


def out_path(text: str, what: str) -> Path:
    """`--out` as a path; an empty one is refused (it would mean this folder without saying so)."""
    if not text.strip():
        raise InputError(f"--out {text!r}: the path is empty; give {what} ('.' for this folder)")
    return Path(text)


def out_folder(out: Path, names: Iterable[str], reads: Iterable[Path]) -> Path:
    """Create the results folder and check it before solving: it is writable, and what the command
    writes there (`names`, glob patterns) is neither a file the run reads (`reads`) nor a folder,
    device, FIFO or socket. Raises InputError or OSError (`user_errors` says them)."""
    try:
        mode = os.stat(out).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISDIR(mode):
        raise InputError(f"--out {out}: is {kind(mode)}; give a folder for the results")
    out.mkdir(parents=True, exist_ok=True)
    with protecting(reads):
        for pattern in names:
            for target in sorted(out.glob(pattern)):
                check_replaceable(target)
    probe(out)
    return out


def out_file(text: str, reads: Iterable[Path]) -> Path:
    """`--out` for one file, checked before solving as `out_folder` checks a folder (its folder is
    created when the file is written; the nearest one that exists must be writable)."""
    out = out_path(text, "a file name")
    if text.endswith(("/", os.sep)):
        raise InputError(f"{text}: ends with '/', a folder; a file is needed (e.g. {text}compare.html)")
    with protecting(reads):
        check_replaceable(out)
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    probe(folder)
    return out
