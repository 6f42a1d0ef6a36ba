"""A large scan's findings held packed, file by file, instead of as `Result` objects.

A Result with its `Location` and message takes about 340 bytes, and a large repository has
hundreds of thousands of findings (277,000 on the 100 MB benchmark corpus): held as Results
they were most of a scan's peak memory. `FindingStore` holds a scan's findings as Results
while they are few; once it holds more than its bound, it packs each part's findings of
each file into one zlib-compressed `marshal` of plain tuples (about 40 bytes a finding: the
messages of a file repeat). The report of such a scan lists its results as `PackedResults`,
read-only sequences that build one file's Results at a time each time they are read, so a
reporter writing them holds no more than one file's. Small scans never pack and pay nothing.
"""

from __future__ import annotations

import marshal
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, islice
from typing import cast, overload

from stridescan.engine import Result, Suppression
from stridescan.filestage import Finding
from stridescan.fingerprint import FileLineHashes
from stridescan.model import Location
from stridescan.rules._meta import Severity
from stridescan.rules._registry import Rule

# A Location as plain values: path, line, column, end line, end column.
_Place = tuple[str, int, int, int | None, int | None]
# A Suppression as plain values: kind, justification, where it is written.
_Silenced = tuple[str, str, _Place | None]
# A Result of a known file as plain values: rule code, line, column, end line, end column,
# message, severity, source line, occurrence, suppression.
Row = tuple[str, int, int, int | None, int | None, str, str, str, int, _Silenced | None]

# zlib's fastest level (the next ones shrink findings by a tenth at half the speed again),
# raw deflate with a 4 KiB window and little memory: a file's rows are a few KiB, which pack
# as small and as fast so, and each packing sets up 20 KiB of state instead of 260 KiB.
_LEVEL = 1
_WINDOW_BITS = -12
_MEMORY_LEVEL = 3
_SEVERITIES = {severity.value: severity for severity in Severity}
# A Shelf's chunk: large enough that the allocator maps it on its own, outside the heap.
_CHUNK_BYTES = 256 * 1024


def pack(rows: list[Row]) -> bytes:
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL)
    return packer.compress(marshal.dumps(rows)) + packer.flush()


def unpack(blob: bytes | memoryview) -> list[Row]:
    return cast(list[Row], marshal.loads(zlib.decompress(blob, _WINDOW_BITS)))


def rows_in_report_order(rows: list[Row]) -> list[Row]:
    """One file's rows as `scanner._file_in_report_order` orders and numbers its Results:
    sorted (stable) by line, column, rule code and message, each numbered among those with
    its rule code and message."""
    rows.sort(key=_in_file)
    seen: dict[tuple[str, str], int] = {}
    out: list[Row] = []
    for code, line, column, end_line, end_column, message, severity, text, _, silenced in rows:
        identity = (code, message)
        seen[identity] = count = seen.get(identity, 0) + 1
        out.append(
            (code, line, column, end_line, end_column, message, severity, text, count, silenced)
        )
    return out


def _in_file(row: Row) -> tuple[int, int, str, str]:
    return (row[1], row[2], row[0], row[5])


def tally_rows(tally: Counter[tuple[str, Severity]], rows: Iterable[Row]) -> None:
    """Count `rows` by rule code and severity into `tally` (`PackedResults.tally`)."""
    tally.update((row[0], _SEVERITIES[row[6]]) for row in rows)


def row_of(result: Result) -> Row:
    """`result` as a Row; its path, and its file's line hashes, are its file's."""
    loc = result.location
    return (
        result.rule.code,
        loc.line,
        loc.column,
        loc.end_line,
        loc.end_column,
        result.message,
        result.severity.value,
        result.source_line,
        result.occurrence,
        _silenced(result.suppression),
    )


def _silenced(suppression: Suppression | None) -> _Silenced | None:
    if suppression is None:
        return None
    where = suppression.location
    return (suppression.kind, suppression.justification, None if where is None else _place(where))


def _place(location: Location) -> _Place:
    return (location.path, location.line, location.column, location.end_line, location.end_column)


def _location(place: _Place) -> Location:
    path, line, column, end_line, end_column = place
    return Location(path=path, line=line, column=column, end_line=end_line, end_column=end_column)


