"""The merge after the per-file stage: findings come back finished (source line, file
comments) and become Results once, numbered across units for their fingerprints."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from stridescan.discovery import discover
from stridescan.engine import Result
from stridescan.filestage import StageContext, plan_units, run_unit
from stridescan.fingerprint import logical_fingerprint
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanReport, ScanRequest, scan

COMMON = """\
services:
  base:
    image: registry.example.com/base:1.0.0
    privileged: true{comment}
"""

APP = """\
services:
  api:
    extends:
      file: ../common/compose.yaml
      service: base
"""

DOCKERFILE = """\
FROM alpine:3.20
# stridescan: ignore[E003] the image's own user is root by design
RUN apk add --no-cache curl
"""


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def scan_of(root: Path, *paths: str, jobs: int = 1) -> ScanReport:
    targets = tuple(str(root / path) for path in paths)
    return scan(ScanRequest(paths=targets, root=root, rules=all_rules(), jobs=jobs))


def privileged(results: tuple[Result, ...]) -> list[Result]:
    return [r for r in results if r.rule.code == "E001" and r.location.path.startswith("common")]


def test_a_finding_in_a_file_outside_the_scan_gets_that_files_line(tmp_path: Path) -> None:
    write(tmp_path, "common/compose.yaml", COMMON.format(comment=""))
    write(tmp_path, "app/compose.yaml", APP)
    [result] = privileged(scan_of(tmp_path, "app").results)
    assert (result.location.line, result.source_line) == (4, "    privileged: true")


def test_a_comment_in_a_file_outside_the_scan_still_silences_its_line(tmp_path: Path) -> None:
    comment = "  # stridescan: ignore[E001] the base image needs it"
    write(tmp_path, "common/compose.yaml", COMMON.format(comment=comment))
    write(tmp_path, "app/compose.yaml", APP)
    report = scan_of(tmp_path, "app")
    assert privileged(report.results) == []
    [silenced] = privileged(report.suppressed)
    assert silenced.suppression is not None
    assert silenced.suppression.justification == "the base image needs it"


@pytest.mark.parametrize("jobs", [1, 2])
def test_identical_findings_from_two_units_are_numbered_in_report_order(
    tmp_path: Path, jobs: int
) -> None:
    write(tmp_path, "common/compose.yaml", COMMON.format(comment=""))
    write(tmp_path, "one/compose.yaml", APP)
    write(tmp_path, "two/compose.yaml", APP)
    found = privileged(scan_of(tmp_path, "one", "two", jobs=jobs).results)
    assert [r.occurrence for r in found] == [1, 2]
    assert [r.fingerprint for r in found] == [
        logical_fingerprint("E001", "common/compose.yaml", found[0].message, occurrence=n)
        for n in (1, 2)
    ]


def test_the_per_file_stage_returns_each_findings_line_and_the_files_comments(
    tmp_path: Path,
) -> None:
    write(tmp_path, "Dockerfile", DOCKERFILE)
    write(tmp_path, "compose.yaml", APP.replace("extends", "x-extends"))
    units = plan_units(discover([str(tmp_path)], root=tmp_path).files)
    context = StageContext(root=tmp_path, rules=all_rules())
    outcomes = {o.path: o for unit in units for o in run_unit(unit, context, {})}
    dockerfile = outcomes["Dockerfile"]
    lines = DOCKERFILE.split("\n")
    assert dockerfile.found
    assert all(line == lines[location.line - 1] for _, location, _, _, line in dockerfile.found)
    assert dockerfile.comments is not None
    [comment] = dockerfile.comments
    assert (comment.location.line, comment.target_line, comment.codes) == (2, 3, {"E003"})
    assert outcomes["compose.yaml"].comments == ()


def test_a_results_fingerprint_is_computed_from_its_occurrence(tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", DOCKERFILE)
    result = scan_of(tmp_path, "Dockerfile").results[0]
    expected = logical_fingerprint(
        result.rule.code, result.location.path, result.message, occurrence=result.occurrence
    )
    assert result.occurrence == 1 and result.fingerprint == expected
    assert replace(result, occurrence=0).fingerprint == ""
