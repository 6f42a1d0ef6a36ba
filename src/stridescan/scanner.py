"""The pipeline end to end: discover, parse, link, run rules, attach source lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from stridescan.diagnostics import ParseError, Problem
from stridescan.discovery import SourceFile, classify_name, discover
from stridescan.engine import Result, model_objects, run_rules
from stridescan.linking import link
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanReport:
    results: tuple[Result, ...]
    problems: tuple[Problem, ...]
    files_scanned: int
    rules: tuple[Rule, ...]


def scan(request: ScanRequest) -> ScanReport:
    disk_paths = [path for path in request.paths if path != STDIN]
    discovered = discover(disk_paths, root=request.root, excludes=request.excludes)
    problems: list[Problem] = list(discovered.problems)
    texts: dict[str, str] = {}
    parsed: list[ParsedFile] = []
    if STDIN in request.paths:
        parsed.append(_parse_stdin(request, texts))
    parsed.extend(_parse_file(source) for source in discovered.files)
    parsed = link(parsed, request.root)

    results: list[Result] = []
    scanned = 0
    for file in parsed:
        problems.extend(file.problems)
        if file.kind is None:
            continue
        scanned += 1
        found, rule_problems = run_rules(model_objects(file.images, file.workloads), request.rules)
        results.extend(found)
        problems.extend(rule_problems)
    results = _with_source_lines(results, texts, request.root)
    results.sort(key=lambda r: r.sort_key)
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))
    return ScanReport(
        results=tuple(results),
        problems=tuple(problems),
        files_scanned=scanned,
        rules=request.rules,
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
    return parse_source(text, source.display, source.kind)


def _parse_stdin(request: ScanRequest, texts: dict[str, str]) -> ParsedFile:
    name = request.stdin_filename
    kind = classify_name(name.rsplit("/", 1)[-1])
    try:
        text = decode_source(request.stdin or b"")
    except ParseError as error:
        return ParsedFile(path=name, kind=None, problems=(error.to_problem(name),))
    texts[name] = text
    return parse_source(text, name, kind if not isinstance(kind, bool) else None)


def _with_source_lines(
    results: Sequence[Result], texts: dict[str, str], root: Path
) -> list[Result]:
    """Attach the text of each finding's line; files are read again only if they have one."""
    lines_by_path: dict[str, list[str]] = {}
    out: list[Result] = []
    for result in results:
        path = result.location.path
        if path not in lines_by_path:
            lines_by_path[path] = _lines_of(path, texts, root)
        lines = lines_by_path[path]
        line = result.location.line
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        out.append(replace(result, source_line=source_line))
    return out


def _lines_of(path: str, texts: dict[str, str], root: Path) -> list[str]:
    if path in texts:
        return texts[path].splitlines()
    candidate = Path(path) if Path(path).is_absolute() else root / path
    try:
        return read_source(candidate).splitlines()
    except ParseError:
        return []