def results_of(
    path: str, rows: Iterable[Row], rules: Mapping[str, Rule], hashes: FileLineHashes | None
) -> list[Result]:
    """The Results of one file's rows, sharing its line hashes."""
    out: list[Result] = []
    for code, line, column, end_line, end_column, message, severity, text, count, silenced in rows:
        suppression = None
        if silenced is not None:
            kind, justification, where = silenced
            suppression = Suppression(
                kind=kind,
                justification=justification,
                location=None if where is None else _location(where),
            )
        out.append(
            Result(
                rule=rules[code],
                location=Location(
                    path=path, line=line, column=column, end_line=end_line, end_column=end_column
                ),
                message=message,
                severity=_SEVERITIES[severity],
                source_line=text,
                occurrence=count,
                line_hashes=hashes,
                suppression=suppression,
            )
        )
    return out


class Shelf:
    """Packed rows in large chunks, an entry per file (or per part of a file), and what
    each entry holds in arrays beside them.

    No small object stays alive per entry: the allocator's pools that each file's parse
    freed are left free, not pinned by what the scan keeps of that file (a few hundred
    bytes per file as objects of their own kept pools of 16 KiB alive). Chunks have a fixed
    size, so the shelf grows without copying, and a reader that is done with entries can
    `release` them: a chunk goes once all of its entries are released.
    """

    def __init__(self) -> None:
        self._chunks: list[bytearray | None] = []
        self._unreleased = array("q")  # per chunk
        self._fill = 0  # bytes used in the last chunk
        self._chunk_of = array("q")
        self._starts = array("q")
        self._sizes = array("q")
        self._paths: list[str] = []
        self._keys = array("q")  # the part's order, or the file's last line
        self._counts = array("q")

    def add(self, path: str, key: int, rows: list[Row]) -> None:
        blob = pack(rows)
        size = len(blob)
        chunk = self._chunks[-1] if self._chunks else None
        if chunk is None or self._fill + size > len(chunk):
            chunk = bytearray(max(_CHUNK_BYTES, size))
            self._chunks.append(chunk)
            self._unreleased.append(0)
            self._fill = 0
        chunk[self._fill : self._fill + size] = blob
        self._chunk_of.append(len(self._chunks) - 1)
        self._unreleased[-1] += 1
        self._starts.append(self._fill)
        self._sizes.append(size)
        self._fill += size
        self._paths.append(path)
        self._keys.append(key)
        self._counts.append(len(rows))

    def __len__(self) -> int:
        return len(self._paths)

    def path(self, index: int) -> str:
        return self._paths[index]

    def key(self, index: int) -> int:
        return self._keys[index]

    def count(self, index: int) -> int:
        return self._counts[index]

    def rows(self, index: int) -> list[Row]:
        chunk = self._chunks[self._chunk_of[index]]
        assert chunk is not None, "a released entry"
        start = self._starts[index]
        with memoryview(chunk) as data:
            return unpack(data[start : start + self._sizes[index]])

    def release(self, index: int) -> None:
        """The entry will not be read again."""
        which = self._chunk_of[index]
        self._unreleased[which] -= 1
        if not self._unreleased[which]:
            self._chunks[which] = None


class FindingStore:
    """A scan's findings as they come, until the report puts them in order.

    `add(order, findings)` takes the findings of one part of the scan (a unit of the
    per-file stage, say); parts are read back in `order`, whatever order they came in
    (workers finish units in any order), and each part's findings as given. They are held
    as Results, built once each with equal source lines shared, until more than
    `compact_after` are held: then, and for every part after, packed by file.
    """

    def __init__(
        self,
        rules: Mapping[str, Rule],
        line_of: Callable[[Location], str],
        *,
        compact_after: int,
    ) -> None:
        self._rules = rules
        self._line_of = line_of  # the line of a finding whose part did not hold its file
        self._compact_after = compact_after
        self._lines: dict[str, str] = {}
        self._held: dict[int, list[Result]] | None = {}
        self._count = 0
        self._shelf = Shelf()

    @property
    def packed(self) -> bool:
        return self._held is None

    def add(self, order: int, findings: Iterable[Finding]) -> None:
        held = self._held
        if held is None:
            self._pack(order, map(self._row, findings))
            return
        part = held.setdefault(order, [])
        before = len(part)
        part.extend(map(self._build, findings))
        self._count += len(part) - before
        if self._count > self._compact_after:
            self._held = None
            self._lines.clear()
            for key, results in held.items():
                self._pack(key, ((result.location.path, row_of(result)) for result in results))

    def results(self) -> list[Result]:
        """Every Result held, parts in order; the store holds none after. Not once packed."""
        held, self._held = self._held, {}
        assert held is not None, "a packed store is read by file (`files`)"
        return [result for order in sorted(held) for result in held[order]]

    def files(self) -> Iterator[tuple[str, list[Row]]]:
        """Each file's rows, files in path order and parts in order (one order's parts as
        added: the sort is stable); the store is empty after."""
        shelf, self._shelf = self._shelf, Shelf()
        entries = sorted(range(len(shelf)), key=lambda i: (shelf.path(i), shelf.key(i)))
        rows: list[Row] = []
        for position, index in enumerate(entries):
            rows.extend(shelf.rows(index))
            shelf.release(index)
            path = shelf.path(index)
            if position + 1 == len(entries) or shelf.path(entries[position + 1]) != path:
                yield path, rows
                rows = []

    def _build(self, finding: Finding) -> Result:
        code, location, message, suppression, line = finding
        if line is None:
            line = self._line_of(location)
        rule = self._rules[code]
        return Result(
            rule=rule,
            location=location,
            message=message,
            severity=rule.severity,
            source_line=self._lines.setdefault(line, line),
            suppression=suppression,
        )

    def _row(self, finding: Finding) -> tuple[str, Row]:
        code, location, message, suppression, line = finding
        row: Row = (
            code,
            location.line,
            location.column,
            location.end_line,
            location.end_column,
            message,
            self._rules[code].severity.value,
            self._line_of(location) if line is None else line,
            0,
            _silenced(suppression),
        )
        return location.path, row

    def _pack(self, order: int, rows: Iterable[tuple[str, Row]]) -> None:
        by_path: dict[str, list[Row]] = {}
        for path, row in rows:
            by_path.setdefault(path, []).append(row)
        for path, file_rows in by_path.items():
            self._shelf.add(path, order, file_rows)


