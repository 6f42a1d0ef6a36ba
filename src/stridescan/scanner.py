"""The pipeline end to end: discover, parse, link, run rules, merge, filter.

The per-file stage (stridescan.filestage) returns each finding finished, with its source
line, fingerprint and its file's suppression comments, so the merge here keeps no file's text
and builds each `Result` once; its memory at the end is about the results alone. A scan with
more than `COMPACT_AFTER` findings holds them packed instead (stridescan.resultstore),
orders and filters them one file at a time (stridescan.filefilter), and reports them as
sequences that build one file's Results at a time when read.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from stridescan._frozen import dataclass, replace
from stridescan.diagnostics import Notice, ParseError, Problem
from stridescan.discovery import classify_name, discover
from stridescan.engine import Result
from stridescan.filestage import (
    FileOutcome,
    StageContext,
    check_files,
    compact,
    finish_outcomes,
    plan_units,
    split_lines,
    unfinished,
)
from stridescan.filtering import FilterOptions, finish
from stridescan.fingerprint import FileLineHashes
from stridescan.inventory import FileSummary, run_scan_rules
from stridescan.limits import active as active_limits
from stridescan.linking import mark_api_access
from stridescan.model import Location
from stridescan.parallel import GC_THRESHOLD, Jobs
from stridescan.parsing import ParsedFile, parse_source
from stridescan.resultstore import (
    FileReader,
    FindingStore,
    PackedResults,
    Shelf,
    results_of,
    row_of,
    rows_in_report_order,
    tally_rows,
)
from stridescan.rules._meta import Severity
from stridescan.rules._registry import Rule, all_rules
from stridescan.sourcetext import decode_source, read_source
from stridescan.suppressions import InlineSuppression, comment_suppressions

if TYPE_CHECKING:
    from stridescan import filefilter

STDIN = "-"

#: Findings a scan holds as Results before it packs them (stridescan.resultstore): about
#: 17 MB of Results. The 10 MB benchmark corpus (28,000 findings) stays below, unpacked.
COMPACT_AFTER = 50_000
_NO_SUMMARY = FileSummary()


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRequest:
    paths: tuple[str, ...]
    root: Path
    rules: tuple[Rule, ...]
    excludes: tuple[str, ...] = ()
    stdin: bytes | None = None  # the bytes read when a path is "-"
    stdin_filename: str = "<stdin>"
    filters: FilterOptions = field(default_factory=FilterOptions)
    # Processes for the per-file stage: a number, or "auto" (stridescan.parallel).
    jobs: Jobs = 1
    # Return the linked model (`ScanReport.files`) for `threat-model`; scans in process.
    keep_model: bool = False
    # Findings held as Results before they are packed; None: `COMPACT_AFTER`.
    compact_after: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanReport:
    # In report order: a tuple, or `PackedResults` when the scan packed its findings.
    results: Sequence[Result]
    problems: tuple[Problem, ...]
    files_scanned: int
    rules: tuple[Rule, ...]
    # Results silenced by a suppression or the baseline, each with its `suppression` set;
    # text and JSON leave them out, SARIF shows them as suppressed.
    suppressed: Sequence[Result] = ()
    notices: tuple[Notice, ...] = ()
    # The directory result paths are relative to; SARIF declares it as %SRCROOT%.
    root: Path | None = None
    # The parsed and linked files, when the request asked to keep the model.
    files: tuple[ParsedFile, ...] = ()


def scan(request: ScanRequest) -> ScanReport:
    with _quiet_collector():
        return _scan(request)


@contextmanager
def _quiet_collector() -> Iterator[None]:
    """The garbage collector, told to leave alone what is already allocated (modules,
    rules) and to run less often (`parallel.GC_THRESHOLD`): the model is frozen dataclasses
    and tuples, without cycles, so collections found next to nothing to free."""
    thresholds = gc.get_threshold()
    # A program that froze objects itself keeps them frozen: `unfreeze` thaws them all.
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if ours:
            gc.unfreeze()


def _scan(request: ScanRequest) -> ScanReport:
    from stridescan.parallel import run_units, workers_for

    disk_paths = [path for path in request.paths if path != STDIN]
    discovered = discover(disk_paths, root=request.root, excludes=request.excludes)
    problems: list[Problem] = list(discovered.problems)
    stdin_texts: dict[str, str] = {}
    context = StageContext(root=request.root, rules=request.rules, keep_files=request.keep_model)
    rules_by_code = {rule.code: rule for rule in request.rules}
    first: list[FileOutcome] = []
    if STDIN in request.paths:
        parsed = _parse_stdin(request, stdin_texts)
        first = finish_outcomes(check_files([parsed], context, {}), stdin_texts)
    # Parse, link, the per-file rules and the findings' lines and fingerprints, in `--jobs`
    # processes (stridescan.parallel). Units come back in any order; they are merged in a
    # fixed one below, whichever worker finished first.
    units = plan_units(discovered.files)
    workers = 1 if request.keep_model else workers_for(request.jobs, units)
    disk = {source.display: source.path for source in discovered.files if source.path}
    # Files whose text the per-file stage did not hold (another unit's file reached through
    # `extends`, say): read here, only if a finding or its suppressions need them.
    other = _OtherFiles(stdin_texts, disk, request.root)
    compact_after = COMPACT_AFTER if request.compact_after is None else request.compact_after
    store = FindingStore(rules_by_code, other.line, compact_after=compact_after)
    # Each unit's findings become Results (or are packed) as soon as it is back (while the
    # workers go on), so the compact findings of no more than one unit are alive next to
    # them. Parts of the store: standard input, each unit, then what the merge adds.
    store.add(0, (f for outcome in first for f in outcome.found))
    by_unit: list[list[FileOutcome]] = [[] for _ in units]
    for index, unit_outcomes in run_units(units, context, workers):
        store.add(1 + index, (f for outcome in unit_outcomes for f in outcome.found))
        by_unit[index] = [_kept(outcome) for outcome in unit_outcomes]
    merged = 1 + len(units)
    position = {source.display: index for index, source in enumerate(discovered.files)}
    outcomes = first + sorted(
        (outcome for unit_outcomes in by_unit for outcome in unit_outcomes),
        key=lambda outcome: position.get(outcome.path, -1),
    )
    del by_unit, first
    # A RoleBinding in any file grants its service account's workloads API access.
    bound = frozenset().union(*(outcome.summary.bound_accounts for outcome in outcomes))
    annotations: list[InlineSuppression] = []
    comments: dict[str, tuple[InlineSuppression, ...]] = {}
    scanned: list[str] = []
    summaries: list[FileSummary] = []
    for outcome in outcomes:
        problems.extend(outcome.problems)
        if outcome.comments is not None:
            comments[outcome.path] = outcome.comments
        if outcome.kind is None:
            continue
        scanned.append(outcome.path)
        for account in outcome.accounts:
            is_bound = account.account in bound
            store.add(merged, account.bound if is_bound else account.unbound)
            problems.extend(account.bound_problems if is_bound else account.unbound_problems)
        annotations.extend(outcome.annotations)
        summaries.append(outcome.summary)
    files = (
        tuple(mark_api_access([o.file for o in outcomes if o.file is not None], bound))
        if request.keep_model
        else ()
    )
    del outcomes
    # Rules over the whole scanned set (a namespace's NetworkPolicy may be in another file).
    found, rule_problems = run_scan_rules(summaries, request.rules)
    del summaries
    store.add(merged, (unfinished(f) for f in compact(found)))
    del found
    problems.extend(rule_problems)
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))

    def comments_of(path: str) -> Sequence[InlineSuppression]:
        known = comments.get(path)
        return known if known is not None else other.comments(path)

    def text_of(path: str) -> Callable[[], str]:
        return _text_source(path, stdin_texts, disk, request.root)

    results: Sequence[Result]
    suppressed: Sequence[Result]
    if store.packed:
        from stridescan.filefilter import FileFilter

        filtering = FileFilter(request.filters, comments_of=comments_of, scanned_paths=scanned)
        results, suppressed = _finish_by_file(store, filtering, request, rules_by_code, text_of)
        notices = filtering.notices(annotations)
    else:
        ordered = _in_report_order(store.results(), text_of)
        if request.filters.policy is not None:
            ordered = request.filters.policy.apply(ordered)
        filtered = finish(
            ordered,
            annotations,
            options=request.filters,
            comments_of=comments_of,
            scanned_paths=scanned,
        )
        results, suppressed, notices = filtered.results, filtered.suppressed, filtered.notices
    return ScanReport(
        results=results,
        problems=tuple(problems),
        files_scanned=len(scanned),
        rules=request.rules,
        suppressed=suppressed,
        notices=notices,
        root=request.root,
        files=files,
    )


def _kept(outcome: FileOutcome) -> FileOutcome:
    """What the merge needs of an outcome whose findings are in the store: most files'
    summaries and API-access results are empty, and hold no objects of their own then."""
    summary = outcome.summary
    empty = not (
        summary.workloads or summary.network_policies or summary.services or summary.bound_accounts
    )
    return replace(
        outcome,
        found=(),
        summary=_NO_SUMMARY if empty else summary,
        accounts=tuple(
            account
            for account in outcome.accounts
            if account.unbound
            or account.bound
            or account.unbound_problems
            or account.bound_problems
        ),
    )


def _finish_by_file(
    store: FindingStore,
    filtering: filefilter.FileFilter,
    request: ScanRequest,
    rules: dict[str, Rule],
    text_of: Callable[[str], Callable[[], str]],
) -> tuple[PackedResults, PackedResults]:
    """A packed scan's results and silenced results, finished as `_in_report_order`, the
    policy and `finish` finish an unpacked one's, one file at a time, and packed again."""
    policy = request.filters.policy
    kept_shelf, silenced_shelf = Shelf(), Shelf()
    kept_tally: Counter[tuple[str, Severity]] = Counter()
    silenced_tally: Counter[tuple[str, Severity]] = Counter()
    for path, rows in store.files():
        if policy is None and filtering.unchanged(path):
            # Most files: ordered and numbered as plain rows, without building Results.
            rows = rows_in_report_order(rows)
            last_line = rows[-1][1]
            kept = [row for row in rows if row[9] is None]
            silenced = [row for row in rows if row[9] is not None]
            filtering.passed(path, results_of(path, silenced, rules, None))
        else:
            group = _file_in_report_order(results_of(path, rows, rules, None), text_of(path))
            last_line = group[-1].location.line
            if policy is not None:
                group = policy.apply(group)
            kept_results, silenced_results = filtering.file(path, group)
            kept = [row_of(result) for result in kept_results]
            silenced = [row_of(result) for result in silenced_results]
        del rows
        for shelf, tally, part in (
            (kept_shelf, kept_tally, kept),
            (silenced_shelf, silenced_tally, silenced),
        ):
            if part:
                shelf.add(path, last_line, part)
                tally_rows(tally, part)
    read = FileReader(rules, text_of)
    return (
        PackedResults(kept_shelf, read, kept_tally, rules),
        PackedResults(silenced_shelf, read, silenced_tally, rules),
    )


