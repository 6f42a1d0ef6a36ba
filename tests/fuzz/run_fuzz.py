"""Fuzz stridescan for a set time with hypothesis at high example counts.

    .venv/bin/python tests/fuzz/run_fuzz.py --minutes 30 --log /tmp/stridescan-fuzz.log

Each round runs every target with a fresh seed; a failure is logged with its shrunk input
(hypothesis prints the reproducing call) and the run goes on with the next round. A target
that takes longer than `--hang-seconds` on one input is logged as a hang, and the address
space is capped (`--memory-mb`) so runaway memory shows up as a MemoryError, not a dead box.
Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile_oracle as oracle
import hostile_strategies as strategies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class Hang(Exception):
    """One input ran longer than the hang bound."""


@contextlib.contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"one input ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def targets(examples: int, hang_seconds: int) -> dict[str, Callable[[], None]]:
    common = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )

    @common
    @given(st.one_of(strategies.hostile_text()), st.sampled_from(oracle.KINDS))
    def parse_text(text: str, kind: object) -> None:
        with hang_guard(hang_seconds):
            oracle.check_text(text, kind)  # type: ignore[arg-type]

    @common
    @given(strategies.hostile_bytes())
    def decode_bytes(data: bytes) -> None:
        from stridescan.diagnostics import ParseError
        from stridescan.sourcetext import decode_source

        with hang_guard(hang_seconds):
            try:
                text = decode_source(data)
            except ParseError:
                return
            for kind in oracle.KINDS:
                oracle.check_text(text, kind)

    @settings(common, max_examples=max(1, examples // 10))
    @given(
        st.dictionaries(
            st.sampled_from(strategies.SCANNED_NAMES), strategies.hostile_bytes(), max_size=4
        )
    )
    def whole_pipeline(files: dict[str, bytes]) -> None:
        with hang_guard(hang_seconds * 4), tempfile.TemporaryDirectory() as directory:
            oracle.check_tree(Path(directory), files)

    return {
        "parse_text": parse_text,
        "decode_bytes": decode_bytes,
        "whole_pipeline": whole_pipeline,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--examples", type=int, default=2000, help="per target per round")
    parser.add_argument("--hang-seconds", type=int, default=20)
    parser.add_argument("--memory-mb", type=int, default=4096)
    parser.add_argument("--log", type=Path, default=Path("/tmp/stridescan-fuzz.log"))
    args = parser.parse_args()
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    end = time.monotonic() + args.minutes * 60
    failures = 0
    rounds = 0
    with args.log.open("a", encoding="utf-8") as log:

        def note(text: str) -> None:
            stamp = time.strftime("%H:%M:%S")
            log.write(f"[{stamp}] {text}\n")
            log.flush()

        note(f"start: {args.minutes} min, {args.examples} examples per target per round")
        while time.monotonic() < end:
            rounds += 1
            for name, target in targets(args.examples, args.hang_seconds).items():
                if time.monotonic() >= end:
                    break
                started = time.monotonic()
                try:
                    target()
                except BaseException as error:  # log every failure kind, then go on
                    if isinstance(error, KeyboardInterrupt):
                        raise
                    failures += 1
                    note(f"FAIL round {rounds} {name}: {type(error).__name__}: {error}")
                    log.write("".join(traceback.format_exception(error)))
                    log.flush()
                    continue
                note(f"ok round {rounds} {name} in {time.monotonic() - started:.0f} s")
        note(f"done: {rounds} rounds, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
