"""Fingerprints that let GitHub and stridescan recognise a finding after its file changes.

`line_hashes` is GitHub's `primaryLocationLineHash`, as github/codeql-action
`src/fingerprints.ts` computes it: a rolling hash over the 100 significant UTF-16 code units
that start each line, ignoring spaces and tabs, so it survives lines inserted above a finding
and re-indentation. upload-sarif computes it itself when it is absent, but only when the file
is in its checkout; REST uploads without it may duplicate alerts. Sending our own, computed
the same way, keeps alerts matched either way.

The reference hashes one character at a time; done so in Python that took seconds for a big
file. The same values come here from whole-line arithmetic done by the interpreter's C code.
The window of line i+1 is the window of line i shifted by line i's length m, so

    hash(i+1) = hash(i) * 37**m - 37**100 * hash(line i) + hash(the m units after window i)

(mod 2**64), and every hash of a short run of units is taken at once for thousands of runs
by `_fold`: big-integer shifts, masks and multiplications over the runs packed side by side.
Only the recurrence itself stays a Python loop, one step per line.

`logical_fingerprint` is ours (`stridescan/v1` in SARIF): what a finding is, not where, so a
finding keeps its identity when its line moves.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, islice, repeat

_BLOCK_SIZE = 100
_MULTIPLIER = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MULTIPLIER, _BLOCK_SIZE, 1 << 64)
# The end of the file, then zeros: what the reference feeds after the last character.
_TAIL = "\uffff" + "\0" * _BLOCK_SIZE
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Runs longer than this are hashed in pieces (`_long_hash`); folds stay near a megabyte,
# where the big-integer passes run in the processor's cache.
_FOLD_UNITS = 128
_FOLD_BYTES = 1 << 20


def line_hashes(text: str) -> Iterator[tuple[int, str]]:
    """Yield `(line, "hexhash:N")` for every line of `text`, in line order, 1-based.

    The text is taken as GitHub reads the file: a byte-order mark, if the file had one, is
    part of the first line there, so pass it in to match exactly. A text that ends with a
    newline has one more line, the empty tail, as in the reference implementation.
    """
    counts: dict[int, int] = {}
    for line, value in enumerate(line_hash_values(text), 1):
        counts[value] = count = counts.get(value, 0) + 1
        yield line, f"{value:x}:{count}"


def line_hash_table(text: str, last_line: int | None = None) -> list[str]:
    """The hashes of lines 1..`last_line` (all lines when None); index 0 is line 1."""
    counts: dict[int, int] = {}
    table: list[str] = []
    for value in line_hash_values(text, last_line):
        counts[value] = count = counts.get(value, 0) + 1
        table.append(f"{value:x}:{count}")
    return table


def line_hash_values(text: str, last_line: int | None = None) -> list[int]:
    """The hash values (without their `:N`) of lines 1..`last_line`, all lines when None.

    A line's value depends only on the text up to 100 significant units after its start, so
    the text past that is never read.
    """
    flat, data, unit = _significant(text, last_line)
    lines = flat.split("\n")
    wanted = len(lines) if last_line is None else min(last_line, len(lines))
    if wanted < 1:
        return []
    # The recurrence steps over lines 1..wanted-1: their lengths (with the line end) and
    # where each starts, in units.
    lengths = [size + 1 for size in map(len, lines[: wanted - 1])]
    del lines
    starts = list(accumulate(lengths, initial=0))
    # Window i covers units [starts[i], ends[i]); stepping to window i+1 takes in the run
    # [ends[i], ends[i+1]). Runs that reach past `flat` read the end-of-file marker and
    # padding, which do not fit a byte a unit: those few are hashed apart. (A text that was
    # cut never has any.)
    ends = [start + _BLOCK_SIZE for start in starts]
    inside = bisect_right(ends, len(flat))
    reread = ends[inside - 1] if inside else 0  # where the first of those runs starts
    rest = flat[reread:] + _TAIL
    tail = [
        rest[start - reread : end - reread]
        for start, end in zip([0, *ends][inside:-1], ends[inside:], strict=True)
    ]
    cuts = starts if unit == 1 else [2 * start for start in starts]
    window_cuts = [0, *(ends[:inside] if unit == 1 else (2 * end for end in ends[:inside]))]
    del starts, ends
    runs = list(map(data.__getitem__, map(slice, cuts, cuts[1:])))
    runs += map(data.__getitem__, map(slice, window_cuts, window_cuts[1:]))
    del cuts, window_cuts
    hashes = _hashes(runs, unit)
    del runs
    hashes += _hashes([run.encode("utf-16-be", "surrogatepass") for run in tail], 2)
    power = {length: pow(_MULTIPLIER, length, 1 << 64) for length in set(lengths)}
    # hashes: those of lines 1..wanted-1, then the first window, then the runs.
    value = hashes[len(lengths)]
    values = [value]
    append = values.append
    for step, line, incoming in zip(
        map(power.__getitem__, lengths),
        islice(hashes, len(lengths)),
        islice(hashes, len(lengths) + 1, None),
        strict=True,
    ):
        value = (value * step - _FIRST_MOD * line + incoming) & _MASK
        append(value)
    return values


def _significant(text: str, last_line: int | None) -> tuple[str, bytes, int]:
    """The UTF-16 code units that count, as a string with one character per unit and "\\n"
    for every line end, cut after the last line any wanted window reaches; and the same
    encoded with `unit` bytes a unit (1 when every unit fits a byte, else 2, big-endian)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if last_line is not None:
        # Every line has at least one significant unit, its end, so the window of
        # `last_line` ends within the 100 lines after it.
        head = text.split("\n", last_line + _BLOCK_SIZE)
        if len(head) > last_line + _BLOCK_SIZE:
            text = "\n".join(head[:-1])
    flat = text.replace(" ", "").replace("\t", "")
    try:
        return flat, flat.encode("latin-1"), 1
    except UnicodeEncodeError:
        if _ASTRAL.search(flat):
            flat = _ASTRAL.sub(_as_surrogates, flat)
        return flat, flat.encode("utf-16-be", "surrogatepass"), 2


