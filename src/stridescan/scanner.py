"""The pipeline end to end: discover, parse, link, run rules, attach source lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from stridescan.compose_merge import merge_overrides, resolve_extends
from stridescan.diagnostics import Notice, ParseError, Problem
from stridescan.discovery import SourceFile, classify_name, discover
from stridescan.engine import Result
from stridescan.filtering import FilterOptions, finish, run_file_rules
from stridescan.fingerprint import line_hash_table, logical_fingerprint
from stridescan.interpolation import dotenv_beside
from stridescan.inventory import FileSummary, run_scan_rules, summarize
from stridescan.limits import active as active_limits
from stridescan.linking import link
from stridescan.model import SourceKind
from stridescan.parsing import ParsedFile, parse_source
from stridescan.rules._registry import Rule
from stridescan.sourcetext import decode_source, read_source

STDIN = "-"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRequest:
    paths: tuple[str, ...]
    root: Path
    rules: tuple[Rule, ...]
    excludes: tuple[str, ...] = ()
    stdin: bytes | None = None  # the bytes read when a path is "-"
    stdin_filename: str = "<stdin>"
    filters: FilterOptions = field(default_factory=FilterOptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanReport:
    results: tuple[Result, ...]
    problems: tuple[Problem, ...]
    files_scanned: int
    rules: tuple[Rule, ...]
    # Results silenced by a suppression or the baseline, each with its `suppression` set;
    # text and JSON leave them out, SARIF shows them as suppressed.
    suppressed: tuple[Result, ...] = ()
    notices: tuple[Notice, ...] = ()
    # The directory result paths are relative to; SARIF declares it as %SRCROOT%.
    root: Path | None = None


def scan(request: ScanRequest) -> ScanReport:
    disk_paths = [path for path in request.paths if path != STDIN]
    discovered = discover(disk_paths, root=request.root, excludes=request.excludes)
    problems: list[Problem] = list(discovered.problems)
    texts: dict[str, str] = {}
    parsed: list[ParsedFile] = []
    if STDIN in request.paths:
        parsed.append(_parse_stdin(request, texts))
    parsed.extend(_parse_file(source) for source in discovered.files)
    parsed = link(merge_overrides(resolve_extends(parsed, request.root)), request.root)

    results: list[Result] = []
    annotations = []
    scanned: list[str] = []
    summaries: list[FileSummary] = []
    for file in parsed:
        problems.extend(file.problems)
        if file.kind is None:
            continue
        scanned.append(file.path)
        found, rule_problems, annotated = run_file_rules(file, request.rules)
        results.extend(found)
        problems.extend(rule_problems)
        annotations.extend(annotated)
        summaries.append(summarize(file))
    # Rules over the whole scanned set (a namespace's NetworkPolicy may be in another file).
    found, rule_problems = run_scan_rules(summaries, request.rules)
    results.extend(found)
    problems.extend(rule_problems)
    if request.filters.policy is not None:
        results = request.filters.policy.apply(results)
    lines_by_path: dict[str, list[str]] = {}
    results = _with_source_lines(results, texts, request.root, lines_by_path)
    results.sort(key=lambda r: r.sort_key)
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))

    def lines_of(path: str) -> list[str]:
        if path not in lines_by_path:
            lines_by_path[path] = _lines_of(path, texts, request.root)
        return lines_by_path[path]

    filtered = finish(
        results, annotations, options=request.filters, lines_of=lines_of, scanned_paths=scanned
    )
    return ScanReport(
        results=filtered.results,
        problems=tuple(problems),
        files_scanned=len(scanned),
        rules=request.rules,
        suppressed=filtered.suppressed,
        notices=filtered.notices,
        root=request.root,
    )


def _parse_file(source: SourceFile) -> ParsedFile:
    assert source.path is not None
    try:
        text = read_source(source.path)
    except ParseError as error:
        if source.kind is None and not source.explicit:
            return ParsedFile(path=source.display, kind=None)
        return ParsedFile(
            path=source.display, kind=source.kind, problems=(error.to_problem(source.display),)
        )
    # Compose reads `${VAR}` from the `.env` beside the file; Dockerfiles have their own ARGs.
    variables = dotenv_beside(source.path) if source.kind is not SourceKind.DOCKERFILE else None
    return parse_source(text, source.display, source.kind, variables=variables)


def _parse_stdin(request: ScanRequest, texts: dict[str, str]) -> ParsedFile:
    name = request.stdin_filename
    kind = classify_name(name.rsplit("/", 1)[-1])
    try:
        text = decode_source(request.stdin or b"", active_limits().max_file_bytes)
    except ParseError as error:
        return ParsedFile(path=name, kind=None, problems=(error.to_problem(name),))
    texts[name] = text
    return parse_source(text, name, kind if not isinstance(kind, bool) else None)


def _with_source_lines(
    results: Sequence[Result],
    texts: dict[str, str],
    root: Path,
    lines_by_path: dict[str, list[str]],
) -> list[Result]:
    """Attach the text of each finding's line and its fingerprints (stridescan.fingerprint);
    files are read again only if they have a finding.

    `lines_by_path` caches the lines read, for the suppression comments of the filter stage.
    """
    last_line: dict[str, int] = {}
    for result in results:
        path = result.location.path
        last_line[path] = max(last_line.get(path, 0), result.location.line)
    hashes_by_path: dict[str, list[str]] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[Result] = []
    for result in sorted(results, key=lambda r: r.sort_key):
        path = result.location.path
        if path not in hashes_by_path:
            text = _text_of(path, texts, root)
            lines_by_path.setdefault(path, _split_lines(text))
            hashes_by_path[path] = line_hash_table(text, last_line[path]) if text else []
        lines, hashes = lines_by_path[path], hashes_by_path[path]
        line = result.location.line
        identity = (result.rule.code, path, result.message)
        seen[identity] += 1
        out.append(
            replace(
                result,
                source_line=lines[line - 1] if 0 < line <= len(lines) else "",
                line_hash=hashes[line - 1] if 0 < line <= len(hashes) else "",
                fingerprint=logical_fingerprint(*identity, occurrence=seen[identity]),
            )
        )
    return out


def _lines_of(path: str, texts: dict[str, str], root: Path) -> list[str]:
    return _split_lines(_text_of(path, texts, root))


def _split_lines(text: str) -> list[str]:
    """Lines as the parsers number them: split at LF only (splitlines also splits at form
    feeds and Unicode separators, which would shift every line after one)."""
    return text.split("\n")


def _text_of(path: str, texts: dict[str, str], root: Path) -> str:
    if path in texts:
        return texts[path]
    candidate = Path(path) if Path(path).is_absolute() else root / path
    try:
        return read_source(candidate)
    except ParseError:
        return ""
