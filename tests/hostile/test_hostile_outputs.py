"""Every hostile case, in every output format the command line offers: well-formed output
(JSON and SARIF valid against their schemas when present), no traceback, and the exit code
the report calls for: 1 when a file could not be scanned, even with no finding."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))


import hostile_cases
import hostile_oracle
import pytest
from hostile_oracle import render_all, scan_tree

from stridescan.cli import OutputFormat

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = {
    "json": REPO / "schemas" / "findings.schema.json",
    "sarif": REPO.parent / "shared" / "sarif-schema-2.1.0.json",
}
CASES = hostile_cases.cases()
FORMATS = [member.value for member in OutputFormat]


tree = hostile_oracle.tree  # the fixture, shared without a conftest.py


def _validate(output_format: str, document: Any) -> None:
    schema_path = SCHEMAS.get(output_format)
    if schema_path is None or not schema_path.is_file():
        return
    from jsonschema import validators

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = validators.validator_for(schema)(schema)
    errors = [error.message for error in validator.iter_errors(document)]
    assert errors == [], errors[:5]


def _check_output(output_format: str, stdout: str) -> None:
    if output_format in ("json", "sarif"):
        _validate(output_format, json.loads(stdout))
    elif output_format == "github":
        for line in stdout.splitlines():
            if line.startswith("::"):
                command, _, _ = line[2:].partition(" ")
                assert command in ("error", "warning", "notice", "debug", "group", "endgroup")
    if output_format in ("text", "github", "markdown"):
        assert "\x1b" not in stdout, "a file name or value drove the terminal"


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_hostile_case_gives_well_formed_output_and_the_right_exit_code(
    case, output_format, tree, run_cli, monkeypatch
) -> None:
    files = {name: data for name, data in CASES[case].items() if name != "ok.yaml"}
    root = tree(files)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    run = run_cli("scan", "--format", output_format, "--fail-on", "critical", "--color", "never")
    assert "Traceback" not in run.stderr
    _check_output(output_format, run.stdout)
    report = scan_tree(root)
    must_fail = bool(report.problems) or any(r.severity.value == "critical" for r in report.results)
    assert run.code == (1 if must_fail else 0)


def test_a_file_that_could_not_be_scanned_fails_the_run_without_any_finding(
    tree, run_cli, monkeypatch
) -> None:
    monkeypatch.chdir(tree({"compose.yaml": "services: [\n"}))
    for output_format in FORMATS:
        run = run_cli("scan", "--format", output_format, "--color", "never")
        assert run.code == 1, output_format
        assert "compose.yaml" in run.stdout, output_format


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_reporter_renders_every_hostile_case(case, tree) -> None:
    """Reporters found in the package, including any not yet on the command line."""
    report = scan_tree(tree(CASES[case]))
    rendered = render_all(report)
    assert set(rendered) >= {"text", "json"}


def test_scanning_every_case_starts_no_process_opens_no_socket_writes_no_file(
    tree, monkeypatch
) -> None:
    import os
    import socket
    import subprocess

    calls: list[str] = []

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(name)
            raise AssertionError(f"{name} called during a scan")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    monkeypatch.setattr(os, "system", refuse("os.system"))
    files = {
        f"{case}/{name}": data
        for case, tree_files in CASES.items()
        for name, data in tree_files.items()
    }
    root = tree(files)
    before = sorted(path for path in root.rglob("*"))
    report = scan_tree(root)
    assert calls == []
    assert sorted(path for path in root.rglob("*")) == before
    assert report.files_scanned > len(CASES)
