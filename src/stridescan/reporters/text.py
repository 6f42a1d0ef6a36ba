"""Text for people: findings grouped by file, each with `path:line:col` (clickable in
editors and terminals), the offending line and the fix; then a summary."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from stridescan.diagnostics import Notice, Problem
from stridescan.engine import Result
from stridescan.reporters._summary import by_severity, by_stride
from stridescan.rules._meta import Severity
from stridescan.scanner import ScanReport

_COLOURS = {
    Severity.CRITICAL: "\x1b[1;31m",
    Severity.HIGH: "\x1b[31m",
    Severity.MEDIUM: "\x1b[33m",
    Severity.LOW: "\x1b[36m",
}
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def render(report: ScanReport, *, color: bool = False) -> str:
    return "".join(chunks(report, color=color))


def chunks(report: ScanReport, *, color: bool = False) -> Iterator[str]:
    """The report line by line, each with its newline, so a large one is written without
    being held whole in memory (`render` joins them)."""
    paint = _painter(color)
    current_path: str | None = None
    for result in report.results:
        if result.location.path != current_path:
            if current_path is not None:
                yield "\n"
            current_path = result.location.path
        for line in _finding(result, paint):
            yield line + "\n"
    written = bool(report.results)
    sections: tuple[tuple[str, Severity, Sequence[Problem | Notice]], ...] = (
        ("Files that could not be scanned", Severity.HIGH, report.problems),
        ("Notices", Severity.MEDIUM, report.notices),
    )
    for title, colour, entries in sections:
        if not entries:
            continue
        if written:
            yield "\n"
        yield paint(_BOLD, title) + "\n"
        for entry in entries:
            yield f"  {paint(_COLOURS[colour], _printable(entry.render()))}\n"
        written = True
    if written:
        yield "\n"
    for line in _summary(report):
        yield line + "\n"


def _finding(result: Result, paint: _Paint) -> list[str]:
    loc = result.location
    rule = result.rule
    stride = ",".join(category.value for category in rule.stride)
    head = (
        f"{_printable(loc.path)}:{loc.line}:{loc.column}  {paint(_BOLD, rule.code)} {rule.slug}  "
        f"{paint(_COLOURS[result.severity], result.severity.value)}  [{stride}]  "
        f"{_printable(result.message)}"
    )
    lines = [head]
    if result.source_line.strip():
        gutter = str(loc.line).rjust(6)
        lines.append(paint(_DIM, f"{gutter} | {_printable(result.source_line)}"))
    lines.append(f"       = fix: {rule.docs.fix_summary}")
    return lines


def _summary(report: ScanReport) -> list[str]:
    results = report.results
    files = len({result.location.path for result in results})
    noun = "finding" if len(results) == 1 else "findings"
    lines = [
        f"{len(results)} {noun} in {files} of {report.files_scanned} scanned files"
        + (f"; {len(report.problems)} could not be scanned" if report.problems else "")
        + (f"; {len(report.suppressed)} suppressed" if report.suppressed else "")
    ]
    if results:
        severities = ", ".join(f"{s.value} {n}" for s, n in by_severity(results).items() if n)
        lines.append(f"  by severity: {severities}")
        stride = "  ".join(f"{c.value} {n}" for c, n in by_stride(results).items())
        lines.append(f"  by STRIDE:   {stride}")
    return lines


def _printable(text: str) -> str:
    """Source text with control characters shown, so a file cannot drive the terminal."""
    if text.isprintable():  # nearly always: skip the copy character by character
        return text
    return "".join(ch if ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" for ch in text)


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self.enabled else text


def _painter(enabled: bool) -> _Paint:
    return _Paint(enabled)
