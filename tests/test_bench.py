"""The benchmark's inputs are what they claim: the mix of bench/mix.py is scanned whole,
without a problem, holds every kind issue #8 names, and the parse floor reads the same files.

No timing here: bench/targets.py measures, tests never assert on time.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import REPO, scan_paths

BENCH = REPO / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


mix = _load("mix")
parse_floor = _load("parse_floor")


@pytest.fixture(scope="module")
def tiny_mix(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = tmp_path_factory.mktemp("mix")
    return root, mix.write_mix(root, 1)  # one unit: the first holds every kind


def test_the_mix_holds_every_kind_the_issue_names(tiny_mix: tuple[Path, Any]) -> None:
    _, stats = tiny_mix
    missing = [kind for kind in mix.KINDS if stats.kinds[kind] == 0]
    assert missing == []


def test_every_generated_file_is_scanned_without_a_problem(tiny_mix: tuple[Path, Any]) -> None:
    root, stats = tiny_mix
    report = scan_paths([root], root=root)
    assert [problem.message for problem in report.problems] == []
    ours = len(stats.files) - len(stats.unrelated)
    assert report.files_scanned == ours
    assert report.results  # some settings are insecure on purpose


def test_the_mix_is_hardened_in_part_not_wrong_everywhere(tiny_mix: tuple[Path, Any]) -> None:
    root, _ = tiny_mix
    flagged = {result.location.path for result in scan_paths([root], root=root).results}
    manifests = sorted(path.name for path in (root / "repo00000" / "deploy" / "k8s").iterdir())
    assert "network-policy.yaml" in manifests
    assert not any(path.endswith("network-policy.yaml") for path in flagged)


def test_the_mix_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    first = mix.write_mix(tmp_path / "a", 70_000, seed=3)
    second = mix.write_mix(tmp_path / "b", 70_000, seed=3)
    third = mix.write_mix(tmp_path / "c", 70_000, seed=4)

    def contents(stats: Any, root: Path) -> dict[str, bytes]:
        paths = stats.files
        return {path.relative_to(root).as_posix(): path.read_bytes() for path in paths}

    assert contents(first, tmp_path / "a") == contents(second, tmp_path / "b")
    assert contents(first, tmp_path / "a") != contents(third, tmp_path / "c")


def test_the_mix_is_sized_in_bytes(tmp_path: Path) -> None:
    stats = mix.write_mix(tmp_path, 200_000)
    on_disk = sum(path.stat().st_size for path in stats.files + stats.skipped)
    assert on_disk == stats.bytes
    assert 200_000 <= stats.bytes < 200_000 + 80_000  # the last unit may overshoot


def test_the_parse_floor_reads_every_file_the_scanner_reads(tiny_mix: tuple[Path, Any]) -> None:
    root, stats = tiny_mix
    counts = parse_floor.parse_tree(root)
    assert counts["files"] == len(stats.files)
    assert counts["json"] == stats.kinds["daemon.json"]
    documents = sum(
        text.count("\n---\n") + 1
        for path in stats.files
        if "/deploy/k8s/" in path.as_posix()
        for text in [path.read_text(encoding="utf-8")]
    )
    assert counts["yaml_documents"] >= documents


@pytest.mark.parametrize("script", ["targets.py", "parse_floor.py", "corpus.py"])
def test_the_bench_scripts_answer_help(script: str) -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "usage:" in completed.stdout