def _as_surrogates(match: re.Match[str]) -> str:
    """A character outside the BMP as its two UTF-16 code units (JavaScript's view)."""
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def _hashes(runs: list[bytes], unit: int) -> list[int]:
    """The hash of each run of big-endian units of `unit` bytes; alike runs are hashed once,
    runs of about the same length together."""
    found = dict.fromkeys(runs, 0)
    distinct = sorted(found, key=len)
    sizes = list(map(len, distinct))
    low = 0
    units = 8 // unit  # at least a 64-bit word per run
    while low < len(distinct):
        if units > _FOLD_UNITS:
            found.update((run, _long_hash(run, unit)) for run in distinct[low:])
            break
        high = bisect_right(sizes, units * unit, low)
        found.update(zip(distinct[low:high], _fold(distinct[low:high], units, unit), strict=True))
        low = high
        units *= 2
    return list(map(found.__getitem__, runs))


def _long_hash(run: bytes, unit: int) -> int:
    """The hash of a run longer than a fold takes, folded piece by piece."""
    step = _FOLD_UNITS * unit
    pieces = [run[start : start + step] for start in range(0, len(run), step)]
    value = 0
    for piece, piece_hash in zip(pieces, _fold(pieces, _FOLD_UNITS, unit), strict=True):
        value = (value * pow(_MULTIPLIER, len(piece) // unit, 1 << 64) + piece_hash) & _MASK
    return value


def _fold(runs: Sequence[bytes], units: int, unit: int) -> list[int]:
    """The hash of each run of at most `units` big-endian units of `unit` bytes, in batches
    of about a megabyte."""
    batch = max(1, _FOLD_BYTES // (units * unit))
    hashes: list[int] = []
    for start in range(0, len(runs), batch):
        hashes += _fold_batch(runs[start : start + batch], units, unit)
    return hashes


def _fold_batch(runs: Sequence[bytes], units: int, unit: int) -> list[int]:
    """Horner's rule for all `runs` at once, on one integer holding them side by side.

    Each run is left-padded with zeros (which do not change its hash) to `units` units, and
    adjacent blocks of 1, 2, 4 ... units are merged as `left * 37**width + right`. The exact
    value of a block of w units is below 2**(8*unit + 5.3*(w-1)), within its 8*unit*w bits,
    so no block spills into its neighbour and the last 64 bits of each run are its hash.
    """
    size = units * unit
    count = len(runs)
    packed = int.from_bytes(b"".join(map(bytes.rjust, runs, repeat(size), repeat(b"\0"))), "big")
    width = 1
    while width < units:
        half = width * unit
        right = int.from_bytes(
            (bytes(half) + b"\xff" * half) * (count * units // (2 * width)), "big"
        )
        packed = ((packed >> (8 * half)) & right) * _MULTIPLIER**width + (packed & right)
        width *= 2
    words = array("Q", packed.to_bytes(count * size, "big"))
    if sys.byteorder == "little":
        words.byteswap()
    return words[size // 8 - 1 :: size // 8].tolist()


class FileLineHashes:
    """The line hashes of one file, computed when first asked for and shared by all of its
    results: only SARIF reads them (hashing was a fifth of a large scan with text or JSON
    output, which never show them).

    `text` gives the file's text as the scan read it; it must be picklable (a module-level
    function or a partial of one) so results can cross process boundaries.
    """

    __slots__ = ("_last_line", "_occurrences", "_text", "_unique", "_values")

    def __init__(self, text: Callable[[], str], last_line: int) -> None:
        self._text: Callable[[], str] | None = text
        self._last_line = last_line
        self._values: list[int] | None = None
        self._unique: bool | None = None
        self._occurrences: list[int] | None = None

    def of_line(self, line: int) -> str:
        """The hash of `line` (1-based), or "" past the end of the file."""
        values = self._values
        if values is None:
            assert self._text is not None
            text = self._text()
            values = self._values = line_hash_values(text, self._last_line) if text else []
            self._text = None
        if not 0 < line <= len(values):
            return ""
        return f"{values[line - 1]:x}:{self._occurrence(values, line - 1)}"

    def _occurrence(self, values: list[int], index: int) -> int:
        """How many of lines 1..index+1 hash alike to line index+1. Most files' hashes are
        all different, and then no line needs counting."""
        if self._unique is None:
            self._unique = len(set(values)) == len(values)
        if self._unique:
            return 1
        if self._occurrences is None:
            seen: dict[int, int] = {}
            occurrences = self._occurrences = []
            for value in values:
                seen[value] = count = seen.get(value, 0) + 1
                occurrences.append(count)
        return self._occurrences[index]


def logical_fingerprint(code: str, path: str, identity: str, occurrence: int = 1) -> str:
    """A key for what a finding is: rule, file and the object's identity, never the line.

    `occurrence` tells apart findings that are otherwise identical (1 for the first).
    """
    import hashlib  # here: a scan without SARIF output never needs it (start-up time)

    text = "\0".join((code, path, identity, str(occurrence)))
    # surrogateescape: a file name that is not UTF-8 hashes as its bytes instead of raising.
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
