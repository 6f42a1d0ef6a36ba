from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CliRun, scan_paths
from stridescan.baseline import fingerprints
from stridescan.filtering import FilterOptions
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanRequest, scan

Run = Callable[..., CliRun]

COMPOSE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
  worker:
    image: registry.example.com/worker:2.0
    privileged: true
"""

CORE_CONFIG = "select: [S001, T001, D001, D002, E001, E003, E004]\n"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    # Pin the catalogue the counts below are written for; later rules must not change them.
    (tmp_path / ".stridescan.yaml").write_text(CORE_CONFIG, encoding="utf-8")
    return tmp_path


def findings(run: CliRun) -> list[tuple[str, int, str]]:
    document = json.loads(run.stdout)
    return [(f["location"]["path"], f["location"]["line"], f["rule"]) for f in document["findings"]]


def test_baseline_create_writes_stable_sorted_json(in_tmp: Path, run_cli: Run) -> None:
    created = run_cli("baseline", "create", "-o", "base.json")
    assert created.code == 0
    assert "recorded 14 findings in base.json" in created.stderr
    first = (in_tmp / "base.json").read_text(encoding="utf-8")
    assert run_cli("baseline", "create", "-o", "base.json").code == 0
    assert (in_tmp / "base.json").read_text(encoding="utf-8") == first
    document = json.loads(first)
    assert list(document) == sorted(document)
    entries = document["findings"]
    assert len(entries) == 14
    keys = [(e["path"], e["rule"], e["message"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys)
    assert all("line" not in entry for entry in entries)


def test_default_baseline_file_name(in_tmp: Path, run_cli: Run) -> None:
    assert run_cli("baseline", "create").code == 0
    assert (in_tmp / ".stridescan-baseline.json").is_file()


def test_scan_with_baseline_reports_nothing_old_after_lines_move(
    in_tmp: Path, run_cli: Run
) -> None:
    assert run_cli("baseline", "create", "-o", "base.json").code == 0
    moved = "# deployment of the shop\n\n" + COMPOSE.replace(
        "  worker:", "  cache:\n    image: redis:7\n    read_only: true\n  worker:"
    ).replace("api:1.4.2", "api:1.4.3")
    (in_tmp / "compose.yaml").write_text(moved, encoding="utf-8")
    run = run_cli("scan", "-f", "json", "--baseline", "base.json")
    # Only the new service's findings are new; every old one moved down but is still known.
    assert {path_line_rule[2] for path_line_rule in findings(run)} <= {
        "S001",
        "D001",
        "D002",
        "E003",
        "E004",
    }
    assert {line for _, line, _ in findings(run)} == {7}
    document = json.loads(run.stdout)
    assert document["summary"]["suppressed"] == 14
    assert document["notices"] == []


def test_changing_the_offending_line_makes_a_new_finding(in_tmp: Path, run_cli: Run) -> None:
    assert run_cli("baseline", "create", "-o", "base.json").code == 0
    changed = COMPOSE.replace(
        "    privileged: true\n  worker", "    privileged: True  # for now\n  worker"
    )
    (in_tmp / "compose.yaml").write_text(changed, encoding="utf-8")
    run = run_cli("scan", "-f", "json", "--baseline", "base.json")
    assert findings(run) == [("compose.yaml", 4, "E001")]
    assert run.code == 1


def test_scan_says_how_many_baseline_entries_no_longer_occur(in_tmp: Path, run_cli: Run) -> None:
    assert run_cli("baseline", "create", "-o", "base.json").code == 0
    fixed = COMPOSE.replace("    privileged: true\n", "")
    (in_tmp / "compose.yaml").write_text(fixed, encoding="utf-8")
    run = run_cli("scan", "--color", "never", "--baseline", "base.json")
    assert run.code == 0
    assert (
        "base.json: warning: 2 baseline entries no longer occur; refresh it with "
        "`stridescan baseline create -o FILE`" in run.stdout
    )


def test_entries_of_files_not_scanned_are_not_counted_as_gone(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "other").mkdir()
    (in_tmp / "other" / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    assert run_cli("baseline", "create", "-o", "base.json").code == 0
    run = run_cli("scan", "-f", "json", "--baseline", "base.json", "compose.yaml")
    assert json.loads(run.stdout)["notices"] == []


def test_baseline_from_the_config_file_is_relative_to_it(in_tmp: Path, run_cli: Run) -> None:
    assert run_cli("baseline", "create", "-o", "ci/base.json").code == 2  # no such directory
    (in_tmp / "ci").mkdir()
    assert run_cli("baseline", "create", "-o", "ci/base.json").code == 0
    config = CORE_CONFIG + "baseline: ci/base.json\n"
    (in_tmp / ".stridescan.yaml").write_text(config, encoding="utf-8")
    assert run_cli("scan").code == 0
    assert run_cli("baseline", "create", "-o", "again.json").code == 0
    again = json.loads((in_tmp / "again.json").read_text(encoding="utf-8"))
    assert len(again["findings"]) == 14  # creating ignores the configured baseline


def test_baseline_matches_are_kept_as_external_suppressions(in_tmp: Path) -> None:
    from stridescan import baseline

    report = scan_paths(["compose.yaml"], root=in_tmp)
    (in_tmp / "base.json").write_text(baseline.render(report.results), encoding="utf-8")
    loaded = baseline.load(in_tmp / "base.json")
    again = scan(
        ScanRequest(
            paths=("compose.yaml",),
            root=in_tmp,
            rules=all_rules(),
            filters=FilterOptions(baseline=loaded),
        )
    )
    assert not again.results
    assert len(again.suppressed) == len(report.results) > 0
    kinds = {(r.suppression.kind if r.suppression else None) for r in again.suppressed}
    assert kinds == {"external"}


def test_identical_findings_get_distinct_fingerprints_in_line_order(in_tmp: Path) -> None:
    report = scan_paths(["compose.yaml"], root=in_tmp)
    first = report.results[0]
    twin = replace(first, location=replace(first.location, line=first.location.line + 40))
    prints = fingerprints([twin, first])
    assert len(set(prints)) == 2
    assert fingerprints([first, twin]) == prints[::-1]
    moved = replace(first, location=replace(first.location, line=99))
    assert fingerprints([moved]) == fingerprints([first])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "base.json:1: error: not a stridescan baseline"),
        ('{"version": 7, "findings": []}', "unsupported version 7"),
        ('{"version": 1}', "not a stridescan baseline"),
    ],
)
def test_a_broken_baseline_exits_2_naming_the_file(
    in_tmp: Path, run_cli: Run, content: str, message: str
) -> None:
    (in_tmp / "base.json").write_text(content, encoding="utf-8")
    run = run_cli("scan", "--baseline", "base.json")
    assert run.code == 2
    assert message in run.stderr


def test_a_missing_baseline_exits_2_and_says_how_to_create_it(in_tmp: Path, run_cli: Run) -> None:
    run = run_cli("scan", "--baseline", "nope.json")
    assert run.code == 2
    assert "nope.json: error: cannot read the baseline" in run.stderr
    assert "stridescan baseline create" in run.stderr