def _parse_stdin(request: ScanRequest, texts: dict[str, str]) -> ParsedFile:
    name = request.stdin_filename
    kind = classify_name(name.rsplit("/", 1)[-1])
    try:
        text = decode_source(request.stdin or b"", active_limits().max_file_bytes)
    except ParseError as error:
        return ParsedFile(path=name, kind=None, problems=(error.to_problem(name),))
    texts[name] = text
    return parse_source(text, name, kind if not isinstance(kind, bool) else None)


def _in_report_order(
    results: list[Result], text_of: Callable[[str], Callable[[], str]]
) -> list[Result]:
    """`results` sorted by `Result.sort_key` (stable) and numbered (`_file_in_report_order`).

    Grouped by file and each file sorted on its own, which is the order of one stable sort
    of them all, without a sort key alive for every result at once.
    """
    by_path: dict[str, list[Result]] = {}
    for result in results:
        by_path.setdefault(result.location.path, []).append(result)
    results.clear()
    for path in sorted(by_path):
        results.extend(_file_in_report_order(by_path.pop(path), text_of(path)))
    return results


def _file_in_report_order(group: list[Result], text: Callable[[], str]) -> list[Result]:
    """One file's results sorted by `Result.sort_key` (stable), each numbered among those
    with its rule and message (its `occurrence`, which its fingerprint hashes) and given
    the file's GitHub line hashes, computed only when a reporter asks for them (SARIF),
    from the file read once more then (`text`).

    The two are set on Results built moments ago by this scan and seen by nothing else yet,
    in place: building each again would hold two of every result at once.
    """
    group.sort(key=_in_file)
    hashes = FileLineHashes(text, group[-1].location.line)
    seen: dict[tuple[str, str], int] = {}
    for result in group:
        identity = (result.rule.code, result.message)
        seen[identity] = count = seen.get(identity, 0) + 1
        object.__setattr__(result, "occurrence", count)
        object.__setattr__(result, "line_hashes", hashes)
    return group


