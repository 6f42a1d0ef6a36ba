"""Fingerprints that let GitHub and stridescan recognise a finding after its file changes.

`line_hashes` is GitHub's `primaryLocationLineHash`, ported from github/codeql-action
`src/fingerprints.ts`: a rolling hash over the 100 significant UTF-16 code units that start
each line, ignoring spaces and tabs, so it survives lines inserted above a finding and
re-indentation. upload-sarif computes it itself when it is absent, but only when the file is
in its checkout; REST uploads without it may duplicate alerts. Sending our own, computed the
same way, keeps alerts matched either way.

`logical_fingerprint` is ours (`stridescan/v1` in SARIF): what a finding is, not where, so a
finding keeps its identity when its line moves.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator

_BLOCK_SIZE = 100
_MULTIPLIER = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MULTIPLIER, _BLOCK_SIZE, 1 << 64)
_TAB, _SPACE, _LF, _CR = 0x09, 0x20, 0x0A, 0x0D
_EOF = 65535


def line_hashes(text: str) -> Iterator[tuple[int, str]]:
    """Yield `(line, "hexhash:N")` for every line of `text`, in line order, 1-based.

    The text is taken as GitHub reads the file: a byte-order mark, if the file had one, is
    part of the first line there, so pass it in to match exactly. A text that ends with a
    newline has one more line, the empty tail, as in the reference implementation.
    """
    window = [0] * _BLOCK_SIZE
    starts = [-1] * _BLOCK_SIZE  # the line that starts at each window position, or -1
    counts: dict[int, int] = {}
    value = index = line = 0
    line_start = True
    prev_cr = False
    units = array("H", text.encode("utf-16-le"))
    units.append(_EOF)
    for current in units:
        if current in (_SPACE, _TAB) or (prev_cr and current == _LF):
            prev_cr = False
            continue
        prev_cr = current == _CR
        if prev_cr:
            current = _LF
        if starts[index] != -1:
            yield starts[index], _occurrence(value, counts)
            starts[index] = -1
        if line_start:
            line_start = False
            line += 1
            starts[index] = line
        line_start = current == _LF
        value = (_MULTIPLIER * value + current - _FIRST_MOD * window[index]) & _MASK
        window[index] = current
        index = (index + 1) % _BLOCK_SIZE
    # Zero padding pushes the last lines' windows to their full 100 characters.
    for _ in range(_BLOCK_SIZE):
        if starts[index] != -1:
            yield starts[index], _occurrence(value, counts)
            starts[index] = -1
        value = (_MULTIPLIER * value - _FIRST_MOD * window[index]) & _MASK
        window[index] = 0
        index = (index + 1) % _BLOCK_SIZE


def _occurrence(value: int, counts: dict[int, int]) -> str:
    counts[value] = counts.get(value, 0) + 1
    return f"{value:x}:{counts[value]}"


def line_hash_table(text: str, last_line: int | None = None) -> list[str]:
    """The hashes of lines 1..`last_line` (all lines when None); index 0 is line 1.

    Stops reading once `last_line` is hashed: a line's hash and its occurrence count depend
    only on the text up to 100 significant characters after it.
    """
    table: list[str] = []
    for line, value in line_hashes(text):
        table.append(value)
        if last_line is not None and line >= last_line:
            break
    return table


class FileLineHashes:
    """The line hashes of one file, computed when first asked for and shared by all of its
    results: only SARIF reads them, and hashing runs in Python character by character (it was
    a fifth of a large scan with text or JSON output, which never show them).

    `text` gives the file's text as the scan read it; it must be picklable (a module-level
    function or a partial of one) so results can cross process boundaries.
    """

    __slots__ = ("_last_line", "_table", "_text")

    def __init__(self, text: Callable[[], str], last_line: int) -> None:
        self._text: Callable[[], str] | None = text
        self._last_line = last_line
        self._table: list[str] | None = None

    def of_line(self, line: int) -> str:
        """The hash of `line` (1-based), or "" past the end of the file."""
        table = self._table
        if table is None:
            assert self._text is not None
            text = self._text()
            table = self._table = line_hash_table(text, self._last_line) if text else []
            self._text = None
        return table[line - 1] if 0 < line <= len(table) else ""


def logical_fingerprint(code: str, path: str, identity: str, occurrence: int = 1) -> str:
    """A key for what a finding is: rule, file and the object's identity, never the line.

    `occurrence` tells apart findings that are otherwise identical (1 for the first).
    """
    import hashlib  # here: a scan without SARIF output never needs it (start-up time)

    text = "\0".join((code, path, identity, str(occurrence)))
    # surrogateescape: a file name that is not UTF-8 hashes as its bytes instead of raising.
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
