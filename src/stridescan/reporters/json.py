"""JSON for scripts, documented by schemas/findings.schema.json."""

from __future__ import annotations

import json
from typing import Any

from stridescan import __version__
from stridescan.diagnostics import Problem
from stridescan.engine import Result
from stridescan.model import Location
from stridescan.reporters._summary import by_severity, by_stride
from stridescan.rules._meta import reference_title
from stridescan.scanner import ScanReport

SCHEMA_VERSION = "1.0"


def render(report: ScanReport, *, color: bool = False) -> str:
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
        "findings": [_finding(result) for result in report.results],
        "errors": [_problem(problem) for problem in report.problems],
        "notices": [
            {"path": notice.path, "line": notice.line, "message": notice.message}
            for notice in report.notices
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _finding(result: Result) -> dict[str, Any]:
    rule = result.rule
    return {
        "rule": rule.code,
        "slug": rule.slug,
        "title": rule.title,
        "severity": result.severity.value,
        "security_severity": rule.security_severity,
        "stride": [category.value for category in rule.stride],
        "stride_names": [category.label for category in rule.stride],
        "message": result.message,
        "location": _location(result.location),
        "source_line": result.source_line,
        "fix": rule.docs.fix_summary,
        "references": [
            {"id": reference, "title": reference_title(reference)} for reference in rule.references
        ],
    }


def _location(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "hint": problem.hint,
    }
