"""Broken, mistyped, unsafe and duplicate-key YAML: a precise problem per file, the rest
scanned, nothing constructed or run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))


import hostile_cases as cases
import hostile_oracle
from hostile_oracle import codes_at, scan_tree

from stridescan.model import SourceKind
from stridescan.parsing import parse_source

tree = hostile_oracle.tree  # the fixture, shared without a conftest.py


def _problems(report: object) -> list[tuple[str, int | None, int | None]]:
    return [(p.path, p.line, p.column) for p in report.problems]  # type: ignore[attr-defined]


def test_a_yaml_syntax_error_names_file_line_and_column(tree) -> None:
    root = tree({"compose.yaml": "services:\n  web:\n    image: nginx:1.25\n    ports: [80\n"})
    report = scan_tree(root)
    # libyaml reports the unclosed flow sequence at the end of input: the end of line 4.
    assert _problems(report) == [("compose.yaml", 4, 15)]
    assert report.problems[0].message.startswith("invalid YAML:")
    assert report.problems[0].hint == "fix the YAML syntax"


def test_an_unrendered_helm_template_is_reported_with_helm_advice(tree) -> None:
    root = tree(cases.cases()["helm-template"])
    report = scan_tree(root)
    (problem,) = report.problems
    assert (problem.path, problem.line) == ("deploy.yaml", 4)
    assert "helm template" in problem.hint
    assert (10, "E001") in codes_at(report, "ok.yaml")


def test_wrong_types_are_problems_at_the_offending_value(tree) -> None:
    root = tree(
        {
            "a/compose.yaml": "services:\n  - web\n",
            "b/compose.yaml": "services:\n  web:\n    image: x:1\n    ports: {http: 80}\n",
            "c/pod.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers: hello\n",
            "d/compose.yaml": "services:\n  web:\n    image: x:1\n    cap_drop: ALL\n",
        }
    )
    report = scan_tree(root)
    found = {(p.path, p.line, p.column): p.message for p in report.problems}
    assert found == {
        ("a/compose.yaml", 2, 3): "services must be a mapping, not a list",
        ("b/compose.yaml", 4, 12): "services.web.ports must be a list, not a mapping",
        ("c/pod.yaml", 4, 15): "spec.containers must be a list, not the string 'hello'",
        ("d/compose.yaml", 4, 15): "services.web.cap_drop must be a list, not the string 'ALL'",
    }


def test_a_null_spec_is_scanned_as_a_pod_without_containers(tree) -> None:
    report = scan_tree(tree({"pod.yaml": "apiVersion: v1\nkind: Pod\nspec:\n"}))
    assert report.problems == ()
    assert report.files_scanned == 1


def test_one_broken_document_leaves_the_others_of_the_stream_scanned(tree) -> None:
    root = tree(cases.cases()["bad-document-among-good"])
    report = scan_tree(root)
    assert _problems(report) == [("pods.yaml", 12, 8)]
    privileged = {line for line, code in codes_at(report, "pods.yaml") if code == "E001"}
    assert privileged == {10, 23}


def test_a_mistyped_document_leaves_the_others_of_the_stream_scanned(tree) -> None:
    bad = "apiVersion: v1\nkind: Pod\nspec:\n  containers: {a: 1}\n"
    root = tree({"pods.yaml": bad + "---\n" + cases.POD.format(name="b")})
    report = scan_tree(root)
    assert _problems(report) == [("pods.yaml", 4, 15)]
    assert (15, "E001") in codes_at(report, "pods.yaml")


def test_python_tags_are_never_constructed(tree) -> None:
    marker = "pwned-marker"
    payloads = [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
        f"!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
        f'!!python/object/apply:builtins.exec ["open(\\"{marker}\\", \\"w\\")"]',
    ]
    files = {
        f"{index}/compose.yaml": f"services:\n  web:\n    image: {payload}\n    privileged: true\n"
        for index, payload in enumerate(payloads)
    }
    files.update(
        {f"{index}/pod.yaml": f"{payload}\n" for index, payload in enumerate(payloads)},
    )
    root = tree(files)
    report = scan_tree(root)
    assert not list(root.rglob(marker)), "a YAML tag ran code"
    assert not (Path.cwd() / marker).exists()
    assert report.files_scanned >= len(payloads)


def test_a_custom_tag_on_a_scalar_keeps_the_value_as_text() -> None:
    text = "services:\n  web:\n    image: !custom nginx:1.25\n    privileged: !!bool true\n"
    parsed = parse_source(text, "compose.yaml", SourceKind.COMPOSE)
    assert parsed.problems == ()
    (container,) = parsed.workloads[0].containers
    assert container.privileged.value is True


def test_a_duplicate_key_is_a_problem_and_the_last_value_counts(tree) -> None:
    root = tree(
        {
            "last-true/compose.yaml": "services:\n  web:\n    image: x:1\n"
            "    privileged: false\n    privileged: true\n",
            "last-false/compose.yaml": "services:\n  web:\n    image: x:1\n"
            "    privileged: true\n    privileged: false\n",
        }
    )
    report = scan_tree(root)
    assert _problems(report) == [
        ("last-false/compose.yaml", 5, 5),
        ("last-true/compose.yaml", 5, 5),
    ]
    assert "duplicate key 'privileged' (first at line 4)" in report.problems[0].message
    assert (5, "E001") in codes_at(report, "last-true/compose.yaml")
    assert not any(code == "E001" for _, code in codes_at(report, "last-false/compose.yaml"))


def test_duplicate_keys_in_a_kubernetes_manifest_are_reported_too(tree) -> None:
    pod = cases.POD.format(name="a").replace("  name: a\n", "  name: a\n  name: b\n")
    report = scan_tree(tree({"pod.yaml": pod}))
    assert _problems(report) == [("pod.yaml", 5, 3)]


def test_duplicate_keys_in_unrelated_yaml_stay_silent(tree) -> None:
    report = scan_tree(tree({"values.yaml": "replicas: 1\nreplicas: 2\n"}))
    assert report.problems == ()


def test_merge_keys_are_not_duplicates(tree) -> None:
    text = (
        "x-base: &base\n  image: x:1\n  privileged: true\n"
        "services:\n  web:\n    <<: *base\n    privileged: false\n"
    )
    report = scan_tree(tree({"compose.yaml": text}))
    assert report.problems == ()
    assert not any(code == "E001" for _, code in codes_at(report, "compose.yaml"))


def test_yaml_directives_belong_to_the_document_after_them(tree) -> None:
    pod = cases.POD.format(name="a")
    stream = f"%YAML 1.2\n---\n{pod}...\n%YAML 1.1\n# next\n---\n{pod}"
    report = scan_tree(tree({"pods.yaml": stream}))
    assert report.problems == ()
    privileged = {line for line, code in codes_at(report, "pods.yaml") if code == "E001"}
    assert privileged == {12, 26}
