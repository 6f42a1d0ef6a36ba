from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scan_paths
from stridescan.diagnostics import ParseError
from stridescan.discovery import classify_name
from stridescan.model import SourceKind
from stridescan.parsers.daemon import parse_daemon

CONFIG = """\
{
  "icc": false,
  "insecure-registries": ["registry.internal:5000"],
  "hosts": ["tcp://0.0.0.0:2375"]
}
"""


def test_settings_are_read_with_the_line_they_are_written_on() -> None:
    daemon = parse_daemon(CONFIG, "daemon.json")
    assert (daemon.icc.value, daemon.icc.location.line) == (False, 2)
    assert [(r.value, r.location.line) for r in daemon.insecure_registries] == [
        ("registry.internal:5000", 3)
    ]
    assert [host.value for host in daemon.hosts] == ["tcp://0.0.0.0:2375"]


def test_absent_settings_are_located_at_the_opening_brace() -> None:
    daemon = parse_daemon("\n\n{\n}\n", "daemon.json")
    assert daemon.live_restore.value is None
    assert daemon.live_restore.location.line == 3


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('["icc"]\n', 1, "must hold a JSON object"),
        ('{\n  "icc": "no"\n}\n', 2, "icc must be true or false"),
        ('{\n  "hosts": "tcp://x"\n}\n', 2, "hosts must be a list"),
        ("", 1, "empty"),
    ],
)
def test_a_file_dockerd_would_refuse_is_a_parse_error_at_its_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(ParseError) as raised:
        parse_daemon(text, "daemon.json")
    assert raised.value.line == line
    assert message in raised.value.message


@pytest.mark.parametrize("name", ["daemon.json", "prod.daemon.json", "docker-daemon.json"])
def test_daemon_json_files_are_classified_by_name(name: str) -> None:
    assert classify_name(name) is SourceKind.DAEMON


def test_a_daemon_json_in_a_tree_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "daemon.json").write_text(CONFIG, encoding="utf-8")
    report = scan_paths([tmp_path], root=tmp_path)
    assert ("etc/daemon.json", 3, "T110") in {
        (r.location.path, r.location.line, r.rule.code) for r in report.results
    }
