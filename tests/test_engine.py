"""The engine over model objects, and the per-file rule run built on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from stridescan.engine import find, model_objects, run_rules
from stridescan.filtering import run_file_rules, run_workload_rules
from stridescan.model import ModelObject, SourceKind
from stridescan.parsing import ParsedFile, parse_source
from stridescan.rules._registry import Finding, all_rules, find_rule

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  volumes:
    - name: root
      hostPath: {path: /}
  containers:
    - name: a
      image: registry.example.com/agent:1.0
      securityContext: {privileged: true}
      volumeMounts: [{name: root, mountPath: /host}]
    - name: b
      image: registry.example.com/agent:latest
      volumeMounts: [{name: root, mountPath: /host}]
---
apiVersion: v1
kind: Pod
metadata:
  name: quiet
  annotations:
    stridescan.dev/ignore: "E001"
spec:
  containers:
    - name: c
      image: registry.example.com/quiet:1.0
      securityContext: {privileged: true}
"""


def _parsed() -> ParsedFile:
    return parse_source(PODS, "pods.yaml", SourceKind.KUBERNETES)


def _objects(file: ParsedFile) -> list[ModelObject]:
    return list(model_objects(file.images, file.workloads))


def test_find_gives_one_finding_per_rule_and_place_in_report_order() -> None:
    found, problems = find(_objects(_parsed()), all_rules())
    assert not problems
    places = [(rule.code, f.at.path, f.at.line, f.at.column) for rule, f in found]
    assert len(places) == len(set(places))
    order = [(f.at.path, f.at.line, f.at.column, rule.code, f.message) for rule, f in found]
    assert order == sorted(order)
    # Both containers mount the one hostPath volume: it is reported once, as the first's.
    mounted = [f for rule, f in found if rule.code == "E104"]
    assert [(f.at.line, f.message) for f in mounted] == [
        (7, "container 'a' of 'agent' mounts host path '/' (writable)")
    ]


def test_run_rules_gives_a_result_for_each_finding_of_find() -> None:
    objects = _objects(_parsed())
    found, _ = find(objects, all_rules())
    results, problems = run_rules(objects, all_rules())
    assert not problems
    assert [(r.rule, r.location, r.message, r.severity) for r in results] == [
        (rule, f.at, f.message, rule.severity) for rule, f in found
    ]
    assert [r.sort_key for r in results] == sorted(r.sort_key for r in results)


def test_a_rule_that_raises_becomes_a_problem_and_the_others_still_run() -> None:
    def broken(container: object) -> Iterator[Finding]:
        raise ValueError("boom")
        yield  # a generator, as checks are

    privileged = find_rule("E001")
    assert privileged is not None
    rules = (replace(privileged, check=broken), *(r for r in all_rules() if r.code != "E001"))
    found, problems = find(_objects(_parsed()), rules)
    assert found and all(rule.code != "E001" for rule, _ in found)
    assert {p.message for p in problems} == {
        "internal error in rule E001 (ValueError: boom)",
    }
    assert sorted(p.line or 0 for p in problems) == [9, 13, 25]  # each container's own line


def test_file_rules_come_back_compact_with_an_annotated_workloads_results_silenced() -> None:
    file = _parsed()
    results, problems, annotations = run_file_rules(file, all_rules())
    assert not problems
    assert [a.codes for a in annotations] == [frozenset({"E001"})]
    silenced = [(code, loc.line) for code, loc, _, suppression in results if suppression]
    assert silenced == [("E001", 27)]
    plain = [found for found in results if found[1].line < 17]
    expected, _ = find(model_objects((), file.workloads[:1]), all_rules())
    assert plain == [(rule.code, f.at, f.message, None) for rule, f in expected]


def test_workload_rules_are_the_file_rules_of_a_file_holding_only_that_workload() -> None:
    file = _parsed()
    for workload in file.workloads:  # the first plain, the second annotated
        alone = ParsedFile(path=file.path, kind=file.kind, workloads=(workload,))
        results, problems, _ = run_file_rules(alone, all_rules())
        assert run_workload_rules(workload, all_rules()) == (results, problems)
    annotated, _ = run_workload_rules(file.workloads[1], all_rules())
    assert [(code, loc.line) for code, loc, _, silenced in annotated if silenced] == [("E001", 27)]
