"""The one way this project writes a file: to a temporary name beside it, then a rename.

A crash or Ctrl-C mid-write leaves the old file (or none), never half of a new one.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError


@contextmanager
def atomic_write(path: str | Path):
    """Yield a temporary path beside `path` (same suffix, so writers that add one do not);
    it replaces `path` when the block succeeds and is removed when it fails."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def require_folder(out: Path) -> None:
    """A one-line UserError unless the folder that --out writes into exists: a typo should not make folders."""
    if not out.parent.is_dir():
        raise UserError(f"--out {out}: folder {out.parent} does not exist")


@contextmanager
def new_folder(out: str | Path):
    """Yield a temporary folder beside `out` to fill; it becomes `out` when the block succeeds.

    `out` must be absent or an empty folder. An interrupted build leaves nothing half-written.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"{out}: exists and is not an empty folder; give a new folder to build in")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        tmp.chmod(0o755)  # mkdtemp's private 0700 would otherwise become the published folder's mode
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
