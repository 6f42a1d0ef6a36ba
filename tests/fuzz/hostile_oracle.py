"""What must hold for any input: the checks the property tests and the fuzzer share.

`check_text` drives one parser through `parse_source`, the per-file error boundary: it may
return problems, never raise. `check_tree` runs the whole pipeline over files on disk and
renders every output format: each must be well formed, and two scans must agree byte for
byte. Internal errors (a rule that raised) count as failures too: the engine hides them
from the user, not from us.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from stridescan.diagnostics import Problem
from stridescan.model import SourceKind
from stridescan.parsing import ParsedFile, parse_source
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanReport, ScanRequest, scan

KINDS: tuple[SourceKind | None, ...] = (
    None,
    SourceKind.DOCKERFILE,
    SourceKind.COMPOSE,
    *(kind for kind in SourceKind if kind.name == "DAEMON"),
)


def check_text(text: str, kind: SourceKind | None, path: str = "input") -> ParsedFile:
    """Parse `text` as `kind`; every problem must name the file and a sane position."""
    parsed = parse_source(text, path, kind)
    line_count = text.count("\n") + 1
    for problem in parsed.problems:
        check_problem(problem, path, line_count)
    return parsed


def check_problem(problem: Problem, path: str, line_count: int | None = None) -> None:
    assert problem.path == path, problem
    assert problem.message, problem
    assert "internal error" not in problem.message, problem.render()
    if problem.line is not None:
        assert problem.line >= 1, problem
        if line_count is not None:
            assert problem.line <= line_count + 1, (problem, line_count)
    if problem.column is not None:
        assert problem.column >= 1, problem


@functools.cache
def reporter_modules() -> dict[str, object]:
    """Every output format that exists now: each module in stridescan.reporters with render.

    Looked up once per process, so a reporter added while a long fuzz run goes on cannot
    make two renderings of one report differ.
    """
    import stridescan.reporters as package

    found: dict[str, object] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"stridescan.reporters.{info.name}")
        if callable(getattr(module, "render", None)):
            found[info.name] = module
    return found


def render_all(report: ScanReport) -> dict[str, str]:
    """The report in every format, each checked for well-formedness."""
    rendered: dict[str, str] = {}
    for name, module in reporter_modules().items():
        output = module.render(report, color=False)  # type: ignore[attr-defined]
        assert isinstance(output, str), name
        check_well_formed(name, output, report)
        rendered[name] = output
    return rendered


def check_well_formed(name: str, output: str, report: ScanReport) -> None:
    """Format-specific checks: JSON parses and counts agree; text holds no raw control bytes."""
    if name in ("json", "sarif"):
        document = json.loads(output)
        if name == "json":
            assert len(document["findings"]) == len(report.results)
            assert len(document["errors"]) == len(report.problems)
        else:
            assert document["version"] == "2.1.0"
    elif name == "github":
        for line in output.splitlines():
            if line.startswith("::"):
                assert "\r" not in line
    if name == "text":
        assert all(ch in "\n\t" or ch.isprintable() for ch in output), repr(output[:200])


Tree = Callable[[Mapping[str, "bytes | str"]], Path]


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """Write files (name -> bytes or text) under a fresh directory and return it.

    Test modules import this fixture: a conftest.py in tests/hostile would shadow the
    top-level one for the `from conftest import ...` of other test modules.
    """

    def write(files: Mapping[str, bytes | str]) -> Path:
        for name, data in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return tmp_path

    return write


#: Generous: only a hang guard, never a timing assertion.
HANG_GUARD_SECONDS = 300


def scan_tree(root: Path, paths: tuple[str, ...] = (".",)) -> ScanReport:
    """The real pipeline with every rule over `paths` (relative to `root`), as the command
    line run in `root` would."""
    absolute = tuple(str(root / path) for path in paths)
    return scan(ScanRequest(paths=absolute, root=root, rules=all_rules()))


def check_tree(root: Path, files: Mapping[str, bytes]) -> ScanReport:
    """Write `files` under `root`, scan, render every format; scanning again changes nothing."""
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    report = scan_tree(root)
    for problem in report.problems:
        check_problem(problem, problem.path)
    first = render_all(report)
    again = render_all(scan_tree(root))
    assert first == again, "a second scan of the same files gave different output"
    names = tuple(sorted(files))
    if len(names) > 1:
        forward = render_all(scan_tree(root, names))
        backward = render_all(scan_tree(root, names[::-1]))
        assert forward == backward, "naming the files in another order changed the output"
    return report


def codes_at(report: ScanReport, path: str) -> set[tuple[int, str]]:
    return {(r.location.line, r.rule.code) for r in report.results if r.location.path == path}


def run_stridescan(
    root: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`stridescan ARGS` as a separate process in `root`: a crash there cannot kill pytest."""
    return subprocess.run(
        [sys.executable, "-m", "stridescan", *args],
        cwd=root,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        check=False,
    )


_MEASURED = """
import resource, sys
from stridescan.cli import main
code = main(sys.argv[1:])
sys.stderr.write(f"\\nMAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
sys.exit(code)
"""


def run_measured(root: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """`stridescan ARGS` in a subprocess, with its peak resident memory in bytes (Linux)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        cwd=root,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=HANG_GUARD_SECONDS,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    marker = done.stderr.rpartition("MAXRSS ")[2].strip()
    return done, int(marker) * 1024 if marker.isdigit() else 0
