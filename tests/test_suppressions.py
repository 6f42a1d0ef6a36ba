from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliRun
from stridescan.engine import Suppression
from stridescan.filtering import FilterOptions
from stridescan.model import Location
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanReport, ScanRequest, scan

Run = Callable[..., CliRun]
# The rules the expectations below are written for; later rules must not change them.
CORE_RULES = tuple(
    r for r in all_rules() if r.code in {"S001", "T001", "D001", "D002", "E001", "E003", "E004"}
)

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
          securityContext:
            privileged: true
"""
COMPOSE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
"""


def run_scan(root: Path, files: dict[str, str], **options: bool) -> ScanReport:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    request = ScanRequest(
        paths=tuple(files), root=root, rules=CORE_RULES, filters=FilterOptions(**options)
    )
    return scan(request)


def found(report: ScanReport) -> set[tuple[str, int, str]]:
    return {(r.location.path, r.location.line, r.rule.code) for r in report.results}


def silenced(report: ScanReport) -> set[tuple[str, int, str]]:
    return {(r.location.path, r.location.line, r.rule.code) for r in report.suppressed}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- compose ------------------------------------------------------------------------------


def test_compose_comment_at_the_end_of_the_line_silences_that_line(root: Path) -> None:
    text = COMPOSE.replace(
        "privileged: true", "privileged: true  # stridescan: ignore[E001] build agent"
    )
    report = run_scan(root, {"compose.yaml": text})
    assert ("compose.yaml", 4, "E001") not in found(report)
    assert silenced(report) == {("compose.yaml", 4, "E001")}
    assert report.suppressed[0].suppression == Suppression(
        kind="inSource",
        justification="build agent",
        location=Location(path="compose.yaml", line=4, column=23),
    )


def test_compose_comment_on_its_own_line_silences_the_next_line(root: Path) -> None:
    text = COMPOSE.replace(
        "    privileged: true",
        "    # stridescan: ignore[privileged-container] needs /dev/kvm\n"
        "    # another comment\n"
        "    privileged: true",
    )
    report = run_scan(root, {"compose.yaml": text})
    assert silenced(report) == {("compose.yaml", 6, "E001")}
    assert report.suppressed[0].suppression is not None
    assert report.suppressed[0].suppression.justification == "needs /dev/kvm"


def test_compose_comment_above_a_service_silences_its_missing_settings(root: Path) -> None:
    text = COMPOSE.replace("  api:", "  # stridescan: ignore[D001,D002] sized by the host\n  api:")
    report = run_scan(root, {"compose.yaml": text})
    assert silenced(report) == {("compose.yaml", 3, "D001"), ("compose.yaml", 3, "D002")}
    assert ("compose.yaml", 3, "T001") in found(report)


def test_compose_ignore_file_silences_the_rules_everywhere_in_the_file(root: Path) -> None:
    text = COMPOSE + "  worker:\n    image: a:1\n    privileged: true\n"
    text += "# stridescan: ignore-file[E001, no-memory-limit] lab machine\n"
    report = run_scan(root, {"compose.yaml": text})
    assert {code for _, _, code in silenced(report)} == {"E001", "D001"}
    assert {line for _, line, code in silenced(report) if code == "E001"} == {4, 7}
    assert not {code for _, _, code in found(report)} & {"E001", "D001"}


def test_suppression_for_another_rule_silences_nothing(root: Path) -> None:
    text = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E002]")
    report = run_scan(root, {"compose.yaml": text})
    assert ("compose.yaml", 4, "E001") in found(report)
    assert not report.suppressed


# --- Kubernetes ---------------------------------------------------------------------------


def test_kubernetes_comment_at_the_end_of_the_line(root: Path) -> None:
    text = DEPLOYMENT.replace("privileged: true", "privileged: true # stridescan: ignore[E001] ok")
    report = run_scan(root, {"deploy.yaml": text})
    assert silenced(report) == {("deploy.yaml", 12, "E001")}


