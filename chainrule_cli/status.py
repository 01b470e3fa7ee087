"""Exit codes have names, and report.py alone assigns them (status_of, status_of_result)."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    MATH_ERROR = 1  # a mathematical failure, a failed check, or output that could not be written
    BAD_INPUT = 2  # syntax, unknown names, bad options and usage
    LIMIT = 3  # over a size, time or memory limit
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM
