"""JSON for scripts, documented by schemas/findings.schema.json.

The layout is `json.dumps(indent=2)`'s, but written without its pure-Python indenting
encoder, which was a quarter of a large scan: everything a finding takes from its rule is
rendered once per rule, and only the parts that vary (severity, message, location, source
line) are encoded per finding, by the C string encoder.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

from stridescan import __version__
from stridescan.diagnostics import Problem
from stridescan.engine import Result
from stridescan.reporters._layout import Layout, hole
from stridescan.reporters._summary import by_severity, by_stride
from stridescan.rules._meta import reference_title
from stridescan.scanner import ScanReport

SCHEMA_VERSION = "1.0"

# Stand-ins for the parts rendered separately (see _layout).
_FINDINGS = hole("findings")
_SEVERITY = hole("severity")
_MESSAGE = hole("message")
_LOCATION = hole("location")
_SOURCE_LINE = hole("source_line")
# A finding is an item of the top-level "findings" list: two levels deep.
_ITEM_INDENT = "\n    "


def render(report: ScanReport, *, color: bool = False) -> str:
    return "".join(chunks(report, color=color))


def chunks(report: ScanReport, *, color: bool = False) -> Iterator[str]:
    """The report in pieces, one per finding, so a large one is written without being held
    whole in memory (`render` joins them)."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "stridescan", "version": __version__},
        "summary": {
            "files_scanned": report.files_scanned,
            "findings": len(report.results),
            "errors": len(report.problems),
            "suppressed": len(report.suppressed),
            "by_severity": {s.value: n for s, n in by_severity(report.results).items()},
            "by_stride": {c.value: n for c, n in by_stride(report.results).items()},
        },
        "findings": _FINDINGS,
        "errors": [_problem(problem) for problem in report.problems],
        "notices": [
            {"path": notice.path, "line": notice.line, "message": notice.message}
            for notice in report.notices
        ],
    }
    head, tail = Layout(document).parts
    yield head
    yield from _findings(report.results)
    yield tail + "\n"


def _findings(results: Sequence[Result]) -> Iterator[str]:
    if not results:
        yield "[]"
        return
    templates: dict[int, list[str]] = {}
    separator = "[" + _ITEM_INDENT
    for result in results:
        rule = result.rule
        parts = templates.get(id(rule))
        if parts is None:
            parts = templates[id(rule)] = _template(result)
        loc = result.location
        yield "".join(
            (
                separator,
                parts[0],
                encode_basestring(result.severity.value),
                parts[1],
                encode_basestring(result.message),
                parts[2],
                '{\n        "path": ',
                encode_basestring(loc.path),
                ',\n        "line": ',
                _number(loc.line),
                ',\n        "column": ',
                _number(loc.column),
                ',\n        "end_line": ',
                _number(loc.end_line),
                ',\n        "end_column": ',
                _number(loc.end_column),
                "\n      }",
                parts[3],
                encode_basestring(result.source_line),
                parts[4],
            )
        )
        separator = "," + _ITEM_INDENT
    yield "\n  ]"


def _template(result: Result) -> list[str]:
    """The finding as `json.dumps(indent=2)` lays it out two levels deep, split around the
    parts that vary from one finding of this rule to the next."""
    return Layout(_finding(result, _SEVERITY, _MESSAGE, _LOCATION, _SOURCE_LINE), depth=2).parts


def _number(value: int | None) -> str:
    return "null" if value is None else str(value)


def _finding(
    result: Result, severity: str, message: str, location: str, source_line: str
) -> dict[str, Any]:
    rule = result.rule
    return {
        "rule": rule.code,
        "slug": rule.slug,
        "title": rule.title,
        "severity": severity,
        "security_severity": rule.security_severity,
        "stride": [category.value for category in rule.stride],
        "stride_names": [category.label for category in rule.stride],
        "message": message,
        "location": location,
        "source_line": source_line,
        "fix": rule.docs.fix_summary,
        "references": [
            {"id": reference, "title": reference_title(reference)} for reference in rule.references
        ],
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "hint": problem.hint,
    }
