"""A Markdown report for a GitHub job summary (or any Markdown viewer).

Totals by STRIDE category and severity, then one table row per finding, most severe first,
then the files that could not be scanned. GitHub refuses a step summary over 1 MiB, so rows
stop well below that and a closing line says how many were left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from stridescan.diagnostics import Notice, Problem
from stridescan.docs import rule_url
from stridescan.engine import Result
from stridescan.reporters._summary import SEVERITIES_DESCENDING
from stridescan.rules._meta import Stride
from stridescan.scanner import ScanReport

#: Default size bound in bytes: half of GitHub's 1 MiB step-summary limit, leaving room
#: for the summaries of other steps and tools in the same job.
MAX_BYTES = 512 * 1024

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def render(report: ScanReport, *, color: bool = False, max_bytes: int = MAX_BYTES) -> str:
    head = _headline(report) + _totals(report)
    tail_budget = 512  # room for the closing line about left-out rows
    sections: list[tuple[str, list[str]]] = []
    if report.results:
        sections.append(_findings_section(report.results))
    if report.problems:
        sections.append(_problems_section(report.problems))
    if report.notices:
        sections.append(_notices_section(report.notices))

    out = [*head]
    size = _size(out)
    left_out = 0
    for header, rows in sections:
        header_size = len(header.encode("utf-8")) + 1
        if left_out or size + header_size > max_bytes - tail_budget:
            left_out += len(rows)
            continue
        out.append(header)
        size += header_size
        for row in rows:
            row_size = len(row.encode("utf-8")) + 1
            if left_out or size + row_size > max_bytes - tail_budget:
                left_out += 1
                continue
            out.append(row)
            size += row_size
        out.append("")
        size += 1
    if left_out:
        noun = "row was" if left_out == 1 else "rows were"
        out.append(
            f"_{left_out} more {noun} left out to keep this summary under GitHub's size "
            "limit; the annotations log, the SARIF file or `stridescan scan --format json` "
            "list everything._"
        )
        out.append("")
    return "\n".join(out)


def _headline(report: ScanReport) -> list[str]:
    results = report.results
    files = len({result.location.path for result in results})
    noun = "finding" if len(results) == 1 else "findings"
    line = f"**{len(results)} {noun}** in {files} of {report.files_scanned} scanned files"
    if report.problems:
        line += f"; **{len(report.problems)} could not be scanned**"
    if report.suppressed:
        line += f"; {len(report.suppressed)} suppressed"
    return ["## stridescan", "", line + ".", ""]


def _totals(report: ScanReport) -> list[str]:
    """STRIDE category x severity; a finding counts once for each category its rule carries."""
    if not report.results:
        return []
    cells: Counter[tuple[Stride, str]] = Counter(
        (category, result.severity.value)
        for result in report.results
        for category in result.rule.stride
    )
    severities = [severity.value for severity in SEVERITIES_DESCENDING]
    lines = [
        "| STRIDE | " + " | ".join(severities) + " | total |",
        "|---|" + "---:|" * (len(severities) + 1),
    ]
    for category in Stride:
        counts = [cells[(category, severity)] for severity in severities]
        lines.append(
            f"| {category.value} {category.label} | "
            + " | ".join(str(n) for n in counts)
            + f" | {sum(counts)} |"
        )
    per_severity = Counter(result.severity.value for result in report.results)
    lines.append(
        "| **findings** | "
        + " | ".join(f"**{per_severity[severity]}**" for severity in severities)
        + f" | **{len(report.results)}** |"
    )
    lines.append("")
    lines.append("A finding counts once in each STRIDE category its rule carries.")
    lines.append("")
    return lines


def _findings_section(results: Sequence[Result]) -> tuple[str, list[str]]:
    header = (
        "### Findings\n\n| location | rule | severity | STRIDE | message |\n|---|---|---|---|---|"
    )
    ranked = sorted(results, key=lambda r: (-r.severity.rank, r.sort_key))
    return header, [_finding_row(result) for result in ranked]


def _finding_row(result: Result) -> str:
    rule = result.rule
    loc = result.location
    stride = ", ".join(category.value for category in rule.stride)
    return (
        f"| {escape(loc.path)}:{loc.line} | [{rule.code} {escape(rule.slug)}]({rule_url(rule)}) "
        f"| {result.severity.value} | {stride} | {escape(result.message)} |"
    )


def _problems_section(problems: tuple[Problem, ...]) -> tuple[str, list[str]]:
    header = "### Files that could not be scanned\n\n| location | problem |\n|---|---|"
    rows = []
    for problem in problems:
        where = problem.path + (f":{problem.line}" if problem.line is not None else "")
        what = problem.message + (f" ({problem.hint})" if problem.hint else "")
        rows.append(f"| {escape(where)} | {escape(what)} |")
    return header, rows


def _notices_section(notices: tuple[Notice, ...]) -> tuple[str, list[str]]:
    header = "### Notices\n\n| location | notice |\n|---|---|"
    rows = []
    for notice in notices:
        where = notice.path + (f":{notice.line}" if notice.line is not None else "")
        rows.append(f"| {escape(where)} | {escape(notice.message)} |")
    return header, rows


def escape(text: str) -> str:
    """Text from a scanned file as one table cell: no markup, no HTML, no line breaks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", text))


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)
