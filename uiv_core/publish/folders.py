"""Publishing a folder atomically: the report, the exports and the quality page are written into
a new folder beside the old one and swapped in at the end, so that a reader, a web server or a
crash (kill -9 included) never sees half of one, and the last good one survives a failed run.

On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere it is two renames (the
old folder aside, the new one in), and a run that died between them is repaired by the next one.
Left-over new folders of killed runs (`.<name>.new-*`) are removed by the next run.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing_folder(target: Path):
    """Yield an empty folder beside `target`; on success it becomes `target` (the old one is
    removed), on an error it is removed and `target` is left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    repair(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o755)  # mkdtemp makes it private; the published folder is not
    swap_in(staging, target)


def swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
    elif _exchange(staging, target):  # staging now holds the old folder
        shutil.rmtree(staging, ignore_errors=True)
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)


def repair(target: Path) -> None:
    """Undo what a killed run left: restore an old folder set aside but not replaced, and
    remove unfinished new folders."""
    parent = target.parent
    if not target.exists():
        aside = sorted(parent.glob(f".{target.name}.old-*"))
        if aside:
            os.rename(aside[-1], target)
    for leftover in [*parent.glob(f".{target.name}.new-*"), *parent.glob(f".{target.name}.old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0