def test_kubernetes_comment_above_a_container_silences_its_missing_settings(root: Path) -> None:
    text = DEPLOYMENT.replace(
        "        - name: app",
        "        # stridescan: ignore[runs-as-root] the image needs root\n        - name: app",
    )
    report = run_scan(root, {"deploy.yaml": text})
    assert silenced(report) == {("deploy.yaml", 10, "E003")}


def test_kubernetes_ignore_file(root: Path) -> None:
    text = "# stridescan: ignore-file[D] batch cluster\n" + DEPLOYMENT
    report = run_scan(root, {"deploy.yaml": text})
    assert silenced(report) == {("deploy.yaml", 10, "D001")}


def test_kubernetes_annotation_silences_the_object_and_its_containers(root: Path) -> None:
    annotated = DEPLOYMENT.replace(
        "  name: web\n",
        '  name: web\n  annotations:\n    stridescan.dev/ignore: "E001,E003"\n'
        "    stridescan.dev/ignore-reason: node agent\n",
    )
    other = DEPLOYMENT.replace("name: web", "name: api")
    report = run_scan(root, {"deploy.yaml": annotated + "---\n" + other})
    assert silenced(report) == {("deploy.yaml", 12, "E003"), ("deploy.yaml", 15, "E001")}
    assert ("deploy.yaml", 28, "E001") in found(report)  # the other object keeps its findings
    justifications = {r.suppression.justification for r in report.suppressed if r.suppression}
    assert justifications == {"node agent"}


def test_kubernetes_annotation_on_the_pod_template_counts(root: Path) -> None:
    text = DEPLOYMENT.replace(
        "  template:\n",
        "  template:\n    metadata:\n      annotations:\n"
        "        stridescan.dev/ignore: privileged-container\n",
    )
    report = run_scan(root, {"deploy.yaml": text})
    assert {code for _, _, code in silenced(report)} == {"E001"}


# --- Dockerfile ---------------------------------------------------------------------------


def test_dockerfile_comment_above_the_instruction(root: Path) -> None:
    text = (
        "FROM alpine:3.19\n# stridescan: ignore[E003] drops privileges in the entrypoint\n"
        "USER root\n"
    )
    report = run_scan(root, {"Dockerfile": text})
    assert silenced(report) == {("Dockerfile", 3, "E003")}
    assert not report.results


def test_dockerfile_ignore_file(root: Path) -> None:
    text = "# stridescan: ignore-file[runs-as-root] build image only\nFROM alpine:3.19\nUSER root\n"
    report = run_scan(root, {"Dockerfile": text})
    assert silenced(report) == {("Dockerfile", 3, "E003")}


def test_dockerfile_comment_separated_by_an_instruction_does_not_apply(root: Path) -> None:
    text = "FROM alpine:3.19\n# stridescan: ignore[E003] why\nRUN true\nUSER root\n"
    report = run_scan(root, {"Dockerfile": text})
    assert found(report) == {("Dockerfile", 4, "E003")}


def test_comment_on_the_last_line_silences_nothing(root: Path) -> None:
    text = COMPOSE + "    # stridescan: ignore[E001,D001] nothing follows\n"
    report = run_scan(root, {"compose.yaml": text}, report_unused_suppressions=True)
    assert not report.suppressed
    assert [n.line for n in report.notices] == [5]


# --- notices ------------------------------------------------------------------------------


def test_reasonless_suppressions_are_reported_when_a_reason_is_required(root: Path) -> None:
    text = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E001]")
    quiet = run_scan(root, {"compose.yaml": text})
    assert not quiet.notices
    report = run_scan(root, {"compose.yaml": text}, require_suppression_reason=True)
    assert [(n.path, n.line) for n in report.notices] == [("compose.yaml", 4)]
    assert "gives no reason" in report.notices[0].message
    assert silenced(report) == {("compose.yaml", 4, "E001")}  # still accepted


