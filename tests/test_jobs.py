"""`--jobs`: the per-file stage in worker processes gives the same bytes as in-process.

The generated corpus holds every kind of cross-file context the merge must get right:
compose override files, `extends` into another directory, `build:` Dockerfiles, RoleBindings
in other files than the workloads they grant a role to, a NetworkPolicy for some namespaces,
annotations and comment suppressions.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO, CliRun
from stridescan import filestage, parallel
from stridescan.diagnostics import UsageError
from stridescan.discovery import discover
from stridescan.filestage import API_ACCESS_RULES, Unit, plan_units
from stridescan.model import Image, SourceKind
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanRequest, scan

Run = Callable[..., CliRun]
FORMATS = ("text", "json", "sarif", "github", "markdown")
JOBS = ("1", "2", "3", "auto")

needs_fork = pytest.mark.skipif(
    sys.platform != "linux", reason="replacing the worker function needs the fork context"
)

COMMON = """\
services:
  base:
    image: registry.example.com/base:1.0.{i}
    privileged: true
    read_only: true
"""

COMPOSE = """\
services:
  web:
    build: .
    ports:
      - "80{i:02d}:8080"
  api:
    extends:
      file: ../common/compose.yaml
      service: base
    environment:
      API_TOKEN: "s3cr3t-{i}"  # stridescan: ignore[I001] rotated weekly
  cache:
    image: redis:latest
"""

OVERRIDE = """\
services:
  web:
    cap_drop: [ALL]
    security_opt:
      - no-new-privileges:true
  debug:
    image: busybox:1.36
    network_mode: host
"""

DOCKERFILE = """\
FROM python:3.12.{i}-slim
RUN pip install --no-cache-dir app=={i}.0
{user}CMD ["app"]
"""

# Manifests in real repositories carry headers; these make the corpus big enough for `auto`.
HEADER = "".join(
    f"# {'Licensed under the Apache License, Version 2.0.':<70} {n:>3}\n" for n in range(12)
)

DEPLOYMENT = (
    HEADER
    + """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app{i}
  namespace: team{team}
{annotations}spec:
  selector:
    matchLabels: {{app: app{i}}}
  template:
    metadata:
      labels: {{app: app{i}}}
    spec:
      serviceAccountName: app{i}
      containers:
        - name: app
          image: registry.example.com/app{i}:1.{i}.0
          securityContext:
            privileged: {privileged}
"""
)

BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app{i}
  namespace: team{team}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
  - kind: ServiceAccount
    name: app{i}
"""

POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: team0
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""


