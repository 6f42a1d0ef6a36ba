"""Bytes of a scanned file to text, with line numbers that match what editors show.

Handles the UTF-8 BOM, UTF-16/32 with a BOM, CRLF line endings; refuses binary files and
invalid UTF-8 with the line of the first bad byte, and files over the size bound.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from stridescan import limits
from stridescan.diagnostics import ParseError

MAX_FILE_BYTES = limits.MAX_FILE_BYTES  # the default; `limits.active()` holds the bound in force

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_source(path: Path, max_bytes: int | None = None) -> str:
    """Read and decode a regular file; anything else is a ParseError users can act on."""
    if max_bytes is None:
        max_bytes = limits.active().max_file_bytes
    try:
        info = path.stat()
    except OSError as error:
        raise ParseError(f"cannot read the file: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ParseError("this is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ParseError("not a regular file (a fifo, socket or device); it was not read")
    if info.st_size > max_bytes:
        raise _too_large(f"file is {info.st_size} bytes, over the {max_bytes}-byte limit")
    try:
        with path.open("rb") as handle:
            # Sized by the file, not the bound: `read(n)` allocates n bytes up front, 32 MiB
            # per file by default. A file that grew since `stat` is read on, still bounded.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as error:
        raise ParseError(f"cannot read the file: {os.strerror(error.errno or 0)}") from None
    return decode_source(data, max_bytes)


def decode_source(data: bytes, max_bytes: int | None = None) -> str:
    """Decode bytes to text with LF line endings; `max_bytes` bounds the input, if given."""
    if max_bytes is not None and len(data) > max_bytes:
        raise _too_large(f"file is over the {max_bytes}-byte limit")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise _decode_error(data, error, encoding) from None
            break
    if text is None:
        if b"\x00" in data:
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
            raise ParseError(
                "binary content (a NUL byte); this is not a text file", line, hint="check the file"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _decode_error(data, error, "utf-8") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if "\x00" in text:
        raise ParseError("binary content (a NUL character); this is not a text file")
    return text


def _too_large(message: str) -> ParseError:
    return ParseError(
        f"{message}; it was not read",
        hint="raise the limit with --max-file-size or STRIDESCAN_MAX_FILE_SIZE",
    )


def _decode_error(data: bytes, error: UnicodeDecodeError, encoding: str) -> ParseError:
    line = data.count(b"\n", 0, error.start) + 1 if encoding == "utf-8" else None
    return ParseError(
        f"the file is not valid {encoding.upper()} (byte {error.start})",
        line,
        hint="save it as UTF-8",
    )
