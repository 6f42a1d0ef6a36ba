from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CliRun, scan_paths
from stridescan.docs import rule_url
from stridescan.reporters import markdown
from stridescan.rules._meta import Stride
from stridescan.scanner import ScanReport

Run = Callable[..., CliRun]

INSECURE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
  worker:
    image: registry.example.com/worker:2.0.1
    user: root
"""


def scan_file(tmp_path: Path, name: str, text: str) -> ScanReport:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return scan_paths([tmp_path / name], root=tmp_path)


def cells(row: str) -> list[str]:
    """A table row's cells, honouring escaped pipes."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_totals_table_counts_stride_by_severity(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", INSECURE)
    text = markdown.render(report)
    expected = Counter(
        (category.value, result.severity.value)
        for result in report.results
        for category in result.rule.stride
    )
    header = cells(next(line for line in text.splitlines() if line.startswith("| STRIDE |")))
    assert header == ["STRIDE", "critical", "high", "medium", "low", "total"]
    lines = text.splitlines()
    for category in Stride:
        row = cells(next(line for line in lines if line.startswith(f"| {category.value} ")))
        counts = [int(n) for n in row[1:5]]
        assert counts == [expected[(category.value, severity)] for severity in header[1:5]]
        assert int(row[5]) == sum(counts)
    assert f"**{len(report.results)} findings**" in text


def test_findings_table_links_rules_and_puts_most_severe_first(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", INSECURE)
    rows = [line for line in markdown.render(report).splitlines() if "](https://" in line]
    assert len(rows) == len(report.results)
    first = cells(rows[0])
    assert first[0] == "compose.yaml:4"
    e001 = next(r for r in report.results if r.rule.code == "E001")
    assert first[1] == f"[E001 privileged-container]({rule_url(e001.rule)})"
    assert first[2:4] == ["critical", "E, T"]
    assert first[4] == "service 'api' runs privileged"
    ranks = [{"critical": 4, "high": 3, "medium": 2, "low": 1}[cells(r)[2]] for r in rows]
    assert ranks == sorted(ranks, reverse=True)


def test_cells_escape_pipes_markup_and_line_breaks(tmp_path: Path) -> None:
    name = "docker-compose|a_<b>\nc.yaml"
    report = scan_file(tmp_path, name, INSECURE)
    rows = [line for line in markdown.render(report).splitlines() if "](https://" in line]
    assert rows
    for row in rows:
        assert len(cells(row)) == 5
        assert cells(row)[0].startswith(r"docker-compose\|a\_\<b\> c.yaml:")
    assert "<b>" not in markdown.render(report)


def test_files_that_could_not_be_scanned_are_listed(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", "services:\n  api: [\n")
    text = markdown.render(report)
    problem = report.problems[0]
    assert "### Files that could not be scanned" in text
    assert f"| compose.yaml:{problem.line} |" in text
    assert "**1 could not be scanned**" in text


def test_summary_stays_within_the_size_bound_and_says_what_was_left_out(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", INSECURE)
    many = tuple(
        replace(result, location=replace(result.location, line=line))
        for line in range(1, 400)
        for result in report.results
    )
    big = replace(report, results=many)
    limit = 20_000
    text = markdown.render(big, max_bytes=limit)
    assert len(text.encode("utf-8")) <= limit
    shown = sum(1 for line in text.splitlines() if "](https://" in line)
    assert 0 < shown < len(many)
    assert f"_{len(many) - shown} more rows were left out" in text


def test_default_bound_is_well_below_githubs_one_mebibyte(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", INSECURE)
    many = tuple(
        replace(result, location=replace(result.location, line=line))
        for line in range(1, 1500)
        for result in report.results
    )
    text = markdown.render(replace(report, results=many))
    assert len(text.encode("utf-8")) <= markdown.MAX_BYTES < 1024 * 1024
    assert "more rows were left out" in text


def test_no_findings_gives_a_short_summary(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "notes.yaml", "a: 1\n")
    text = markdown.render(report)
    assert "**0 findings**" in text
    assert "### Findings" not in text


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "compose.yaml").write_text(INSECURE, encoding="utf-8")
    return tmp_path


def test_format_markdown_prints_the_summary(workspace: Path, run_cli: Run) -> None:
    run = run_cli("scan", "--format", "markdown")
    assert run.code == 1
    assert run.stdout.startswith("## stridescan\n")
    assert "| compose.yaml:4 |" in run.stdout


def test_format_github_writes_the_summary_file_afresh(workspace: Path, run_cli: Run) -> None:
    summary = workspace / "summary.md"
    summary.write_text("old content\n", encoding="utf-8")
    run = run_cli("scan", "--format", "github", "--summary", str(summary))
    assert run.code == 1
    assert run.stdout.startswith("::error file=compose.yaml,")
    text = summary.read_text(encoding="utf-8")
    assert "old content" not in text
    assert text.startswith("## stridescan\n")


def test_format_github_appends_to_github_step_summary(
    workspace: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    step_summary = workspace / "step_summary"
    step_summary.write_text("## an earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    run_cli("scan", "--format", "github")
    text = step_summary.read_text(encoding="utf-8")
    assert text.startswith("## an earlier step\n## stridescan\n")
    assert "| compose.yaml:4 |" in text


def test_summary_option_wins_over_github_step_summary(
    workspace: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    step_summary = workspace / "step_summary"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    run_cli("scan", "--format", "github", "--summary", "mine.md")
    assert not step_summary.exists()
    assert (workspace / "mine.md").read_text(encoding="utf-8").startswith("## stridescan")


def test_no_summary_is_written_outside_actions(workspace: Path, run_cli: Run) -> None:
    run_cli("scan", "--format", "github")
    assert sorted(p.name for p in workspace.iterdir()) == ["compose.yaml"]


def test_unwritable_summary_is_a_usage_error_naming_the_file(workspace: Path, run_cli: Run) -> None:
    run = run_cli("scan", "--format", "github", "--summary", "missing/dir/summary.md")
    assert run.code == 2
    assert "cannot write missing/dir/summary.md" in run.stderr
