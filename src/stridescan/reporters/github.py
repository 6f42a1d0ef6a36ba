"""GitHub Actions workflow commands: each finding becomes an annotation on its line.

GitHub shows only 10 error and 10 warning annotations per step (the rest stay in the log),
so the most severe come first, each level is capped, and one closing `::notice` says how
many findings were left out and where to find them all. Those findings are still printed as
plain log lines, so the log stays complete. Everything that comes from a scanned file is
escaped as the runner requires, so a file name or a message cannot forge a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from stridescan._frozen import dataclass
from stridescan.diagnostics import Notice, Problem
from stridescan.engine import Result
from stridescan.reporters._paths import relative_to_repository
from stridescan.rules._meta import Severity
from stridescan.scanner import ScanReport

#: Annotations GitHub displays per level and step.
MAX_PER_LEVEL = 10

_LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    level: str  # error, warning or notice
    title: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    # What the log shows when the annotation is over the cap.
    plain: str = ""

    def command(self) -> str:
        properties = [("file", self.file)]
        for name, value in (
            ("line", self.line),
            ("col", self.column),
            ("endLine", self.end_line),
            ("endColumn", self.end_column),
        ):
            if value is not None:
                properties.append((name, str(value)))
        properties.append(("title", self.title))
        joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
        return f"::{self.level} {joined}::{escape_data(self.message)}"


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF are percent-encoded, as actions/toolkit does.

    Other control characters (an ESC in a file name) are shown as `\\xNN`: the runner
    decodes no other escape, and raw they would drive the log viewer's terminal.
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def escape_property(text: str) -> str:
    """A command's property value: the message escapes plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: ScanReport, *, color: bool = False) -> str:
    # Workflow commands name files relative to the workspace, the repository root.
    report = relative_to_repository(report)
    annotations = list(_annotations(report))
    shown, held_back = _cap(annotations)
    lines = [annotation.command() for annotation in shown]
    if held_back:
        lines.append(_overflow_notice(len(held_back)))
        lines.extend(f"  {_log_safe(annotation.plain)}" for annotation in held_back)
    noun = "finding" if len(report.results) == 1 else "findings"
    lines.append(
        f"stridescan: {len(report.results)} {noun} in {report.files_scanned} scanned files"
        + (f"; {len(report.problems)} could not be scanned" if report.problems else "")
    )
    return "\n".join(lines) + "\n"


def _annotations(report: ScanReport) -> Iterator[Annotation]:
    """Problems first (they fail the run), then findings most severe first, then notices."""
    yield from (_problem(problem) for problem in report.problems)
    ranked = sorted(report.results, key=lambda r: (-r.severity.rank, r.sort_key))
    yield from (_finding(result) for result in ranked)
    yield from (_notice(notice) for notice in report.notices)


def _cap(annotations: Iterable[Annotation]) -> tuple[list[Annotation], list[Annotation]]:
    """The annotations GitHub will display, and those it would drop.

    The overflow notice is itself a notice, so when anything is held back, findings get one
    notice fewer and the notices shown stay within the cap.
    """
    annotations = list(annotations)
    limits = dict.fromkeys(("error", "warning", "notice"), MAX_PER_LEVEL)
    if _overflows(annotations, limits):
        limits["notice"] -= 1
    shown: list[Annotation] = []
    held_back: list[Annotation] = []
    used = dict.fromkeys(limits, 0)
    for annotation in annotations:
        if used[annotation.level] < limits[annotation.level]:
            used[annotation.level] += 1
            shown.append(annotation)
        else:
            held_back.append(annotation)
    return shown, held_back


def _overflows(annotations: list[Annotation], limits: dict[str, int]) -> bool:
    return any(
        sum(1 for a in annotations if a.level == level) > limit for level, limit in limits.items()
    )


def _overflow_notice(count: int) -> str:
    noun = "finding is" if count == 1 else "findings are"
    message = (
        f"{count} more {noun} not shown as annotations (GitHub shows {MAX_PER_LEVEL} errors "
        f"and {MAX_PER_LEVEL} warnings per step): they are listed below in this log, in the "
        "job summary, and in the SARIF file (code scanning) when it is uploaded."
    )
    return f"::notice title={escape_property('stridescan: more findings')}::{message}"


def _finding(result: Result) -> Annotation:
    rule = result.rule
    loc = result.location
    stride = ",".join(category.value for category in rule.stride)
    title = f"{rule.code} {rule.slug} ({result.severity.value}, {stride})"
    return Annotation(
        level=_LEVELS[result.severity],
        title=title,
        message=f"{result.message}\nFix: {rule.docs.fix_summary}",
        file=loc.path,
        line=loc.line,
        column=loc.column,
        end_line=loc.end_line,
        end_column=loc.end_column,
        plain=f"{loc}  {title}  {result.message}",
    )


def _problem(problem: Problem) -> Annotation:
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return Annotation(
        level="error",
        title="stridescan: file could not be scanned",
        message=message,
        file=problem.path,
        line=problem.line,
        column=problem.column,
        plain=problem.render(),
    )


def _notice(notice: Notice) -> Annotation:
    return Annotation(
        level="warning",
        title="stridescan: configuration",
        message=notice.message,
        file=notice.path,
        line=notice.line,
        plain=notice.render(),
    )


def _log_safe(text: str) -> str:
    """A plain log line: control characters shown, so it cannot start a workflow command."""
    return "".join(ch if ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" for ch in text)
