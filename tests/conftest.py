from __future__ import annotations

import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from stridescan.cli import main
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanReport, ScanRequest, scan

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliRun]:
    """Run `stridescan ARGS` in-process; `stdin` bytes feed standard input."""

    def run(*args: str, stdin: bytes = b"") -> CliRun:
        stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", stream)
        code = main(list(args))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


def scan_paths(paths: Sequence[str | Path], root: Path = REPO) -> ScanReport:
    """Run the real pipeline with every rule over `paths`, relative to `root`."""
    return scan(ScanRequest(paths=tuple(str(p) for p in paths), root=root, rules=all_rules()))
