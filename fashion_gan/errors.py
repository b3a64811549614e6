"""One exception type for mistakes a user can fix, one way to report them, and numbers as messages write them."""

import sys
from typing import NoReturn


class UserError(Exception):
    """Bad input, a missing file or a corrupt one: a one-line message, no traceback."""


def exit_with(error: Exception) -> NoReturn:
    """Print `error` as one line on stderr and exit with status 2, the CLI's bad-input code."""
    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(2)


def readable(number: float) -> str:
    """2147483647 -> '2,147,483,647'; 1e12 -> '1,000,000,000,000'; 0.25 -> '0.25': never '2.14748e+09'."""
    if number == int(number) and abs(number) < 1e18:
        return f"{int(number):,}"
    return f"{number:,.10g}"
