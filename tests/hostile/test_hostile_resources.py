"""Resource abuse: each input is scanned or refused with a clear error, in bounded memory.

Memory is measured loosely with tracemalloc; time is never asserted. Inputs that once
crashed the interpreter (libyaml's composer recursing in C) run in a subprocess with a
generous timeout, so a crash or a hang fails one test instead of the suite.
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))


import hostile_cases as cases
import hostile_oracle
import pytest
from hostile_oracle import codes_at, run_measured, run_stridescan, scan_tree

from stridescan import limits
from stridescan.model import SourceKind
from stridescan.parsing import ParsedFile, parse_source

T = TypeVar("T")
MB = 1024 * 1024


tree = hostile_oracle.tree  # the fixture, shared without a conftest.py


def _peak(action: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _compose(text: str) -> ParsedFile:
    return parse_source(text, "compose.yaml", SourceKind.COMPOSE)


def test_an_alias_bomb_costs_nothing_and_is_scanned() -> None:
    parsed, peak = _peak(lambda: _compose(cases.billion_laughs(levels=12, width=10)))
    assert parsed.problems == ()
    assert len(parsed.workloads) == 1
    assert peak < 20 * MB


@pytest.mark.parametrize(
    "make", [cases.deep_flow, cases.deep_block, cases.deep_block_indented], ids=lambda f: f.__name__
)
def test_nesting_thousands_deep_is_refused_without_crashing(tree, make) -> None:
    depth = 2000 if make is cases.deep_block_indented else 50_000
    root = tree({"compose.yaml": make(depth), "ok.yaml": cases.POD.format(name="n")})
    done = run_stridescan(root, "scan", "--format", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    document = json.loads(done.stdout)
    (error,) = document["errors"]
    assert error["path"] == "compose.yaml"
    assert error["message"].startswith("YAML nested more than 200 levels deep")
    assert "STRIDESCAN_MAX_YAML_DEPTH" in error["hint"]
    assert {f["location"]["path"] for f in document["findings"]} == {"ok.yaml"}


def test_nesting_within_the_bound_is_scanned() -> None:
    parsed = _compose(cases.deep_flow(150))
    assert parsed.problems == ()


def test_the_depth_bound_can_be_raised_through_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("STRIDESCAN_MAX_YAML_DEPTH", "400")
    assert _compose(cases.deep_flow(300)).problems == ()
    monkeypatch.setenv("STRIDESCAN_MAX_YAML_DEPTH", "100")
    (problem,) = _compose(cases.deep_flow(150)).problems
    assert "more than 100 levels" in problem.message


def test_a_document_of_tens_of_megabytes_is_refused_in_bounded_memory(tree) -> None:
    root = tree({"compose.yaml": cases.huge_compose(20), "ok.yaml": cases.POD.format(name="n")})
    done, peak = run_measured(root, "scan", "--format", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    document = json.loads(done.stdout)
    (error,) = document["errors"]
    assert error["message"] == "YAML document has more than 500000 nodes; refusing to parse it"
    assert error["line"] > 1000
    assert "STRIDESCAN_MAX_YAML_NODES" in error["hint"]
    assert {f["location"]["path"] for f in document["findings"]} == {"ok.yaml"}
    assert 0 < peak < 600 * MB


def test_the_node_bound_is_configurable(monkeypatch) -> None:
    monkeypatch.setenv("STRIDESCAN_MAX_YAML_NODES", "50")
    (problem,) = _compose(cases.huge_compose(1)).problems
    assert "more than 50 nodes" in problem.message


def test_a_file_over_the_size_limit_is_reported_and_the_rest_scanned(tree) -> None:
    root = tree({"compose.yaml": cases.COMPOSE, "ok.yaml": cases.POD.format(name="n")})
    with limits.applied(limits.Limits(max_file_bytes=40)):
        report = scan_tree(root)
    (problem,) = report.problems
    assert problem.path == "compose.yaml"
    assert "over the 40-byte limit" in problem.message
    assert "--max-file-size" in problem.hint
    assert not codes_at(report, "compose.yaml")
    ok_report = scan_tree(root)
    assert ok_report.problems == ()


def test_max_file_size_on_the_command_line_and_in_the_environment(tree) -> None:
    root = tree({"compose.yaml": cases.COMPOSE})
    flag = run_stridescan(root, "scan", "--max-file-size", "50", "--format", "json")
    assert flag.returncode == 1
    assert "over the 50-byte limit" in json.loads(flag.stdout)["errors"][0]["message"]
    env = run_stridescan(root, "scan", "--format", "json", env={"STRIDESCAN_MAX_FILE_SIZE": "1k"})
    assert json.loads(env.stdout)["errors"] == []
    bad = run_stridescan(root, "scan", "--max-file-size", "lots")
    assert bad.returncode == 2
    assert "--max-file-size: 'lots' is not a positive number" in bad.stderr
    bad_env = run_stridescan(root, "scan", env={"STRIDESCAN_MAX_YAML_DEPTH": "deep"})
    assert bad_env.returncode == 2
    assert "STRIDESCAN_MAX_YAML_DEPTH: 'deep' is not a positive number" in bad_env.stderr


def test_standard_input_over_the_limit_is_reported_not_truncated(run_cli) -> None:
    data = cases.COMPOSE.encode() + b"#" * 200
    run = run_cli(
        "scan", "-", "--stdin-filename", "compose.yaml", "--max-file-size", "100", stdin=data
    )
    assert run.code == 1
    assert "compose.yaml: error: file is over the 100-byte limit" in run.stdout


@pytest.mark.parametrize(
    ("text", "size"),
    [("1", 1), ("64k", 65536), ("32M", 32 * MB), ("1GiB", 1024 * MB), ("2 mb", 2 * MB)],
)
def test_sizes_are_read_with_their_units(text, size) -> None:
    assert limits.parse_size(text, "--max-file-size") == size


def test_a_two_megabyte_line_is_scanned() -> None:
    parsed = _compose(cases.COMPOSE + "    command: " + "x" * 2 * MB + "\n")
    assert parsed.problems == ()
    assert parsed.workloads[0].containers[0].privileged.value is True


def test_a_pod_with_thousands_of_containers_is_scanned(tree) -> None:
    root = tree({"pod.yaml": cases.many_containers(3000)})
    done, peak = run_measured(root, "scan", "--format", "json", "--select", "E001")
    assert done.returncode == 1, done.stderr[-2000:]
    document = json.loads(done.stdout)
    assert document["errors"] == []
    assert len({f["location"]["line"] for f in document["findings"]}) == 3000
    assert 0 < peak < 600 * MB


def test_many_small_documents_in_one_file_are_each_scanned() -> None:
    stream = "---\n".join(cases.POD.format(name=f"p{i}") for i in range(2000))
    parsed = parse_source(stream, "pods.yaml", None)
    assert parsed.problems == ()
    assert len(parsed.workloads) == 2000
