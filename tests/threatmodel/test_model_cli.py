"""`stridescan threat-model` end to end: forms, output file, exit codes, parse errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, CliRun

DEMO = REPO / "fixtures" / "demo"
RunCli = Callable[..., CliRun]


def test_threat_model_writes_markdown_and_exits_0_even_with_findings(run_cli: RunCli) -> None:
    run = run_cli("threat-model", str(DEMO))
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("# Threat model\n")
    assert "```mermaid\nflowchart LR\n" in run.stdout
    assert run.stderr == ""


def test_threat_model_writes_json_to_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "model.json"
    run = run_cli("threat-model", str(DEMO), "--format", "json", "-o", str(target))
    assert run.code == 0 and run.stdout == ""
    parsed = json.loads(target.read_text(encoding="utf-8"))
    assert len(parsed["categories"]) == 6


def test_threat_model_writes_html(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "model.html"
    run = run_cli("threat-model", str(DEMO), "-f", "html", "-o", str(target))
    assert run.code == 0, run.stderr
    assert target.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_threat_model_applies_the_rule_selection(run_cli: RunCli) -> None:
    run = run_cli("threat-model", str(DEMO), "-f", "json", "--select", "E001")
    parsed = json.loads(run.stdout)
    codes = {t["code"] for c in parsed["categories"] for t in c["threats"]}
    assert codes == {"E001"}
    assert parsed["coverage"]["rules_run"] == 1


def test_unparsable_file_is_listed_in_coverage_and_on_stderr(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  a: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_cli("threat-model", ".", "-f", "json")
    assert run.code == 0
    assert run.stderr.startswith("compose.yaml:")
    assert ": error: " in run.stderr
    (problem,) = json.loads(run.stdout)["coverage"]["problems"]
    assert problem["path"] == "compose.yaml" and problem["line"]


def test_bad_option_is_a_usage_error(run_cli: RunCli) -> None:
    run = run_cli("threat-model", str(DEMO), "--format", "pdf")
    assert run.code == 2


def test_link_base_makes_markdown_evidence_links_absolute(run_cli: RunCli) -> None:
    base = "https://github.com/acme/shop/blob/0123abc/"
    run = run_cli("threat-model", str(DEMO), "--link-base", base)
    assert run.code == 0
    assert f"]({base}fixtures/demo/compose.yaml#L14)" in run.stdout
    assert "](fixtures/demo/" not in run.stdout
