"""Files in the style of popular open-source stacks, with every expected finding marked.

Each file runs through the real pipeline with the whole catalogue; a finding nobody marked
(a false positive on an ordinary file) and a marked line without its finding both fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, scan_paths
from markers import expected_markers

REALISTIC = REPO / "fixtures" / "realistic"


def realistic_files() -> list[Path]:
    return sorted(
        path
        for path in REALISTIC.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.suffix != ".expect"
    )


def test_there_are_at_least_fifteen_realistic_files() -> None:
    assert len(realistic_files()) >= 15


@pytest.mark.parametrize(
    "path", realistic_files(), ids=lambda p: p.relative_to(REALISTIC).as_posix()
)
def test_findings_are_exactly_the_marked_lines(path: Path) -> None:
    report = scan_paths([path.relative_to(REPO)])
    assert not report.problems, [problem.render() for problem in report.problems]
    shown = path.relative_to(REPO).as_posix()
    assert {r.location.path for r in report.results} <= {shown}
    found = {(r.location.line, r.rule.code) for r in report.results}
    assert sorted(found) == sorted(expected_markers(path))
