from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scan_paths
from stridescan.interpolation import dotenv_beside, interpolate, parse_dotenv

KNOWN = {"TAG": "1.4.2", "EMPTY": "", "HOST": "/etc"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("app:${TAG}", "app:1.4.2"),
        ("app:$TAG", "app:1.4.2"),
        ("${EMPTY:-default}", "default"),
        ("${EMPTY-default}", ""),
        ("${TAG:-default}", "1.4.2"),
        ("${TAG:+set}", "set"),
        ("${EMPTY:+set}", ""),
        ("${TAG:?must be set}", "1.4.2"),
        ("${HOST:-${UNKNOWN}}", "/etc"),
        ("price: $$5", "price: $5"),
        ("no variables", "no variables"),
    ],
)
def test_known_variables_are_replaced_as_compose_does(text: str, expected: str) -> None:
    assert interpolate(text, KNOWN) == expected


@pytest.mark.parametrize(
    "text",
    ["${UNKNOWN}", "$UNKNOWN", "${UNKNOWN:-default}", "${EMPTY:?must be set}", "${TAG", "${1}"],
)
def test_text_that_reads_an_unknown_variable_or_is_invalid_is_unknown(text: str) -> None:
    assert interpolate(text, KNOWN) is None


def test_dotenv_reads_quotes_comments_export_and_earlier_variables() -> None:
    text = (
        "# a comment\n"
        "export BASE=/srv\n"
        'DATA="${BASE}/data"\n'
        "LITERAL='${BASE}'\n"
        "PLAIN=value # trailing comment\n"
        "LATER=${AFTER}\n"
        "AFTER=1\n"
        "not a line\n"
    )
    assert parse_dotenv(text) == {
        "BASE": "/srv",
        "DATA": "/srv/data",
        "LITERAL": "${BASE}",
        "PLAIN": "value",
        "AFTER": "1",
    }


def test_a_dotenv_that_is_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "outside.env").write_text("HOST=/etc\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / ".env").symlink_to(tmp_path / "outside.env")
    assert dotenv_beside(tmp_path / "project" / "compose.yaml") == {}


COMPOSE = """\
services:
  agent:
    image: registry.example.com/agent:${AGENT_TAG}
    volumes:
      - ${HOST_DIR}:/host
"""


def test_compose_values_from_the_dotenv_beside_the_file_produce_findings(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    (tmp_path / ".env").write_text("HOST_DIR=/etc\nAGENT_TAG=latest\n", encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    found = {(r.rule.code, r.location.line) for r in report.results}
    assert {("E104", 5), ("T103", 3)} <= found


def test_without_a_dotenv_the_same_values_produce_no_finding(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE, encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    codes = {r.rule.code for r in report.results}
    assert not codes & {"E104", "T101", "T103", "T104"}


def test_a_source_from_the_dotenv_that_names_a_volume_is_not_a_host_path(tmp_path: Path) -> None:
    compose = "services:\n  db:\n    image: postgres:17.2\n    volumes:\n      - ${DATA}:/data\n"
    (tmp_path / "compose.yaml").write_text(compose, encoding="utf-8")
    (tmp_path / ".env").write_text("DATA=db-data\n", encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    assert "T101" not in {r.rule.code for r in report.results}
    (tmp_path / ".env").write_text("DATA=./data\n", encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    assert ("T101", 5) in {(r.rule.code, r.location.line) for r in report.results}
