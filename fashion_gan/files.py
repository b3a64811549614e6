"""The one way this project writes a file: to a temporary name beside it, then a rename.

A crash or Ctrl-C mid-write leaves the old file (or none), never half of a new one.
"""

import os
from contextlib import contextmanager
from pathlib import Path


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