def write_corpus(root: Path, apps: int = 30) -> Path:
    """A tree with enough files for `auto` to use workers on a machine with several CPUs."""

    def write(relative: str, text: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("common/compose.yaml", COMMON.format(i=0))
    write("k8s/policy.yaml", POLICY)
    for i in range(apps):
        team = i % 3
        write(f"app{i}/compose.yaml", COMPOSE.format(i=i))
        if i % 2 == 0:
            write(f"app{i}/compose.override.yaml", OVERRIDE)
        write(f"app{i}/Dockerfile", DOCKERFILE.format(i=i, user="USER app\n" if i % 3 else ""))
        annotations = '  annotations:\n    stridescan.dev/ignore: "E001"\n' if i % 5 == 0 else ""
        write(
            f"k8s/app{i}.yaml",
            DEPLOYMENT.format(
                i=i, team=team, annotations=annotations, privileged=str(i % 4 == 0).lower()
            ),
        )
        if i % 2 == 0:
            write(f"rbac/binding{i}.yaml", BINDING.format(i=i, team=team))
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


def scan_with(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, root: Path, *args: str
) -> dict[str, CliRun]:
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return {jobs: run_cli("scan", "--no-config", "--jobs", jobs, *args, ".") for jobs in JOBS}


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("target", ["fixtures/demo", "fixtures/realistic", "corpus"])
def test_every_job_count_prints_the_same_bytes(
    run_cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    corpus: Path,
    target: str,
    output_format: str,
) -> None:
    root = corpus if target == "corpus" else REPO / target
    runs = scan_with(run_cli, monkeypatch, root, "--format", output_format)
    reference = runs["1"]
    assert reference.stdout
    for jobs, run in runs.items():
        assert (run.code, run.stdout, run.stderr) == (
            reference.code,
            reference.stdout,
            reference.stderr,
        ), f"--jobs {jobs} differs from --jobs 1"


def test_the_corpus_exercises_the_cross_file_context(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    monkeypatch.chdir(corpus)
    run = run_cli("scan", "--no-config", "--jobs", "2", "--format", "json", ".")
    findings = {
        (f["location"]["path"], f["location"]["line"], f["rule"])
        for f in json.loads(run.stdout)["findings"]
    }
    # `extends` from another directory: the extended service's privileged flag counts.
    assert ("common/compose.yaml", 4, "E001") in findings
    # The override's cap_drop and no-new-privileges reach the base file's service.
    assert ("app0/compose.yaml", 2, "E004") not in findings
    assert ("app1/compose.yaml", 2, "E004") in findings
    # Bound in rbac/binding0.yaml, another unit: app0 needs its token; app1 is not bound.
    assert not any(path == "k8s/app0.yaml" and code == "I202" for path, _, code in findings)
    assert ("k8s/app1.yaml", 25, "I202") in findings


def test_suppressions_and_baseline_are_the_same_with_workers(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    monkeypatch.chdir(corpus)
    (corpus / "app7" / "Dockerfile").unlink()
    created = run_cli("baseline", "create", "--no-config", "-o", "baseline.json", ".")
    assert created.code == 0, created.stderr
    (corpus / "app7" / "Dockerfile").write_text("FROM alpine:latest\n", encoding="utf-8")
    runs = scan_with(
        run_cli,
        monkeypatch,
        corpus,
        "--format",
        "sarif",
        "--baseline",
        "baseline.json",
        "--report-unused-suppressions",
    )
    assert "app7/Dockerfile" in runs["1"].stdout
    assert {run.stdout for run in runs.values()} == {runs["1"].stdout}


def test_compose_files_of_one_directory_are_one_unit(corpus: Path) -> None:
    found = discover([str(corpus)], root=corpus).files
    units = plan_units(found)
    grouped = [
        [source.display for source in unit.sources]
        for unit in units
        if any(source.kind is SourceKind.COMPOSE for source in unit.sources)
    ]
    assert ["app0/compose.override.yaml", "app0/compose.yaml"] in grouped
    assert ["app1/compose.yaml"] in grouped
    assert sorted(d for unit in units for d in (s.display for s in unit.sources)) == sorted(
        source.display for source in found
    )


def test_chunks_cover_every_unit_once_largest_first(corpus: Path) -> None:
    units = plan_units(discover([str(corpus)], root=corpus).files)
    chunks = parallel._chunks(units, 2)
    flat = [index for chunk in chunks for index in chunk]
    assert sorted(flat) == list(range(len(units)))
    sizes = [units[index].size for index in flat]
    assert sizes == sorted(sizes, reverse=True)
    assert parallel._chunks(units, 2) == chunks
    assert 1 < len(chunks) <= len(units)


def test_chunks_shrink_so_the_last_ones_are_small() -> None:
    units = [Unit(sources=(), size=size) for size in [900, 800, 700] + [100] * 40 + [10] * 200]
    chunks = parallel._chunks(units, 2)
    weights = [sum(units[index].size for index in chunk) for chunk in chunks]
    total = sum(weights)
    assert weights[0] >= total // 8
    assert weights[-2] <= total // 32


def test_jobs_must_be_a_positive_number_or_auto(run_cli: Run) -> None:
    for given in ("0", "x", "-1", "1.5", ""):
        run = run_cli("scan", "--jobs", given, "fixtures/demo")
        assert run.code == 2, given
        assert "--jobs" in run.stderr and "auto" in run.stderr


def test_parse_jobs_reads_numbers_and_auto() -> None:
    assert parallel.parse_jobs("3") == 3
    assert parallel.parse_jobs(" AUTO ") == "auto"
    with pytest.raises(UsageError):
        parallel.parse_jobs("0")


def test_auto_stays_in_process_for_a_few_files(corpus: Path) -> None:
    few = plan_units(
        discover([str(corpus / "app1"), str(corpus / "k8s/app1.yaml")], root=corpus).files
    )
    assert parallel.workers_for("auto", few) == 1
    assert len(few) == 3 and parallel.workers_for(4, few) == 3  # no more than units
    many = plan_units(discover([str(corpus)], root=corpus).files)
    assert len(many) >= parallel.AUTO_MIN_UNITS
    assert sum(unit.size for unit in many) >= parallel.AUTO_MIN_BYTES
    assert parallel.workers_for("auto", many) == parallel.usable_cpus()
    assert parallel.workers_for(3, many) == 3


def test_no_pool_starts_for_jobs_1_or_a_single_file_with_auto(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(parallel, "_run_pool", no_pool)
    rules = all_rules()
    whole = scan(ScanRequest(paths=(str(corpus),), root=corpus, rules=rules, jobs=1))
    one = scan(
        ScanRequest(paths=(str(corpus / "k8s/app1.yaml"),), root=corpus, rules=rules, jobs="auto")
    )
    assert whole.files_scanned > parallel.AUTO_MIN_UNITS and one.files_scanned == 1


def test_keeping_the_model_scans_in_process_with_api_access_marked(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "_run_pool", None)
    report = scan(
        ScanRequest(paths=(str(corpus),), root=corpus, rules=all_rules(), jobs=2, keep_model=True)
    )
    access = {
        workload.name: workload.api_access
        for file in report.files
        if file.path.startswith("k8s/")
        for workload in file.workloads
    }
    assert access["app0"] is True and access["app1"] is False


@needs_fork
def test_a_worker_that_dies_is_reported_on_its_file_and_the_rest_is_scanned(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = parallel.run_unit

    def dies_on_app3(unit: filestage.Unit, *args: object) -> list[filestage.FileOutcome]:
        if any(source.display == "k8s/app3.yaml" for source in unit.sources):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(unit, *args)  # type: ignore[arg-type]

    rules = all_rules()
    reference = scan(ScanRequest(paths=(str(corpus),), root=corpus, rules=rules, jobs=1))
    monkeypatch.setattr(parallel, "run_unit", dies_on_app3)
    report = scan(ScanRequest(paths=(str(corpus),), root=corpus, rules=rules, jobs=2))
    assert [(p.path, p.message) for p in report.problems] == [
        (
            "k8s/app3.yaml",
            "the worker process scanning this file ended unexpectedly (killed, or out of memory)",
        )
    ]
    expected = [r for r in reference.results if r.location.path != "k8s/app3.yaml"]
    assert [r.sort_key for r in report.results] == [r.sort_key for r in expected]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_the_per_file_stage_becomes_a_problem_on_that_file(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    real = filestage.parse_file

    def out_of_memory(
        source: filestage.SourceFile, loaded: Mapping[str, Image | None] | None = None
    ) -> tuple[filestage.ParsedFile, str | None]:
        if source.display == "app4/Dockerfile":
            raise MemoryError("simulated")
        return real(source, loaded)

    monkeypatch.setattr(filestage, "parse_file", out_of_memory)
    report = scan(ScanRequest(paths=(str(corpus),), root=corpus, rules=all_rules(), jobs=jobs))
    assert [(p.path, p.message) for p in report.problems] == [
        ("app4/Dockerfile", "internal error while scanning (MemoryError: simulated)")
    ]
    assert report.files_scanned == len(discover([str(corpus)], root=corpus).files)


def test_limits_apply_in_the_workers(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, corpus: Path
) -> None:
    runs = scan_with(run_cli, monkeypatch, corpus, "--format", "json", "--max-file-size", "250")
    errors = json.loads(runs["2"].stdout)["errors"]
    assert any(e["path"] == "app1/compose.yaml" and "250" in e["message"] for e in errors)
    assert {run.stdout for run in runs.values()} == {runs["1"].stdout}


def test_every_rule_that_reads_api_access_is_listed() -> None:
    import inspect

    reading = {
        rule.code
        for rule in all_rules()
        if "api_access" in inspect.getsource(sys.modules[rule.check.__module__])
    }
    assert reading == API_ACCESS_RULES


def test_rules_reach_the_workers_as_codes_with_their_options() -> None:
    rules = all_rules()
    configurable = next(rule for rule in rules if rule.options_type is not None)
    custom = replace(configurable, code="E999", slug="custom-check")
    chosen = (configurable, custom, rules[0])
    references = parallel._references(chosen)
    assert references[0] == (configurable.code, configurable.options)
    assert references[1] is custom
    rebuilt = parallel._rules_from(references)
    assert rebuilt == chosen
    assert [rule.options for rule in rebuilt] == [rule.options for rule in chosen]