class FileReader:
    """A packed file's Results, sharing line hashes read from its text when first asked
    for (SARIF); `text_of(path)` says how to get a file's text (`FileLineHashes`)."""

    def __init__(
        self, rules: Mapping[str, Rule], text_of: Callable[[str], Callable[[], str]]
    ) -> None:
        self._rules = rules
        self._text_of = text_of

    def __call__(self, shelf: Shelf, index: int) -> list[Result]:
        path = shelf.path(index)
        hashes = FileLineHashes(self._text_of(path), shelf.key(index))
        return results_of(path, shelf.rows(index), self._rules, hashes)


class PackedResults(Sequence[Result]):
    """Results packed file by file, in report order: a read-only sequence of known length
    that can be read any number of times, each time building one file's Results at a time.

    `shelf` holds each file's rows under its last line (kept or silenced: how far its line
    hashes go); `read` builds them. Reading it whole costs the Results' building each time:
    reporters go through it once or a few times (counts, then findings), in order; indexing
    builds the file of the index. It equals only itself (a tuple of the same Results is
    not equal to it).
    """

    __slots__ = ("_ends", "_read", "_shelf", "rules", "tally")

    def __init__(
        self,
        shelf: Shelf,
        read: Callable[[Shelf, int], list[Result]],
        tally: Counter[tuple[str, Severity]],
        rules: Mapping[str, Rule],
    ) -> None:
        self._shelf = shelf
        self._read = read
        # How many of them each rule (by code, in `rules`) has at each severity: the
        # reporters' totals.
        self.tally = tally
        self.rules = rules
        self._ends = array("q", accumulate(shelf.count(i) for i in range(len(shelf))))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[Result]:
        shelf, read = self._shelf, self._read
        for index in range(len(shelf)):
            yield from read(shelf, index)

    def __reversed__(self) -> Iterator[Result]:
        shelf, read = self._shelf, self._read
        for index in reversed(range(len(shelf))):
            yield from reversed(read(shelf, index))

    @overload
    def __getitem__(self, index: int) -> Result: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Result, ...]: ...

    def __getitem__(self, index: int | slice) -> Result | tuple[Result, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step < 0:
                return tuple(self)[index]
            return tuple(islice(self, start, max(start, stop), step))
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError("PackedResults index out of range")
        which = bisect_right(self._ends, position)
        before = self._ends[which - 1] if which else 0
        return self._read(self._shelf, which)[position - before]

    def __repr__(self) -> str:
        return f"<PackedResults: {len(self)} results in {len(self._shelf)} files>"

    def mapped(self, change: Callable[[Result], Result]) -> PackedResults:
        """The same results, each passed through `change` as it is built; `change` keeps
        each result's rule and severity."""
        read = self._read

        def read_changed(shelf: Shelf, index: int) -> list[Result]:
            return [change(result) for result in read(shelf, index)]

        return PackedResults(self._shelf, read_changed, self.tally, self.rules)


def mapped(results: Sequence[Result], change: Callable[[Result], Result]) -> Sequence[Result]:
    """`results` passed through `change`: a tuple, or still packed when they are."""
    if isinstance(results, PackedResults):
        return results.mapped(change)
    return tuple(map(change, results))
