"""Run child processes and take their wall time, CPU time and peak RSS from the kernel.

Each child is timed with `perf_counter` around its whole life and reaped with `os.wait4`,
whose rusage is the child's own plus that of the children it reaped itself: CPU time
therefore includes worker processes, while `ru_maxrss` is the peak of the largest single
process (kilobytes on Linux), not a sum over workers.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Command:
    """One command to time; `output` receives its stdout when set (else it is discarded)."""

    name: str
    argv: tuple[str, ...]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    ok_codes: tuple[int, ...] = (0, 1)
    output: Path | None = None


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system, reaped children included
    rss_kb: int  # peak resident set of the largest single process
    code: int
    stderr: str


@dataclass
class Series:
    """The samples of one command over several runs; medians are what the report prints."""

    command: Command
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(sample.wall for sample in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(sample.rss_kb for sample in self.samples) / 1024


class CommandFailed(RuntimeError):
    pass


def run_once(command: Command, output: Path | None = None) -> Sample:
    """Run `command` once to the end; raises CommandFailed on an unexpected exit code."""
    target = output or command.output
    with tempfile.TemporaryFile() as errors:
        stdout = target.open("wb") if target else subprocess.DEVNULL
        try:
            started = time.perf_counter()
            process = subprocess.Popen(
                command.argv, stdout=stdout, stderr=errors, cwd=command.cwd, env=command.env
            )
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
        finally:
            if target:
                stdout.close()  # type: ignore[union-attr]
        process.returncode = code = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", errors="replace")
    if code not in command.ok_codes:
        tail = "\n".join(stderr.splitlines()[-15:])
        raise CommandFailed(f"{command.name} exited with {code}: {' '.join(command.argv)}\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code, stderr)


def measure(commands: Sequence[Command], runs: int, log: bool = True) -> dict[str, Series]:
    """Run every command `runs` times, alternating within each round so that load from
    other processes on the machine falls on all of them alike."""
    series = {command.name: Series(command) for command in commands}
    for round_number in range(runs):
        for command in commands:
            output = None
            if command.output is not None:
                # Keep every run's output, so runs can be compared with each other.
                output = command.output.with_name(f"{command.output.stem}.{round_number}.out")
            sample = run_once(command, output)
            series[command.name].samples.append(sample)
            if log:
                print(
                    f"  [{round_number + 1}/{runs}] {command.name}: {sample.wall:.2f} s",
                    flush=True,
                )
    return series
