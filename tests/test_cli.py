from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, CliRun

Run = Callable[..., CliRun]
SCHEMA = json.loads((REPO / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))

INSECURE_COMPOSE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
"""


def validate(document: object) -> None:
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_scan_reports_findings_with_file_line_and_fix(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    run = run_cli("scan", "--color", "never")
    assert run.code == 1
    assert "compose.yaml:4:5  E001 privileged-container  critical  [E,T]" in run.stdout
    assert "     4 |     privileged: true" in run.stdout
    assert "= fix: Remove `privileged: true`" in run.stdout
    assert "by STRIDE:" in run.stdout


def test_clean_files_exit_zero(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    run = run_cli("scan", ".")
    assert run.code == 0
    assert run.stdout.startswith("0 findings in 0 of 0 scanned files")


def test_fail_on_sets_the_threshold(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").write_text(
        "services:\n  api:\n    image: a:1\n    read_only: true\n    user: '1000'\n"
        "    mem_limit: 1g\n    pids_limit: 10\n    cap_drop: [ALL]\n"
        "    security_opt: [no-new-privileges:true]\n    privileged: true\n",
        encoding="utf-8",
    )
    assert run_cli("scan", "--fail-on", "critical").code == 1
    (in_tmp / "compose.yaml").write_text(
        "services:\n  api:\n    image: a:1\n    user: '1000'\n", encoding="utf-8"
    )
    assert run_cli("scan", "--fail-on", "high").code == 0
    assert run_cli("scan", "--fail-on", "medium").code == 1


def test_json_output_matches_its_schema(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    (in_tmp / "broken.yaml").write_text("apiVersion: v1\nkind: Pod\nspec: [\n", encoding="utf-8")
    run = run_cli("scan", "--format", "json")
    document = json.loads(run.stdout)
    validate(document)
    assert run.code == 1
    assert {f["rule"] for f in document["findings"]} >= {"E001"}
    privileged = next(f for f in document["findings"] if f["rule"] == "E001")
    assert privileged["location"] == {
        "path": "compose.yaml",
        "line": 4,
        "column": 5,
        "end_line": 4,
        "end_column": 21,
    }
    assert [(e["path"], e["line"]) for e in document["errors"]] == [("broken.yaml", 3)]


def test_output_option_writes_the_report_to_a_file(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    run = run_cli("scan", "-f", "json", "-o", "report.json")
    assert run.stdout == ""
    validate(json.loads((in_tmp / "report.json").read_text(encoding="utf-8")))


def test_stdin_is_scanned_under_its_given_name(run_cli: Run) -> None:
    run = run_cli(
        "scan",
        "-",
        "--stdin-filename",
        "rendered.yaml",
        "-f",
        "json",
        stdin=(
            b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            b"    - name: c\n      image: a:1\n      securityContext: {privileged: true}\n"
        ),
    )
    findings = json.loads(run.stdout)["findings"]
    assert ("rendered.yaml", 8, "E001") in {
        (f["location"]["path"], f["location"]["line"], f["rule"]) for f in findings
    }


def test_broken_yaml_on_stdin_is_a_clean_error(run_cli: Run) -> None:
    run = run_cli("scan", "-", "--color", "never", stdin=b"services: {x: [\n")
    assert run.code == 1
    assert "<stdin>:1:16: error: invalid YAML" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_undecodable_and_binary_files_are_reported(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "Dockerfile").write_bytes(b"FROM alpine:3.20\nRUN echo \xff\xfe\n")
    (in_tmp / "compose.yaml").write_bytes(b"services:\x00\n")
    run = run_cli("scan", "--color", "never")
    assert run.code == 1
    assert "Dockerfile:2: error: the file is not valid UTF-8" in run.stdout
    assert "compose.yaml:1: error: binary content" in run.stdout


def test_a_fifo_with_a_scanned_name_is_reported_not_read(in_tmp: Path, run_cli: Run) -> None:
    os.mkfifo(in_tmp / "compose.yaml")
    run = run_cli("scan", "--color", "never")
    assert run.code == 1
    assert "compose.yaml: error: not a regular file" in run.stdout


def test_a_directory_named_like_a_file_is_walked(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").mkdir()
    clean = f'FROM a:1@sha256:{"0" * 64}\nUSER 1000\nHEALTHCHECK CMD ["true"]\n'
    (in_tmp / "compose.yaml" / "Dockerfile").write_text(clean, "utf-8")
    run = run_cli("scan", "compose.yaml", "-f", "json")
    assert run.code == 0
    assert json.loads(run.stdout)["summary"]["files_scanned"] == 1


def test_exclude_option_skips_paths(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "legacy").mkdir()
    (in_tmp / "legacy" / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    assert run_cli("scan", "--exclude", "legacy").code == 0


def test_rules_lists_the_catalogue(run_cli: Run) -> None:
    run = run_cli("rules")
    assert run.code == 0
    assert "E001  privileged-container" in run.stdout
    assert "D002  no-pids-limit" in run.stdout


@pytest.mark.parametrize("name", ["E001", "e001", "privileged-container"])
def test_explain_takes_a_code_or_a_slug(run_cli: Run, name: str) -> None:
    run = run_cli("explain", name)
    assert run.code == 0
    assert run.stdout.startswith("# E001 privileged-container")
    for heading in ("What it flags", "Why it matters", "Example", "Fix", "References"):
        assert f"## {heading}" in run.stdout


def test_explain_of_an_unknown_rule_is_a_usage_error(run_cli: Run) -> None:
    run = run_cli("explain", "X999")
    assert run.code == 2
    assert "no rule 'X999'" in run.stderr


def test_a_bad_option_value_is_a_usage_error(run_cli: Run) -> None:
    assert run_cli("scan", "--fail-on", "severe").code == 2
    assert run_cli("scan", "--format", "yaml").code == 2


def test_version_is_printed(run_cli: Run) -> None:
    run = run_cli("--version")
    assert run.code == 0
    assert run.stdout.startswith("stridescan ")


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "stridescan", "scan", "compose.yaml", "-f", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["summary"]["findings"] >= 1


def test_colour_is_used_only_when_asked_or_on_a_terminal(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    assert "\x1b[" in run_cli("scan", "--color", "always").stdout
    assert "\x1b[" not in run_cli("scan", "--color", "never").stdout
    assert "\x1b[" not in run_cli("scan").stdout  # captured output is not a terminal


def test_control_characters_from_files_never_reach_the_terminal(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "Dockerfile").write_text("FROM alpine:3.20\x1b[2J\n", encoding="utf-8")
    run = run_cli("scan", "--color", "never")
    assert "Dockerfile:1:1  E003" in run.stdout
    assert "\x1b" not in run.stdout
    assert "\\x1b[2J" in run.stdout


@pytest.mark.parametrize("command", ["scan", "threat-model"])
def test_help_states_the_file_size_default(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    done = run_cli(command, "--help")
    assert done.code == 0
    assert "(default: $STRIDESCAN_MAX_FILE_SIZE, else 32M)" in " ".join(done.stdout.split())
