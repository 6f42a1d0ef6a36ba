"""The JSON form: valid against `schemas/threat-model.schema.json` for a report with
findings, one without, and one with accepted risks; and it holds what the model holds."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_model_build import DEMO, model_of, scan_model

from conftest import REPO
from stridescan.threatmodel.json_form import SCHEMA_ID, document, render
from stridescan.threatmodel.report import ThreatModel


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (REPO / "schemas" / "threat-model.schema.json").read_text(encoding="utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def assert_valid(model: ThreatModel) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render(model))
    errors = sorted(
        jsonschema.Draft202012Validator(schema()).iter_errors(parsed),
        key=lambda e: list(e.absolute_path),
    )
    assert not errors, [(list(e.absolute_path), e.message) for e in errors[:5]]
    return parsed


def test_demo_report_is_valid_against_the_schema() -> None:
    _, model = scan_model([DEMO], REPO)
    parsed = assert_valid(model)
    assert parsed["$schema"] == SCHEMA_ID == schema()["$id"]
    assert [c["category"] for c in parsed["categories"]] == ["S", "T", "R", "I", "D", "E"]


def test_report_without_findings_is_valid_against_the_schema(tmp_path: Path) -> None:
    _, model = model_of(tmp_path, {"notes.yaml": "nothing: here\n"})
    parsed = assert_valid(model)
    assert parsed["matrix"] == [] and parsed["hardening_plan"] == []


def test_report_with_accepted_risks_is_valid_against_the_schema(tmp_path: Path) -> None:
    _, model = model_of(
        tmp_path,
        {
            "compose.yaml": "services:\n  a:\n    image: a:1\n"
            "    privileged: true  # stridescan: ignore[E001] vendor agent, reviewed in SEC-1\n"
        },
    )
    parsed = assert_valid(model)
    (risk,) = [r for r in parsed["accepted_risks"] if r["code"] == "E001"]
    assert risk["reason"] == "vendor agent, reviewed in SEC-1"
    assert risk["suppressed_at"]["line"] == 4


def test_schema_rejects_a_field_it_does_not_document(tmp_path: Path) -> None:
    _, model = model_of(tmp_path, {"compose.yaml": "services:\n  a:\n    image: a:1\n"})
    parsed = json.loads(render(model))
    parsed["components"][0]["surprise"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(parsed, schema(), cls=jsonschema.Draft202012Validator)


def test_json_holds_the_same_counts_as_the_model() -> None:
    _, model = scan_model([DEMO], REPO)
    parsed = json.loads(render(model))
    assert parsed == document(model)
    assert len(parsed["components"]) == len(model.components)
    assert parsed["coverage"]["findings"] == model.coverage.findings
    assert render(model).endswith("}\n")
