"""Batch input: `-` reads expressions from stdin, `@file` from a file, one per line.

Blank lines and lines starting with `#` hold no expression (None); line numbers count every
physical line; a line may end in CR LF (Windows), and the file may begin with a UTF-8 byte
order mark. A line that is not UTF-8 or holds a NUL byte becomes an error for that line alone.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import BinaryIO

from .errors import DerivError, InputError

BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def is_batch(argument: str) -> bool:
    return argument == "-" or argument.startswith("@")


def numbered_lines(argument: str) -> Iterator[tuple[int, str | DerivError | None]]:
    """(line number, text) for each line: its expression, None for a blank line or a comment,
    or the error of a line that cannot be read."""
    if argument == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            yield from _lines(stream)
        return
    path = argument[1:]
    if not path:
        raise InputError("@ needs a file name, as in @expressions.txt")
    try:
        with open(path, "rb") as stream:
            yield from _lines(stream)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str | DerivError | None]]:
    for number, raw in enumerate(stream, 1):
        line = raw.rstrip(b"\r\n")
        if number == 1:
            line = line.removeprefix(BYTE_ORDER_MARK)  # as Windows editors begin a UTF-8 file
        if b"\0" in line:
            yield number, InputError("the line holds a NUL byte")
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, InputError(f"the line is not valid UTF-8 text (byte {error.start + 1})")
            continue
        yield number, text if text.strip() and not text.lstrip().startswith("#") else None
