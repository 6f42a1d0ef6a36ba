"""The SARIF reporter lays results out from per-rule layouts, not by serialising each one:
the text must still be `json.dumps(indent=2)`'s, in sarif-om's property order, and leave out
exactly the parts a result lacks."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import attr
import sarif_om

from conftest import scan_paths
from stridescan.engine import Suppression
from stridescan.model import Location
from stridescan.reporters import sarif
from stridescan.scanner import ScanReport

COMPOSE = """\
services:
  "web {x} \\"quoted\\" é ☃":
    image: nginx
    privileged: true  # stridescan: ignore[E001] needs {devices} "here"
    cap_add: [SYS_ADMIN]  # stridescan: ignore[E102]
    ports: ["0.0.0.0:80:80"]
    environment:
      PASSWORD: "tab\\there"
"""


def scanned(root: Path) -> ScanReport:
    (root / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    report = scan_paths([root / "compose.yaml"], root=root)
    assert len(report.results) > 3
    assert len(report.suppressed) == 2
    return report


def with_odd_shapes(report: ScanReport, root: Path) -> ScanReport:
    """The scan with results and suppressions that lack each optional part in turn."""
    first, second, third, *rest = report.results
    bare = replace(
        first,
        location=replace(first.location, column=0),
        source_line="",
        line_hashes=None,
    )
    absolute = replace(second, location=replace(second.location, path=str(root / "a b.yaml")))
    external = replace(
        report.suppressed[0], suppression=Suppression(kind="external", justification="")
    )
    nowhere = replace(
        report.suppressed[1],
        suppression=Suppression(
            kind="inSource", justification="why", location=Location(path="x.yaml", line=0)
        ),
    )
    return replace(
        report,
        results=(bare, absolute, third, *rest),
        suppressed=(*report.suppressed, external, nowhere),
        rules=tuple(rule for rule in report.rules if rule.code != third.rule.code),
    )


def results_of(text: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = json.loads(text)["runs"][0]["results"]
    return results


def schema_order(cls: type) -> list[str]:
    return [field.metadata["schema_property_name"] for field in attr.fields(cls)]


def assert_in_schema_order(value: dict[str, Any], cls: type) -> None:
    order = schema_order(cls)
    assert list(value) == sorted(value, key=order.index), cls.__name__


def test_results_are_laid_out_exactly_as_the_standard_encoder_would(tmp_path: Path) -> None:
    report = with_odd_shapes(scanned(tmp_path), tmp_path)
    text = sarif.render(report)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert len(results_of(text)) == len(report.results) + len(report.suppressed)


def test_result_properties_follow_the_sarif_om_order(tmp_path: Path) -> None:
    report = with_odd_shapes(scanned(tmp_path), tmp_path)
    for result in results_of(sarif.render(report)):
        assert_in_schema_order(result, sarif_om.Result)
        physical = result["locations"][0]["physicalLocation"]
        assert_in_schema_order(physical["artifactLocation"], sarif_om.ArtifactLocation)
        assert_in_schema_order(physical["region"], sarif_om.Region)
        for suppression in result.get("suppressions", []):
            assert_in_schema_order(suppression, sarif_om.Suppression)


def test_parts_a_result_lacks_are_left_out(tmp_path: Path) -> None:
    report = with_odd_shapes(scanned(tmp_path), tmp_path)
    bare, absolute, unlisted, *_ = results_of(sarif.render(report))
    region = bare["locations"][0]["physicalLocation"]["region"]
    assert "startColumn" not in region
    assert "snippet" not in region
    assert list(bare["partialFingerprints"]) == ["stridescan/v1"]
    artifact = absolute["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "a b.yaml").as_uri()}
    assert "ruleIndex" not in unlisted
    assert unlisted["ruleId"] == report.results[2].rule.code


def test_suppressions_keep_their_reason_and_place(tmp_path: Path) -> None:
    report = with_odd_shapes(scanned(tmp_path), tmp_path)
    results = results_of(sarif.render(report))
    suppressions = [result["suppressions"] for result in results if "suppressions" in result]
    with_reason, without_reason, external, nowhere = suppressions
    assert with_reason[0]["justification"] == 'needs {devices} "here"'
    assert with_reason[0]["location"]["physicalLocation"]["region"]["startLine"] == 4
    assert "justification" not in without_reason[0]
    assert external == [{"kind": "external"}]
    assert nowhere == [
        {
            "kind": "inSource",
            "justification": "why",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": "x.yaml", "uriBaseId": sarif.SRCROOT}
                }
            },
        }
    ]


def test_the_pieces_join_to_the_rendered_log(tmp_path: Path) -> None:
    report = scanned(tmp_path)
    pieces = list(sarif.chunks(report, category="a/"))
    # The head, one per result, the closing bracket, the tail.
    assert len(pieces) == len(report.results) + len(report.suppressed) + 3
    assert "".join(pieces) == sarif.render(report, category="a/")


def test_a_log_without_results_has_an_empty_results_list(tmp_path: Path) -> None:
    empty = replace(scanned(tmp_path), results=(), suppressed=())
    text = sarif.render(empty)
    assert results_of(text) == []
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
