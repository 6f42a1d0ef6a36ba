"""`--jobs`: the per-file stage (stridescan.filestage) spread over worker processes.

Files are independent once grouped into units, so the parse and the per-file rules run in
the workers (about three quarters of the CPU time of a large scan, start-up included); what
comes back is compact, and the merge in the parent does not depend on which worker ran what
or when, so the output is byte-identical to `--jobs 1`.

A pool costs a fork per worker and a round trip per chunk, some 40-80 ms on 2 cores: `auto`
stays in-process for small scans (pre-commit passes one or a few files). Measured on 2 cores
with files of about 1.5 KB, the pool breaks even at about 30 files, 45 KB of input; hence
`AUTO_MIN_UNITS` and `AUTO_MIN_BYTES`.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from stridescan.diagnostics import UsageError
from stridescan.filestage import FileOutcome, StageContext, Unit, failed, run_unit
from stridescan.limits import Limits, applied
from stridescan.limits import active as active_limits
from stridescan.model import Image
from stridescan.rules._registry import Rule, all_rules

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

Jobs = int | Literal["auto"]

#: `auto` runs in-process below either bound: a pool is not worth it for less.
AUTO_MIN_UNITS = 32
AUTO_MIN_BYTES = 48 * 1024
#: The smallest chunk, as a share of the work of one worker: the last chunks are this
#: small, so the worker that finishes first waits little for the other at the end.
_SMALLEST_CHUNK_PER_WORKER = 32
#: ProcessPoolExecutor refuses more on Windows.
_WINDOWS_MAX_WORKERS = 61
#: The garbage collector's first threshold during a scan (CPython's is 700): the model is
#: frozen dataclasses and tuples, without cycles, and at 700 the collections that walk the
#: young objects took about a fifth of the per-file stage's CPU time.
GC_THRESHOLD = 50_000


def parse_jobs(text: str) -> Jobs:
    """`auto` or a whole number >= 1; UsageError otherwise."""
    value = text.strip().lower()
    if value == "auto":
        return "auto"
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise UsageError(f"--jobs: {text!r} is not a number of processes; use 1, 2, ... or auto")


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, as taskset or a cpuset sets)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers_for(jobs: Jobs, units: Sequence[Unit]) -> int:
    """How many processes to use; 1 means in-process."""
    if jobs == "auto":
        total = sum(unit.size for unit in units)
        if len(units) < AUTO_MIN_UNITS or total < AUTO_MIN_BYTES:
            return 1
        jobs = usable_cpus()
    if sys.platform == "win32":
        jobs = min(jobs, _WINDOWS_MAX_WORKERS)
    return max(1, min(jobs, len(units)))


def run_units(
    units: Sequence[Unit], context: StageContext, workers: int
) -> Iterator[tuple[int, list[FileOutcome]]]:
    """(index in `units`, its outcomes) for every unit, as each is done: in order when
    `workers` is 1 (in-process), else in the order the workers finish, so the caller can
    merge while they work."""
    if workers <= 1:
        loaded: dict[str, Image | None] = {}
        for index, unit in enumerate(units):
            yield index, run_unit(unit, context, loaded)
        return
    limits = active_limits()
    lost: list[int] = []
    yield from _run_pool(units, _chunks(units, workers), context, limits, workers, lost)
    # A worker died (killed, or the kernel's OOM killer): the pool is broken and every
    # chunk not yet back is lost. Run those units again, each in a chunk of its own, and
    # those lost once more one at a time, so the one whose worker dies is named and every
    # other file is still scanned.
    if lost:
        retry, lost = sorted(lost), []
        yield from _run_pool(units, [[i] for i in retry], context, limits, workers, lost)
    for index in sorted(lost):
        again: list[int] = []
        yield from _run_pool(units, [[index]], context, limits, 1, again)
        if again:
            message = (
                "the worker process scanning this file ended unexpectedly (killed, or out of "
                "memory)"
            )
            hint = "scan it on its own with --jobs 1 to see why, or leave it out with --exclude"
            yield index, failed(units[index], message, hint)


def _run_pool(
    units: Sequence[Unit],
    chunks: Sequence[Sequence[int]],
    context: StageContext,
    limits: Limits,
    workers: int,
    lost: list[int],
) -> Iterator[tuple[int, list[FileOutcome]]]:
    """Run `chunks` (lists of unit indexes) in a new pool; the indexes of units lost to a
    broken pool are added to `lost`."""
    # Imported here: they cost `stridescan scan` start-up tens of milliseconds.
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_start_worker,
        initargs=(context.root, _references(context.rules), limits),
    )
    try:
        # The workers fork at the first submit. Frozen, the objects they inherit are left
        # out of their garbage collections, which would otherwise walk (and so copy) every
        # page of the parent's heap. The scan (stridescan.scanner) unfreezes them at its end.
        gc.freeze()
        futures: dict[Future[list[list[FileOutcome]]], Sequence[int]] = {
            pool.submit(_run_chunk, [units[i] for i in chunk]): chunk for chunk in chunks
        }
        for future in as_completed(futures):
            # Dropped as it is read: a done future holds its chunk's outcomes.
            chunk = futures.pop(future)
            try:
                done = future.result()
            except BrokenProcessPool:
                lost.extend(chunk)
                continue
            except Exception as error:  # raised while sending or receiving the chunk
                message = f"internal error while scanning ({type(error).__name__}: {error})"
                for index in chunk:
                    yield index, failed(units[index], message)
                continue
            yield from zip(chunk, done, strict=True)
    finally:
        # On Ctrl-C the workers (which ignore SIGINT) finish their chunk and stop.
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(units: Sequence[Unit], workers: int) -> list[list[int]]:
    """Unit indexes in chunks: largest units first, so no worker is left with a big file
    at the end, and small units batched so each round trip carries enough work. Chunks
    shrink as the work left does (each about a quarter of one worker's share of what is
    left, none under `_SMALLEST_CHUNK_PER_WORKER`), so the first are large and the last
    small: whichever worker finishes first waits little for the other. The same units
    always give the same chunks."""
    by_size = sorted(range(len(units)), key=lambda i: (-units[i].size, i))
    remaining = sum(unit.size for unit in units)
    smallest = max(1, remaining // (workers * _SMALLEST_CHUNK_PER_WORKER))
    target = max(smallest, remaining // (4 * workers))
    chunks: list[list[int]] = []
    current: list[int] = []
    weight = 0
    for index in by_size:
        current.append(index)
        weight += units[index].size
        if weight >= target:
            chunks.append(current)
            remaining -= weight
            current, weight = [], 0
            target = max(smallest, remaining // (4 * workers))
    if current:
        chunks.append(current)
    return chunks


def _context() -> BaseContext:
    """fork on Linux: the workers start with everything imported and cost a few ms each.
    Elsewhere spawn (fork is unsafe on macOS, absent on Windows); Python 3.14 changes the
    default, so the choice is explicit."""
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


_worker_context: StageContext | None = None
_worker_limits: Limits | None = None
_worker_loaded: dict[str, Image | None] = {}


# A catalogue rule travels as its code and options; any other rule as itself.
RuleReference = tuple[str, object] | Rule


def _references(rules: Sequence[Rule]) -> tuple[RuleReference, ...]:
    """The rules, small: with spawn they are pickled into each worker's start-up data, which
    CPython writes to a pipe the worker may never read (if it dies starting), and a write
    larger than the pipe's buffer would then block the scan for ever."""
    catalogue = {rule.code: rule for rule in all_rules()}
    return tuple(
        (rule.code, rule.options) if catalogue.get(rule.code) == rule else rule for rule in rules
    )


def _rules_from(references: Sequence[RuleReference]) -> tuple[Rule, ...]:
    catalogue = {rule.code: rule for rule in all_rules()}
    rules: list[Rule] = []
    for reference in references:
        if isinstance(reference, Rule):
            rules.append(reference)
            continue
        code, options = reference
        rule = catalogue[code]
        rules.append(rule.configured(options) if rule.options_type is not None else rule)
    return tuple(rules)


def _start_worker(root: Path, rules: Sequence[RuleReference], limits: Limits) -> None:
    global _worker_context, _worker_limits
    # Ctrl-C reaches the whole process group: the parent alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked, a worker inherits the scan's settings; spawned, it needs them set (its
    # modules, imported by now, left out of every collection).
    gc.freeze()
    gc.set_threshold(max(gc.get_threshold()[0], GC_THRESHOLD), *gc.get_threshold()[1:])
    _worker_context = StageContext(root=root, rules=_rules_from(rules))
    _worker_limits = limits
    _worker_loaded.clear()


def _run_chunk(units: Sequence[Unit]) -> list[list[FileOutcome]]:
    assert _worker_context is not None and _worker_limits is not None
    with applied(_worker_limits):
        return [run_unit(unit, _worker_context, _worker_loaded) for unit in units]
