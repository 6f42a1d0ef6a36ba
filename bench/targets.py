"""Check issue #8's performance targets: one run measures everything it compares.

Generates the corpora (or reuses `--corpus-dir`), runs stridescan, the parse floor and,
when installed, checkov and hadolint as separate processes, alternating the commands within
each round so machine load hits all alike, and prints medians, ratios and one PASS/FAIL line
per target with its figure. A half of a target that could not be measured (checkov absent,
`--jobs` not available) is printed as such, never as a pass. Never part of the test suite.

    .venv/bin/python bench/targets.py            # full run (tens of minutes with checkov)
    .venv/bin/python bench/targets.py --quick    # smoke run: small corpora, two runs

See bench/README.md for what each figure means and how to install checkov and hadolint.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # measure
from measure import Command, Series, measure, run_once

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BENCH_VENV = Path.home() / ".cache" / "stridescan-bench" / "venv"
HEAVY_MODULES = ("jsonschema", "sarif_om", "rich", "pygments")
# checkov's own calls home, switched off so that it is not timed waiting on the network:
# the package-update check, and the platform's policy metadata (with --skip-download).
CHECKOV_ENV = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
CHECKOV_FLAGS = ("--skip-download", "--quiet", "--compact", "-o", "json")


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: int
    bytes: int
    largest: int
    dockerfiles: tuple[str, ...]  # relative to root, for hadolint
    small_file: str  # the pre-commit case, relative to root

    def describe(self) -> str:
        return (
            f"{self.files} files, {self.bytes / 1e6:.1f} MB, largest "
            f"{self.largest / 1000:.0f} kB ({self.root})"
        )


@dataclass(frozen=True)
class Tools:
    stridescan: Path
    python: Path
    has_jobs: bool
    checkov: Path | None
    hadolint: Path | None


class Verdicts:
    """The target lines, printed together at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, title: str, checks: list[tuple[str, bool | None]]) -> None:
        """`checks`: (figure and bound, passed); passed None: not measured, and the text
        says so and why."""
        results = [passed for _, passed in checks]
        if any(result is False for result in results):
            status = "FAIL"
        elif all(result is None for result in results):
            status = "SKIP"
        elif any(result is None for result in results):
            status = "INCOMPLETE"
        else:
            status = "PASS"
        parts = "; ".join(
            text if ok is None else f"{text}: {'PASS' if ok else 'FAIL'}" for text, ok in checks
        )
        self.lines.append(f"{status:<10} {title}: {parts}")

    @property
    def failed(self) -> bool:
        return any(line.startswith("FAIL") for line in self.lines)

    def print(self) -> None:
        for line in sorted(self.lines, key=lambda line: line[11:]):
            print(line)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    tools = _tools(args)
    large_mb, scaling_mb = (0.5, 5.0) if args.quick else (args.size_mb, args.size_mb * 10)
    runs = args.runs if args.runs is not None else (2 if args.quick else 5)
    scaling_runs = args.scaling_runs if args.scaling_runs is not None else min(runs, 3)
    print(f"stridescan: {tools.stridescan} (the console script the README installs)")
    print(f"python for the parse floor and -X importtime: {tools.python}")
    print(f"--jobs: {'available' if tools.has_jobs else 'not available in this stridescan'}")
    if args.no_checkov:
        print("checkov: not run (--no-checkov): ratios not measured")
    else:
        print(f"checkov: {tools.checkov or 'not installed: ratio not measured'}")
    print(f"hadolint: {tools.hadolint or 'not installed: ratio not measured'}")
    print(f"runs: {runs} per command (checkov {args.checkov_runs} on corpora), load: {_load()}")
    verdicts = Verdicts()
    with _workspace(args.corpus_dir) as workspace:
        large = _corpus(workspace, large_mb, args.seed)
        print(f"\ncorpus: {large.describe()}")
        _one_file(tools, large, runs, verdicts)
        _large_corpus(tools, large, runs, args.checkov_runs, workspace, verdicts)
        _startup(tools, large, verdicts)
        if args.skip_scaling:
            verdicts.add("4 scaling", [("not run (--skip-scaling)", None)])
        else:
            scaling = _corpus(workspace, scaling_mb, args.seed)
            print(f"\ncorpus x10: {scaling.describe()}")
            _scaling(tools, large, scaling, scaling_runs, verdicts)
        print(f"\nbench process peak RSS, a floor under every child's: {_own_rss()}")
        # Parsed last: the reports are large, and this process's peak RSS must stay small.
        print("\n== what each tool read (large corpus, first run)")
        _what_was_scanned(workspace / "outputs")
    print(f"\nload at the end: {_load()}")
    print("\ntargets:")
    verdicts.print()
    return 1 if verdicts.failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="0.5/5 MB corpora, two runs")
    parser.add_argument("--runs", type=int, help="runs per command (default 5; --quick 2)")
    parser.add_argument("--scaling-runs", type=int, help="runs on the x10 corpus (default 3)")
    parser.add_argument("--checkov-runs", type=int, default=1, help="checkov runs on corpora")
    parser.add_argument("--size-mb", type=float, default=10.0, help="large corpus size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-scaling", action="store_true", help="no x10 corpus")
    parser.add_argument("--corpus-dir", type=Path, help="generate here, or reuse, the corpora")
    parser.add_argument("--stridescan", type=Path, default=REPO / ".venv" / "bin" / "stridescan")
    parser.add_argument("--checkov", type=Path, default=BENCH_VENV / "bin" / "checkov")
    parser.add_argument("--hadolint", type=Path, default=BENCH_VENV / "bin" / "hadolint")
    parser.add_argument("--no-checkov", action="store_true", help="do not run checkov")
    return parser


