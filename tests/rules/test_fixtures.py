"""Every rule against its fixtures: the findings of that rule are exactly the marked lines.

Markers: `# expect: CODE[,CODE]` at the end of a YAML line; in Dockerfiles, where a comment
cannot end an instruction, `# expect-next: CODE` on its own line marks the next instruction.
Files named `*.ok.*` are safe variants: no markers, no findings. JSON has no comments: a
sidecar `<name>.expect` lists the marked lines of `<name>`, one `LINE CODE` per line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import REPO, scan_paths
from markers import expected_markers
from stridescan.model import SourceKind
from stridescan.rules._registry import Rule, all_rules, find_rule

FIXTURES = REPO / "fixtures" / "rules"


def fixture_files() -> list[Path]:
    return sorted(
        Path(folder) / name
        for folder, _, names in os.walk(FIXTURES)
        for name in names
        if not name.startswith(".") and not name.endswith(".expect")
    )


def rule_of(path: Path) -> Rule:
    folder = path.relative_to(FIXTURES).parts[0]
    found = find_rule(folder.split("-", 1)[0])
    assert found is not None, f"fixture folder {folder} names no rule"
    assert folder == f"{found.code}-{found.slug}", f"fixture folder {folder} misnames its rule"
    return found


def fixture_format(path: Path) -> SourceKind:
    name = path.name.lower()
    if "dockerfile" in name:
        return SourceKind.DOCKERFILE
    if name.endswith("daemon.json"):
        return SourceKind.DAEMON
    if name.startswith(("compose", "docker-compose")):
        return SourceKind.COMPOSE
    return SourceKind.KUBERNETES


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_rule_flags_exactly_the_marked_lines(path: Path) -> None:
    rule = rule_of(path)
    report = scan_paths([path.relative_to(REPO)])
    assert not report.problems, [problem.render() for problem in report.problems]
    found = {(r.location.line, r.rule.code) for r in report.results if r.rule.code == rule.code}
    expected = {marker for marker in expected_markers(path) if marker[1] == rule.code}
    if ".ok." in path.name or path.name.endswith(".ok"):
        assert not expected, "a safe variant must carry no markers"
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_has_positive_and_safe_fixtures_for_each_format(rule: Rule) -> None:
    folder = FIXTURES / f"{rule.code}-{rule.slug}"
    assert folder.is_dir(), f"no fixtures for {rule.code} in {folder}"
    files = [path for path in fixture_files() if path.is_relative_to(folder)]
    for fmt in rule.formats:
        of_format = [path for path in files if fixture_format(path) is fmt]
        positives = [path for path in of_format if expected_markers(path)]
        safe = [path for path in of_format if ".ok" in path.name]
        assert positives, f"{rule.code} has no positive {fmt.value} fixture"
        assert safe, f"{rule.code} has no safe {fmt.value} fixture"