def test_reasonless_annotation_is_reported_when_a_reason_is_required(root: Path) -> None:
    text = DEPLOYMENT.replace(
        "  name: web\n", "  name: web\n  annotations:\n    stridescan.dev/ignore: E001\n"
    )
    report = run_scan(root, {"deploy.yaml": text}, require_suppression_reason=True)
    assert [(n.line, n.message) for n in report.notices] == [
        (2, "annotation gives no reason; add a `stridescan.dev/ignore-reason` annotation")
    ]


def test_unused_suppressions_are_reported_even_in_files_without_findings(root: Path) -> None:
    compose = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E002] x")
    dockerfile = "# stridescan: ignore-file[E001] stale\nFROM alpine:3.19\nUSER 1000\n"
    files = {"compose.yaml": compose, "Dockerfile": dockerfile}
    assert not run_scan(root, files).notices
    report = run_scan(root, files, report_unused_suppressions=True)
    assert [(n.path, n.line) for n in report.notices] == [("Dockerfile", 1), ("compose.yaml", 4)]
    assert all("unused suppression" in n.message for n in report.notices)


def test_used_suppressions_are_not_reported_as_unused(root: Path) -> None:
    text = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E001] x")
    report = run_scan(root, {"compose.yaml": text}, report_unused_suppressions=True)
    assert not report.notices


def test_unknown_rule_in_a_suppression_is_always_reported(root: Path) -> None:
    text = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E0001] x")
    report = run_scan(root, {"compose.yaml": text})
    assert [(n.line, n.message) for n in report.notices] == [
        (4, "suppression names no rule 'E0001'; use a code or slug from `stridescan rules`")
    ]


# --- output -------------------------------------------------------------------------------


def test_suppressed_findings_are_left_out_of_text_and_json(root: Path, run_cli: Run) -> None:
    text = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E001]")
    (root / "compose.yaml").write_text(text, encoding="utf-8")
    plain = run_cli("scan", "--color", "never", "--require-suppression-reason")
    assert "E001" not in plain.stdout.split("Notices")[0]
    assert "1 suppressed" in plain.stdout
    assert "compose.yaml:4: warning: suppression gives no reason" in plain.stdout
    document = json.loads(run_cli("scan", "-f", "json", "--require-suppression-reason").stdout)
    assert "E001" not in {finding["rule"] for finding in document["findings"]}
    assert document["summary"]["suppressed"] == 1
    assert document["notices"] == [
        {
            "path": "compose.yaml",
            "line": 4,
            "message": "suppression gives no reason; write the reason after the closing bracket",
        }
    ]


def test_suppression_flags_come_from_the_config_file(root: Path, run_cli: Run) -> None:
    (root / "compose.yaml").write_text(
        COMPOSE + "# stridescan: ignore-file[E002]\n", encoding="utf-8"
    )
    (root / ".stridescan.yaml").write_text(
        "report-unused-suppressions: true\nrequire-suppression-reason: true\n", encoding="utf-8"
    )
    notices = json.loads(run_cli("scan", "-f", "json").stdout)["notices"]
    assert [n["message"].split(";")[0] for n in notices] == [
        "suppression gives no reason",
        "unused suppression: it silences nothing here",
    ]


def test_readme_suppression_example_silences_both_rules(root: Path) -> None:
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\nservices:\n  agent:") + len("```yaml\n")
    example = readme[start : readme.index("```", start)]
    report = run_scan(root, {"compose.yaml": example})
    assert {code for _, _, code in silenced(report)} == {"E001", "E003"}
    assert not {code for _, _, code in found(report)} & {"E001", "E003"}


def test_comments_in_standard_input_are_read(root: Path, run_cli: Run) -> None:
    text = COMPOSE.replace("privileged: true", "privileged: true  # stridescan: ignore[E001] ci")
    run = run_cli(
        "scan", "-", "--stdin-filename", "compose.yaml", "-f", "json", stdin=text.encode()
    )
    document = json.loads(run.stdout)
    assert document["summary"]["suppressed"] == 1
    assert "E001" not in {finding["rule"] for finding in document["findings"]}