def _tools(args: argparse.Namespace) -> Tools:
    stridescan = args.stridescan.absolute()
    if not os.access(stridescan, os.X_OK):
        found = shutil.which("stridescan")
        if found is None:
            raise SystemExit(f"{stridescan}: not found; install with `pip install -e .`")
        stridescan = Path(found)
    python = stridescan.parent / "python"
    if not os.access(python, os.X_OK):
        python = Path(sys.executable)
    completed = subprocess.run(
        [str(stridescan), "scan", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        check=False,
    )
    _compile_bytecode(python)
    checkov = args.checkov if not args.no_checkov and os.access(args.checkov, os.X_OK) else None
    hadolint = args.hadolint if os.access(args.hadolint, os.X_OK) else None
    return Tools(stridescan, python, "--jobs" in completed.stdout, checkov, hadolint)


def _compile_bytecode(python: Path) -> None:
    """Write stridescan's .pyc files first, as `pip install` does for a regular install.

    An editable install (`pip install -e`) compiles nothing, and with
    PYTHONDONTWRITEBYTECODE set every run would compile the whole package again (about
    0.6 s of CPU), which no user of an installed stridescan pays.
    """
    subprocess.run(
        [
            str(python),
            "-c",
            "import compileall, os, stridescan; "
            "compileall.compile_dir(os.path.dirname(stridescan.__file__), quiet=1)",
        ],
        env={key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
        check=True,
    )


@contextmanager
def _workspace(corpus_dir: Path | None) -> Iterator[Path]:
    if corpus_dir is not None:
        corpus_dir.mkdir(parents=True, exist_ok=True)
        yield corpus_dir.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="stridescan-bench-") as folder:
        yield Path(folder)


def _corpus(workspace: Path, size_mb: float, seed: int) -> Corpus:
    """The mix of `size_mb` under `workspace`, written unless a finished one is there."""
    root = workspace / f"mix-{size_mb:g}mb-seed{seed}"
    done = root / ".complete"
    # The generator's own hash: a corpus written by an older mix.py is written anew.
    stamp = hashlib.sha256((BENCH / "mix.py").read_bytes()).hexdigest() + "\n"
    if not done.exists() or done.read_text(encoding="utf-8") != stamp:
        if root.exists():
            shutil.rmtree(root)
        print(f"\nwriting a {size_mb:g} MB corpus under {root} ...", flush=True)
        # In a child process, so that this one stays small (see `_own_rss`).
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "corpus.py"),
                str(root),
                "--size-mb",
                f"{size_mb:g}",
                "--seed",
                str(seed),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        done.write_text(stamp, encoding="utf-8")
    # Totals kept as it walks, not a list of every path: this process stays small.
    count = total = largest = 0
    dockerfiles: list[str] = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if path == done:
                continue
            size = path.stat().st_size
            count, total, largest = count + 1, total + size, max(largest, size)
            if name == "Dockerfile":
                dockerfiles.append(path.relative_to(root).as_posix())
    small = root / "repo00000" / "deploy" / "k8s" / "rbac.yaml"
    return Corpus(
        root, count, total, largest, tuple(sorted(dockerfiles)), small.relative_to(root).as_posix()
    )


def _stridescan(
    tools: Tools, corpus: Corpus, name: str, *args: str, output: Path | None = None
) -> Command:
    return Command(
        name, (str(tools.stridescan), "scan", "--no-config", *args), cwd=corpus.root, output=output
    )


def _checkov(
    tools: Tools, corpus: Corpus, name: str, *args: str, output: Path | None = None
) -> Command:
    assert tools.checkov is not None
    return Command(
        name,
        (str(tools.checkov), *args, *CHECKOV_FLAGS),
        cwd=corpus.root,
        env={**os.environ, **CHECKOV_ENV},
        output=output,
    )


