"""Files per second for a whole `stridescan scan` of a generated corpus.

Runs the installed `stridescan` as a separate process (start-up included, as users pay it)
several times over the same corpus and prints the median. Never part of the test suite.

    python bench/throughput.py --files-per-format 300 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus


def time_scan(corpus: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "stridescan", "scan", str(corpus), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"stridescan failed: {completed.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files-per-format", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        files = write_corpus(corpus, args.files_per_format)
        size = sum(path.stat().st_size for path in files)
        one_file = files[1]
        walls = [time_scan(corpus) for _ in range(args.runs)]
        single = [time_scan(one_file) for _ in range(args.runs)]
    median = statistics.median(walls)
    print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB ({args.files_per_format} per format)")
    rate = len(files) / median
    print(f"whole scan: median {median:.2f} s over {args.runs} runs -> {rate:.0f} files/s")
    print(f"one compose file: median {statistics.median(single) * 1000:.0f} ms (start-up included)")


if __name__ == "__main__":
    main()
