"""The JSON reporter writes `json.dumps(indent=2)`'s layout without calling it per finding."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import scan_paths
from stridescan.reporters import json as json_reporter

COMPOSE = """\
services:
  "web \\"quoted\\" é ☃":
    image: nginx
    privileged: true
    cap_add: [SYS_ADMIN]
    ports: ["0.0.0.0:80:80"]
    environment:
      PASSWORD: "tab\\there"
"""


def test_findings_are_laid_out_exactly_as_the_standard_encoder_would(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    assert len(report.results) > 3
    rendered = json_reporter.render(report)
    expected = json.dumps(json.loads(rendered), indent=2, ensure_ascii=False) + "\n"
    assert rendered == expected


def test_a_report_without_findings_has_an_empty_findings_list(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  a:\n    image: x\n", encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    empty = type(report)(results=(), problems=report.problems, files_scanned=1, rules=())
    rendered = json_reporter.render(empty)
    assert json.loads(rendered)["findings"] == []
    assert rendered == json.dumps(json.loads(rendered), indent=2, ensure_ascii=False) + "\n"


def test_the_pieces_join_to_the_rendered_report(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    pieces = list(json_reporter.chunks(report))
    assert len(pieces) == len(report.results) + 3
    assert "".join(pieces) == json_reporter.render(report)