def _what_was_scanned(outputs: Path) -> None:
    """What each tool says it read, from its first run's JSON: a tool that read nothing
    would look fast, so the ratios are only worth what these counts are."""
    ours = json.loads((outputs / "jobs1.0.out").read_bytes())["summary"]
    print(
        f"  stridescan: {ours['files_scanned']} files scanned, {ours['findings']} findings, "
        f"{ours['errors']} errors"
    )
    theirs = outputs / "checkov.0.out"
    if theirs.exists():
        reports = json.loads(theirs.read_bytes())
        for report in reports if isinstance(reports, list) else [reports]:
            summary = report.get("summary", {})
            print(
                f"  checkov {report.get('check_type')}: {summary.get('resource_count')} "
                f"resources, {summary.get('failed')} failed checks, "
                f"{summary.get('parsing_errors')} parsing errors"
            )


def _report(series: dict[str, Series]) -> None:
    print(f"  {'command':<34} {'median wall':>12} {'median CPU':>11} {'peak RSS':>10}")
    for item in series.values():
        print(
            f"  {item.command.name:<34} {item.wall:>10.3f} s {item.cpu:>9.3f} s "
            f"{item.rss_mb:>7.0f} MB"
        )


def _one_file(tools: Tools, corpus: Corpus, runs: int, verdicts: Verdicts) -> None:
    print(f"\n== one small file (pre-commit case): {corpus.small_file}, {runs} runs")
    commands = [_stridescan(tools, corpus, "stridescan one file", corpus.small_file)]
    if tools.checkov:
        commands.append(
            _checkov(
                tools,
                corpus,
                "checkov one file",
                "-f",
                corpus.small_file,
                "--framework",
                "kubernetes",
            )
        )
    series = measure(commands, runs)
    _report(series)
    wall = series["stridescan one file"].wall
    cpu = series["stridescan one file"].cpu  # less sensitive to load: shown, not judged
    checks: list[tuple[str, bool | None]] = [
        (f"median wall {wall:.3f} s, CPU {cpu:.3f} s (wall <= 0.20 s)", wall <= 0.20)
    ]
    if tools.checkov:
        ratio = series["checkov one file"].wall / wall
        checks.append((f"checkov/stridescan {ratio:.1f}x (>= 15x)", ratio >= 15))
    else:
        checks.append(("checkov ratio not measured (checkov not installed, or --no-checkov)", None))
    verdicts.add("1 one small file", checks)


def _large_corpus(
    tools: Tools,
    corpus: Corpus,
    runs: int,
    checkov_runs: int,
    workspace: Path,
    verdicts: Verdicts,
) -> None:
    print(f"\n== large corpus, {runs} runs")
    outputs = workspace / "outputs"
    shutil.rmtree(outputs, ignore_errors=True)  # no report of an earlier run is compared
    outputs.mkdir()
    floor = Command(
        "parse floor",
        (str(tools.python), str(BENCH / "parse_floor.py"), "."),
        cwd=corpus.root,
        ok_codes=(0,),
    )
    jobs1_args = ("--jobs", "1") if tools.has_jobs else ()
    commands = [
        floor,
        _stridescan(
            tools,
            corpus,
            "stridescan --jobs 1",
            ".",
            "-f",
            "json",
            *jobs1_args,
            output=outputs / "jobs1.json",
        ),
    ]
    if tools.has_jobs:
        commands.append(
            _stridescan(
                tools,
                corpus,
                "stridescan --jobs auto",
                ".",
                "-f",
                "json",
                "--jobs",
                "auto",
                output=outputs / "jobsauto.json",
            )
        )
    series = measure(commands, runs)
    if tools.checkov and checkov_runs > 0:
        print(f"  checkov on the corpus, {checkov_runs} run(s) (it is slow) ...", flush=True)
        series.update(
            measure(
                [
                    _checkov(
                        tools,
                        corpus,
                        "checkov corpus",
                        "-d",
                        ".",
                        "--framework",
                        "kubernetes",
                        "dockerfile",
                        output=outputs / "checkov.json",
                    )
                ],
                checkov_runs,
            )
        )
    if tools.hadolint:
        series.update(
            measure(
                [
                    _stridescan(tools, corpus, "stridescan Dockerfiles", *corpus.dockerfiles),
                    Command(
                        "hadolint Dockerfiles",
                        (str(tools.hadolint), "--no-fail", *corpus.dockerfiles),
                        cwd=corpus.root,
                    ),
                ],
                runs,
            )
        )
    _report(series)
    jobs1 = series["stridescan --jobs 1"]
    floor_ratio = jobs1.wall / series["parse floor"].wall
    cpu_ratio = jobs1.cpu / series["parse floor"].cpu  # less sensitive to load: not judged
    checks: list[tuple[str, bool | None]] = [
        (
            f"--jobs 1 / parse floor {floor_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (wall <= 1.5x)",
            floor_ratio <= 1.5,
        )
    ]
    if "checkov corpus" in series:
        ratio = series["checkov corpus"].wall / jobs1.wall
        checks.append((f"checkov/stridescan {ratio:.1f}x (>= 20x)", ratio >= 20))
    else:
        checks.append(("checkov ratio not measured (checkov not installed, or --no-checkov)", None))
    verdicts.add("2 large corpus --jobs 1", checks)
    if "hadolint Dockerfiles" in series:
        ratio = series["hadolint Dockerfiles"].wall / series["stridescan Dockerfiles"].wall
        print(
            f"  hadolint/stridescan on the {len(corpus.dockerfiles)} Dockerfiles: {ratio:.2f}x"
            " (informational)"
        )
    if not tools.has_jobs:
        verdicts.add("3 --jobs auto", [("SKIP: --jobs not available", None)])
    else:
        auto = series["stridescan --jobs auto"]
        speedup = jobs1.wall / auto.wall
        identical = _identical(outputs, runs)
        verdicts.add(
            f"3 --jobs auto on {os.cpu_count()} cores",
            [
                (f"{speedup:.2f}x faster than --jobs 1 (>= 1.7x)", speedup >= 1.7),
                (f"output byte-identical over {2 * runs} runs: {identical}", identical),
            ],
        )


