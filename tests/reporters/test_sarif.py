"""SARIF output: valid against the OASIS schema, and shaped as GitHub code scanning needs.

The schema is read from ../shared beside the repository (never copied in); the Microsoft SARIF
Multitool runs when .ci/run installed it and exported SARIF_MULTITOOL.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from conftest import REPO, CliRun, scan_paths
from stridescan.reporters import sarif
from stridescan.scanner import ScanReport

Run = Callable[..., CliRun]
SCHEMA_PATH = Path(__file__).parents[2] / ".." / "shared" / "sarif-schema-2.1.0.json"
MULTITOOL = os.environ.get("SARIF_MULTITOOL", "")

PRIVILEGED = """\
services:
  api:
    image: registry.example.com/api:1.4.2@sha256:{digest}
    privileged: true
""".format(digest="a" * 64)
BROKEN = "services:\n  web:\n    image: [nginx\n"


def sarif_of(report: ScanReport, **options: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(sarif.render(report, **options))
    return document


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return sarif_of(scan_paths(["fixtures/demo"]))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scan_sarif(run_cli: Run, *args: str, stdin: bytes = b"") -> dict[str, Any]:
    run = run_cli("scan", "--format", "sarif", "--no-config", *args, stdin=stdin)
    assert run.code in (0, 1), run.stderr
    document: dict[str, Any] = json.loads(run.stdout)
    return document


def with_parse_error(root: Path) -> dict[str, Any]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "compose.yaml").write_text(BROKEN, encoding="utf-8")
    (root / "deploy").mkdir()
    (root / "deploy" / "compose.yaml").write_text(PRIVILEGED, encoding="utf-8")
    return sarif_of(scan_paths([root], root=root))


def schema_errors(document: dict[str, Any]) -> list[str]:
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"the OASIS SARIF schema is not at {SCHEMA_PATH.resolve()} (../shared)")
    from jsonschema import validators

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def github_problems(document: dict[str, Any]) -> list[str]:
    """What GitHub code scanning needs beyond the schema (../shared/INTEGRATIONS.md, 1)."""
    problems: list[str] = []
    if document.get("$schema") != sarif.SCHEMA_URI or document.get("version") != "2.1.0":
        problems.append("$schema or version")
    if len(document["runs"]) != 1:
        return [*problems, f"{len(document['runs'])} runs, GitHub wants one per category"]
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    rules = driver["rules"]
    taxa = run["taxonomies"][0]["taxa"]
    for rule in rules:
        where = f"rule {rule['id']}"
        severity = rule["properties"]["security-severity"]
        if not isinstance(severity, str) or not 0.1 <= float(severity) <= 10.0:
            problems.append(f"{where}: security-severity {severity!r}")
        if len(rule["properties"]["tags"]) > 10:
            problems.append(f"{where}: more than 10 tags")
        for key in ("shortDescription", "fullDescription"):
            if not 0 < len(rule[key]["text"]) <= 1024:
                problems.append(f"{where}: {key} empty or over 1024 characters")
        if not rule["help"]["text"] or not rule["help"]["markdown"]:
            problems.append(f"{where}: no help")
        for relation in rule["relationships"]:
            problems += taxon_problems(relation["target"], taxa, where)
    for number, result in enumerate(run["results"]):
        where = f"result {number} ({result['ruleId']})"
        if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
            problems.append(f"{where}: ruleIndex points at another rule")
        if not result["message"]["text"]:
            problems.append(f"{where}: no message text")
        if len(result["locations"]) != 1:
            problems.append(f"{where}: {len(result['locations'])} locations")
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        if urlparse(uri).scheme or uri.startswith("/"):
            problems.append(f"{where}: URI {uri!r} is not relative")
        if physical["artifactLocation"].get("uriBaseId") != sarif.SRCROOT:
            problems.append(f"{where}: no %SRCROOT% base")
        region = physical.get("region", {})
        if not all(region.get(key, 0) >= 1 for key in ("startLine", "startColumn", "endLine")):
            problems.append(f"{where}: region {region}")
        if not result["partialFingerprints"].get("primaryLocationLineHash"):
            problems.append(f"{where}: no primaryLocationLineHash")
        for taxon in result["taxa"]:
            problems += taxon_problems(taxon, taxa, where)
    return problems


def taxon_problems(reference: dict[str, Any], taxa: list[dict[str, Any]], where: str) -> list[str]:
    component = reference["toolComponent"]
    if (
        component != {"name": "STRIDE", "index": 0}
        or taxa[reference["index"]]["id"] != (reference["id"])
    ):
        return [f"{where}: taxon reference {reference} does not match the taxonomy"]
    return []


def resolved_paths(document: dict[str, Any]) -> list[Path]:
    """Each result's file: its URI resolved against the declared %SRCROOT%."""
    run = document["runs"][0]
    base = unquote(urlparse(run["originalUriBaseIds"][sarif.SRCROOT]["uri"]).path)
    return [
        Path(base) / unquote(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for result in run["results"]
    ]


def test_demo_sarif_is_valid_against_the_oasis_schema(demo: dict[str, Any]) -> None:
    assert schema_errors(demo) == []


def test_demo_sarif_meets_github_code_scanning_requirements(demo: dict[str, Any]) -> None:
    assert demo["runs"][0]["results"], "the demo project must have findings"
    assert github_problems(demo) == []


def test_scan_with_a_parse_error_is_valid_sarif_and_an_unsuccessful_invocation(
    tmp_path: Path,
) -> None:
    document = with_parse_error(tmp_path)
    assert schema_errors(document) == []
    assert github_problems(document) == []
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert "compose.yaml" in notification["message"]["text"]
    physical = notification["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "compose.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"]["startLine"] >= 3


def test_clean_scan_is_a_successful_invocation_with_no_results(in_tmp: Path, run_cli: Run) -> None:
    document = scan_sarif(run_cli)
    run = document["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert len(run["tool"]["driver"]["rules"]) > 0


def test_rules_carry_github_metadata(demo: dict[str, Any]) -> None:
    rules = {rule["id"]: rule for rule in demo["runs"][0]["tool"]["driver"]["rules"]}
    e001 = rules["E001"]
    assert e001["name"] == "privileged-container"
    assert e001["defaultConfiguration"]["level"] == "error"
    assert e001["properties"]["security-severity"] == "9.5"
    assert e001["properties"]["tags"][:3] == [
        "security",
        "stride/elevation-of-privilege",
        "stride/tampering",
    ]
    assert e001["helpUri"].endswith("#e001-privileged-container")
    assert "## E001 privileged-container" in e001["help"]["markdown"]
    targets = [relation["target"]["id"] for relation in e001["relationships"]]
    assert targets == ["E", "T"]


def test_values_equal_to_schema_defaults_are_kept(demo: dict[str, Any]) -> None:
    # jschema_to_python would drop these: level "warning" is the SARIF default.
    run = demo["runs"][0]
    medium = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "S001")
    assert medium["defaultConfiguration"]["level"] == "warning"
    results = [r for r in run["results"] if r["ruleId"] == "S001"]
    assert results and all(r["level"] == "warning" and r["kind"] == "fail" for r in results)


def test_results_point_at_the_flagged_line_with_the_fix(in_tmp: Path, run_cli: Run) -> None:
    (in_tmp / "compose.yaml").write_text(PRIVILEGED, encoding="utf-8")
    run = scan_sarif(run_cli, "--select", "E001")["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "E001"
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("Service 'api' runs privileged.")
    assert "cap_drop" in result["message"]["text"] or "privileged" in result["message"]["text"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == (4, 4)
    assert region["snippet"]["text"] == "    privileged: true"
    assert [taxon["id"] for taxon in result["taxa"]] == ["E", "T"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == in_tmp.as_uri() + "/"


def test_line_hash_stays_when_unrelated_lines_are_inserted_above(
    in_tmp: Path, run_cli: Run
) -> None:
    compose = in_tmp / "compose.yaml"
    compose.write_text(PRIVILEGED, encoding="utf-8")
    before = scan_sarif(run_cli, "--select", "E001")["runs"][0]["results"][0]
    compose.write_text("# owned by the platform team\n\n" + PRIVILEGED, encoding="utf-8")
    after = scan_sarif(run_cli, "--select", "E001")["runs"][0]["results"][0]
    start = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in (before, after)]
    assert start == [4, 6]
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_line_hash_changes_when_the_flagged_line_changes(in_tmp: Path, run_cli: Run) -> None:
    compose = in_tmp / "compose.yaml"
    compose.write_text(PRIVILEGED, encoding="utf-8")
    before = scan_sarif(run_cli, "--select", "E001")["runs"][0]["results"][0]
    compose.write_text(PRIVILEGED.replace("true", "true  # for the GPU"), encoding="utf-8")
    after = scan_sarif(run_cli, "--select", "E001")["runs"][0]["results"][0]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in (before, after)]
    assert hashes[0] != hashes[1]


def test_file_named_with_a_space_and_non_ascii_is_percent_encoded(
    in_tmp: Path, run_cli: Run
) -> None:
    folder = in_tmp / "déploiement prod"
    folder.mkdir()
    (folder / "compose ü.yaml").write_text(PRIVILEGED, encoding="utf-8")
    document = scan_sarif(run_cli, "--select", "E001")
    (result,) = document["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "d%C3%A9ploiement%20prod/compose%20%C3%BC.yaml"
    assert resolved_paths(document) == [folder / "compose ü.yaml"]
    assert schema_errors(document) == []


def test_paths_are_relative_to_the_repository_root_when_the_scan_runs_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> None:
    (tmp_path / ".git").mkdir()
    service = tmp_path / "services" / "api"
    (service / "deploy").mkdir(parents=True)
    (service / "deploy" / "compose.yaml").write_text(PRIVILEGED, encoding="utf-8")
    (service / "broken.yaml").write_text("apiVersion: v1\nkind: Pod\nspec: [\n", "utf-8")
    monkeypatch.chdir(service)
    document = scan_sarif(run_cli, "deploy", "broken.yaml", "--select", "E001")
    run = document["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "services/api/deploy/compose.yaml"
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    where = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert where == "services/api/broken.yaml"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    assert resolved_paths(document) == [service / "deploy" / "compose.yaml"]


def test_paths_stay_relative_to_the_scan_root_outside_any_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "compose.yaml").write_text(PRIVILEGED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    document = scan_sarif(run_cli, "deploy", "--select", "E001")
    run = document["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "deploy/compose.yaml"


def test_demo_uris_resolve_to_the_scanned_files(demo: dict[str, Any]) -> None:
    assert all(path.is_file() for path in resolved_paths(demo))
    assert all(path.is_relative_to(REPO / "fixtures" / "demo") for path in resolved_paths(demo))


def test_stdin_results_use_the_stdin_filename_as_uri(in_tmp: Path, run_cli: Run) -> None:
    document = scan_sarif(
        run_cli,
        "-",
        "--stdin-filename",
        "chart/rendered manifest.yaml",
        "--select",
        "E001",
        stdin=PRIVILEGED.encode("utf-8"),
    )
    (result,) = document["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "chart/rendered%20manifest.yaml"
    assert physical["region"]["startLine"] == 4
    # Hashed from the bytes read on stdin: line 4 of the compose vector's shape.
    assert result["partialFingerprints"]["primaryLocationLineHash"].endswith(":1")
    assert github_problems(document) == []


def test_sarif_category_sets_the_automation_id(in_tmp: Path, run_cli: Run) -> None:
    default = scan_sarif(run_cli)["runs"][0]["automationDetails"]
    chosen = scan_sarif(run_cli, "--sarif-category", "stridescan/backend/")["runs"][0]
    assert default == {"id": "stridescan/"}
    assert chosen["automationDetails"] == {"id": "stridescan/backend/"}


def test_suppressed_findings_are_reported_as_suppressed(in_tmp: Path, run_cli: Run) -> None:
    silenced = PRIVILEGED.replace(
        "privileged: true", "privileged: true  # stridescan: ignore[E001] needs host devices"
    )
    (in_tmp / "compose.yaml").write_text(silenced, encoding="utf-8")
    document = scan_sarif(run_cli, "--select", "E001")
    (result,) = document["runs"][0]["results"]
    (suppression,) = result["suppressions"]
    assert suppression["kind"] == "inSource"
    assert "needs host devices" in suppression["justification"]
    assert schema_errors(document) == []


def run_multitool(documents: dict[str, dict[str, Any]], folder: Path) -> dict[str, list[str]]:
    """Run `Sarif.Multitool validate` once, GitHub's rules on, over each named document;
    its findings per name as `level RULE: arguments` lines."""
    if not MULTITOOL:
        pytest.skip("SARIF_MULTITOOL is not set; .ci/run installs the multitool from npm")
    if not Path(MULTITOOL).is_file():
        pytest.skip(f"SARIF_MULTITOOL={MULTITOOL} does not exist; rerun .ci/run to install it")
    logs = {name: folder / f"{name}.sarif" for name in documents}
    for name, document in documents.items():
        logs[name].write_text(json.dumps(document), encoding="utf-8")
    config = folder / "gh-strict.xml"
    config.write_text(GH_STRICT_CONFIG, encoding="utf-8")
    out = folder / "validation.sarif"
    command = [MULTITOOL, "validate", *map(str, logs.values()), "--rule-kind", "Sarif;Gh"]
    command += ["-c", str(config), "-o", str(out), "--log", "ForceOverwrite"]
    # Its exit code is 0 even when it reports errors: its own SARIF output is the verdict.
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert out.is_file(), f"the multitool wrote no output: {done.stdout}{done.stderr}"
    results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    by_name: dict[str, list[str]] = {name: [] for name in documents}
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        name = Path(unquote(urlparse(uri).path)).stem
        level = result.get("level", "warning")
        by_name[name].append(f"{level} {result['ruleId']}: {result['message'].get('arguments')}")
    return by_name


@pytest.fixture(scope="module")
def multitool_verdicts(
    demo: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """One multitool run (it takes seconds to start) over every document the tests judge."""
    broken = json.loads(json.dumps(demo))
    location = broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"] = {"uri": "file:///tmp/build/compose.yaml"}
    documents = {
        "demo": demo,
        "parse-error": with_parse_error(tmp_path_factory.mktemp("project")),
        "absolute-uri": broken,
    }
    return run_multitool(documents, tmp_path_factory.mktemp("multitool"))


# GH1001-GH1007 are off by default in multitool 5.7.0; without them an absolute URI or a
# missing region would pass silently.
_GH_RULES = (
    "GH1001.ProvideRequiredLocationProperties",
    "GH1002.InlineThreadFlowLocations",
    "GH1003.ProvideRequiredRegionProperties",
    "GH1004.ReviewArraysThatExceedConfigurableDefaults",
    "GH1005.LocationsMustBeRelativeUrisOrFilePaths",
    "GH1006.ProvideCheckoutPath",
    "GH1007.ProvideFullyFormattedMessageStrings",
)
GH_STRICT_CONFIG = (
    '<?xml version="1.0" encoding="utf-8"?><Properties>'
    + "".join(
        f'<Properties Key="{rule}.Options"><Property Key="RuleEnabled" Value="Error" '
        'Type="Driver.RuleEnabledState" /></Properties>'
        for rule in _GH_RULES
    )
    + "</Properties>"
)


def test_multitool_finds_nothing_in_the_demo_sarif(
    multitool_verdicts: dict[str, list[str]],
) -> None:
    # Warnings fail too: none is expected, so each new one must be looked at.
    assert multitool_verdicts["demo"] == []


def test_multitool_finds_nothing_in_the_sarif_of_a_parse_error(
    multitool_verdicts: dict[str, list[str]],
) -> None:
    assert multitool_verdicts["parse-error"] == []


def test_multitool_check_catches_an_absolute_uri(multitool_verdicts: dict[str, list[str]]) -> None:
    # Proof that the checks above can fail: GH1006 rejects absolute file URIs.
    assert any(line.startswith("error GH1006") for line in multitool_verdicts["absolute-uri"])