def _in_file(result: Result) -> tuple[int, int, str, str]:
    """`Result.sort_key` after the path, for results of one file."""
    location = result.location
    return (location.line, location.column, result.rule.code, result.message)


def _text_source(
    path: str, stdin_texts: dict[str, str], disk: dict[str, Path], root: Path
) -> Callable[[], str]:
    """How `FileLineHashes` gets a file's text when SARIF asks: read from disk again (a
    module-level function, so results stay picklable), or standard input's as read."""
    if path in stdin_texts:
        return partial(_text_of, path, {path: stdin_texts[path]}, root)
    if path in disk:
        return partial(_read_or_empty, disk[path])
    return partial(_text_of, path, {}, root)


class _OtherFiles:
    """The lines of files read by the merge (not by the per-file stage), read once each."""

    def __init__(self, stdin_texts: dict[str, str], disk: dict[str, Path], root: Path) -> None:
        self._stdin_texts = stdin_texts
        self._disk = disk
        self._root = root
        self._lines: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        lines = self._lines.get(path)
        if lines is None:
            disk = self._disk.get(path)
            text = (
                _read_or_empty(disk)
                if disk is not None and path not in self._stdin_texts
                else _text_of(path, self._stdin_texts, self._root)
            )
            lines = self._lines[path] = split_lines(text)
        return lines

    def line(self, location: Location) -> str:
        lines = self.lines(location.path)
        return lines[location.line - 1] if 0 < location.line <= len(lines) else ""

    def comments(self, path: str) -> list[InlineSuppression]:
        return comment_suppressions(path, self.lines(path), all_rules())


def _read_or_empty(path: Path) -> str:
    try:
        return read_source(path)
    except ParseError:
        return ""


def _text_of(path: str, texts: dict[str, str], root: Path) -> str:
    if path in texts:
        return texts[path]
    candidate = Path(path) if Path(path).is_absolute() else root / path
    return _read_or_empty(candidate)