def _identical(outputs: Path, runs: int) -> bool:
    """Whether every run's report is the same bytes, compared by digest: holding the reports
    themselves would grow this process, and children inherit its peak RSS (see `_own_rss`)."""
    digests = {
        _digest(outputs / f"{stem}.{number}.out")
        for stem in ("jobs1", "jobsauto")
        for number in range(runs)
    }
    return len(digests) == 1


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _own_rss() -> str:
    """This process's peak RSS. The kernel carries a parent's peak over into a child at exec,
    so no child's peak RSS can read below it: it must stay under the smallest figure."""
    import resource

    return f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"


def _startup(tools: Tools, corpus: Corpus, verdicts: Verdicts) -> None:
    print(f"\n== start-up: python -X importtime -m stridescan scan {corpus.small_file}")
    command = Command(
        "importtime",
        (
            str(tools.python),
            "-X",
            "importtime",
            "-m",
            "stridescan",
            "scan",
            "--no-config",
            corpus.small_file,
        ),
        cwd=corpus.root,
    )
    sample = run_once(command)
    imported = []
    for line in sample.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name.split(".")[0] in HEAVY_MODULES:
                imported.append(name)
    print(f"  heavy modules imported: {', '.join(imported) or 'none'}")
    print(f"  whole process: {sample.wall:.3f} s wall (import times add to it)")
    verdicts.add(
        "5 start-up imports",
        [(f"{', '.join(HEAVY_MODULES)} imported: {', '.join(imported) or 'none'}", not imported)],
    )


def _scaling(tools: Tools, large: Corpus, scaling: Corpus, runs: int, verdicts: Verdicts) -> None:
    print(f"\n== x10 corpus, {runs} runs")
    jobs1_args = ("--jobs", "1") if tools.has_jobs else ()
    series = measure(
        [
            # The large corpus again, in the same rounds, so both sides of the ratio see the
            # same load.
            _stridescan(tools, large, "stridescan --jobs 1", ".", "-f", "json", *jobs1_args),
            Command(
                "parse floor x10",
                (str(tools.python), str(BENCH / "parse_floor.py"), "."),
                cwd=scaling.root,
                ok_codes=(0,),
            ),
            _stridescan(tools, scaling, "stridescan --jobs 1 x10", ".", "-f", "json", *jobs1_args),
        ],
        runs,
    )
    _report(series)
    big = series["stridescan --jobs 1 x10"]
    size_ratio = scaling.bytes / large.bytes
    time_ratio = big.wall / series["stridescan --jobs 1"].wall
    bound = 1.1 * size_ratio
    print(
        f"  size ratio {size_ratio:.2f}x, time ratio {time_ratio:.2f}x; x10 scan / x10 parse "
        f"floor {big.wall / series['parse floor x10'].wall:.2f}x"
    )
    rss_bound = 150 + 3 * scaling.largest / 2**20
    verdicts.add(
        "4 scaling",
        [
            (
                f"x{size_ratio:.2f} corpus costs {time_ratio:.2f}x the time (<= {bound:.1f}x)",
                time_ratio <= bound,
            ),
            (
                f"peak RSS {big.rss_mb:.0f} MB on the x10 corpus (< {rss_bound:.0f} MB = 150 MB"
                " + 3 x largest file)",
                big.rss_mb < rss_bound,
            ),
        ],
    )


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


if __name__ == "__main__":
    sys.exit(main())
