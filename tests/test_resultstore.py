"""A scan with many findings packs them (stridescan.resultstore) and filters them one file at
a time (stridescan.filefilter); what it reports must be what the unpacked scan reports.

`scanner.COMPACT_AFTER` is set to 0 here, so that small trees take the packed path: the
suppressions, annotations, baseline, severity overrides and per-path ignores of the `--jobs`
corpus all go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, CliRun
from stridescan import scanner
from stridescan.engine import Result
from stridescan.filestage import Finding
from stridescan.model import Location
from stridescan.reporters._paths import relative_to_repository
from stridescan.resultstore import FindingStore, PackedResults
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanReport, ScanRequest, scan
from test_jobs import write_corpus

Run = Callable[..., CliRun]
FORMATS = ("text", "json", "sarif", "github", "markdown")

CONFIG = """\
severity:
  no-memory-limit: critical
per-path-ignores:
  "app1/**": [privileged-container]
"""


def fields(result: Result) -> tuple[object, ...]:
    """Everything a reporter reads of a result (its line hash makes it read the file)."""
    return (
        result.rule.code,
        result.location,
        result.message,
        result.severity,
        result.source_line,
        result.occurrence,
        result.suppression,
        result.fingerprint,
        result.line_hash,
    )


def scan_of(root: Path, *, compact_after: int | None = None, jobs: int = 1) -> ScanReport:
    rules = tuple(all_rules())
    request = ScanRequest(
        paths=(str(root),), root=root, rules=rules, jobs=jobs, compact_after=compact_after
    )
    return scan(request)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = write_corpus(tmp_path / "corpus", apps=12)
    (root / "app3" / "Dockerfile").write_text(
        "# stridescan: ignore[nothing-by-this-name]\nFROM alpine:latest\n", encoding="utf-8"
    )
    return root


def test_a_packed_scan_reports_the_results_of_an_unpacked_one(corpus: Path) -> None:
    plain = scan_of(corpus)
    packed = scan_of(corpus, compact_after=0)
    assert isinstance(plain.results, tuple)
    assert isinstance(packed.results, PackedResults)
    assert list(map(fields, packed.results)) == list(map(fields, plain.results))
    assert list(map(fields, packed.suppressed)) == list(map(fields, plain.suppressed))
    assert plain.suppressed, "the corpus has suppressions"
    assert packed.notices == plain.notices
    assert plain.notices, "the corpus has a comment naming no rule"
    assert packed.problems == plain.problems


def test_a_scan_packs_only_past_its_bound(corpus: Path) -> None:
    report = scan_of(corpus)
    found = len(report.results) + len(report.suppressed)
    assert isinstance(scan_of(corpus, compact_after=found).results, tuple)
    assert isinstance(scan_of(corpus, compact_after=found - 1).results, PackedResults)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_format_prints_the_same_bytes_when_findings_are_packed(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, corpus: Path, jobs: str
) -> None:
    monkeypatch.chdir(corpus)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (corpus / ".stridescan.yaml").write_text(CONFIG, encoding="utf-8")
    (corpus / "app7" / "Dockerfile").unlink()
    assert run_cli("baseline", "create", "-o", "baseline.json", ".").code == 0
    (corpus / "app7" / "Dockerfile").write_text("FROM alpine:latest\n", encoding="utf-8")
    options = ("--baseline", "baseline.json", "--report-unused-suppressions")
    options += ("--require-suppression-reason", "--jobs", jobs)

    def runs() -> list[CliRun]:
        return [run_cli("scan", "-f", form, *options, ".") for form in FORMATS]

    plain = runs()
    monkeypatch.setattr(scanner, "COMPACT_AFTER", 0)
    packed = runs()
    assert packed == plain
    assert "app7/Dockerfile" in plain[2].stdout  # a finding past the baseline, in SARIF
    assert '"kind": "external"' in plain[2].stdout  # and one the baseline silenced


def test_the_fixtures_print_the_same_bytes_when_findings_are_packed(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    def runs() -> list[CliRun]:
        return [run_cli("scan", "--jobs", "1", "-f", form, "fixtures") for form in FORMATS]

    plain = runs()
    monkeypatch.setattr(scanner, "COMPACT_AFTER", 0)
    assert runs() == plain


def test_packed_results_are_a_read_only_sequence_read_any_number_of_times(
    corpus: Path,
) -> None:
    plain = scan_of(corpus).results
    packed = scan_of(corpus, compact_after=0).results
    assert len(packed) == len(plain) > 2
    assert bool(packed)
    assert list(map(fields, packed)) == list(map(fields, packed))
    assert [fields(packed[i]) for i in (0, 1, -1, -len(plain))] == [
        fields(plain[i]) for i in (0, 1, -1, -len(plain))
    ]
    assert list(map(fields, packed[1:5])) == list(map(fields, plain[1:5]))
    assert list(map(fields, packed[::-3])) == list(map(fields, plain[::-3]))
    assert packed[5:2] == ()
    assert list(map(fields, reversed(packed))) == list(map(fields, reversed(plain)))
    with pytest.raises(IndexError):
        packed[len(plain)]
    with pytest.raises(TypeError):
        packed[0] = packed[1]  # type: ignore[index]


def test_a_packed_scan_with_no_findings_has_empty_sequences(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing to scan\n", encoding="utf-8")
    report = scan_of(tmp_path, compact_after=-1)
    assert isinstance(report.results, PackedResults)
    assert len(report.results) == len(report.suppressed) == 0
    assert not report.results
    assert list(report.results) == []


def finding(path: str, line: int, message: str) -> Finding:
    return ("E001", Location(path=path, line=line), message, None, f"line {line}")


def test_the_store_reads_parts_back_in_their_order_whatever_order_they_came_in() -> None:
    rules = {rule.code: rule for rule in all_rules()}
    store = FindingStore(rules, lambda location: "", compact_after=2)
    store.add(2, [finding("b.yaml", 1, "third"), finding("a.yaml", 9, "second")])
    assert not store.packed
    store.add(1, [finding("a.yaml", 5, "first"), finding("b.yaml", 2, "fourth")])
    assert store.packed
    store.add(3, [finding("a.yaml", 1, "last")])
    files = [(path, [row[5] for row in rows]) for path, rows in store.files()]
    assert files == [("a.yaml", ["first", "second", "last"]), ("b.yaml", ["fourth", "third"])]
    assert list(store.files()) == []


def test_an_unpacked_store_gives_its_results_in_the_order_of_their_parts() -> None:
    rules = {rule.code: rule for rule in all_rules()}
    store = FindingStore(rules, lambda location: f"read {location.line}", compact_after=9)
    store.add(2, [finding("a.yaml", 1, "second")])
    store.add(1, [("E001", Location(path="b.yaml", line=3), "first", None, None)])
    results = store.results()
    assert [(r.message, r.source_line) for r in results] == [
        ("first", "read 3"),
        ("second", "line 1"),
    ]


def test_reports_below_a_repository_root_stay_packed_and_print_the_same_bytes(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    root = write_corpus(tmp_path / "services" / "corpus", apps=4)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    def runs() -> list[CliRun]:
        return [run_cli("scan", "--jobs", "1", "-f", form, ".") for form in ("sarif", "github")]

    plain = runs()
    monkeypatch.setattr(scanner, "COMPACT_AFTER", 0)
    assert runs() == plain
    assert "services/corpus/k8s/app1.yaml" in plain[0].stdout
    report = scan_of(root, compact_after=0)
    assert isinstance(relative_to_repository(report).results, PackedResults)
