"""One exception type for mistakes a user can fix, and one way to report them."""

import sys
from typing import NoReturn


class UserError(Exception):
    """Bad input, a missing file or a corrupt one: a one-line message, no traceback."""


def exit_with(error: Exception) -> NoReturn:
    """Print `error` as one line on stderr and exit with status 2, the CLI's bad-input code."""
    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(2)
