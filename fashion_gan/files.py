"""The one way this project writes a file: to a temporary name beside it, then a rename.

A crash or Ctrl-C mid-write leaves the old file (or none), never half of a new one.
"""

import os
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
