from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import scan_paths
from stridescan.reporters import github
from stridescan.scanner import ScanReport

COMMAND = re.compile(r"^::(?P<level>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<msg>.*)$")


def unescape(text: str) -> str:
    """What the runner does with an escaped value (actions/runner's UnescapeProperty)."""
    for code, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: level, properties, message."""
    match = COMMAND.match(line)
    assert match, line
    props: dict[str, str] = {}
    if match["props"]:
        for item in match["props"].split(","):
            name, _, value = item.partition("=")
            props[name] = unescape(value)
    return match["level"], props, unescape(match["msg"])


def commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    return [parse(line) for line in output.splitlines() if line.startswith("::")]


def compose_with(services: dict[str, str]) -> str:
    lines = ["services:"]
    for name, extra in services.items():
        lines += [f"  {name}:", "    image: registry.example.com/app:1.0.0", f"    {extra}"]
    return "\n".join(lines) + "\n"


def scan_file(tmp_path: Path, name: str, text: str) -> ScanReport:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return scan_paths([tmp_path / name], root=tmp_path)


def test_escape_data_encodes_percent_cr_and_lf_only() -> None:
    assert github.escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"


def test_escape_property_also_encodes_colon_and_comma() -> None:
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_finding_annotation_has_exact_location_title_and_fix(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", compose_with({"api": "privileged: true"}))
    output = github.render(report)
    privileged = [c for c in commands(output) if c[1]["title"].startswith("E001")]
    assert len(privileged) == 1
    level, props, message = privileged[0]
    assert level == "error"
    assert props["file"] == "compose.yaml"
    assert (props["line"], props["col"], props["endLine"]) == ("4", "5", "4")
    assert props["title"] == "E001 privileged-container (critical, E,T)"
    assert message.startswith("service 'api' runs privileged\nFix: Remove `privileged: true`")


def test_file_names_with_commas_colons_and_newlines_survive_escaping(tmp_path: Path) -> None:
    name = "docker-compose,prod:eu\nx%41.yaml"
    report = scan_file(tmp_path, name, compose_with({"api": "privileged: true"}))
    output = github.render(report)
    found = commands(output)
    assert found, output
    assert {props["file"] for _, props, _ in found} == {name}
    # No raw newline from the name may start a second command.
    assert all(line.startswith(("::", "stridescan:", "  ")) for line in output.splitlines())


def test_messages_from_the_file_cannot_forge_a_command(tmp_path: Path) -> None:
    service = '"api\\r\\n::error file=forged.yaml::forged"'
    report = scan_file(tmp_path, "compose.yaml", compose_with({service: "privileged: true"}))
    output = github.render(report)
    found = commands(output)
    assert found
    assert {props["file"] for _, props, _ in found} == {"compose.yaml"}
    assert all(line.startswith(("::", "stridescan:", "  ")) for line in output.splitlines())


def test_severities_map_to_error_warning_and_notice(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", compose_with({"api": "privileged: true"}))
    levels = {
        props["title"].split("(")[1].split(",")[0]: level
        for level, props, _ in commands(github.render(report))
        if "title" in props and "(" in props["title"]
    }
    assert levels["critical"] == "error"
    assert levels["high"] == "error"
    assert levels["medium"] == "warning"
    assert levels["low"] == "notice"


def test_annotations_are_capped_per_level_most_severe_first(tmp_path: Path) -> None:
    services = {f"svc{i:02d}": "privileged: true" for i in range(12)}
    report = scan_file(tmp_path, "compose.yaml", compose_with(services))
    output = github.render(report)
    found = commands(output)
    by_level = {level: [c for c in found if c[0] == level] for level in github._LEVELS.values()}
    assert len(by_level["error"]) == github.MAX_PER_LEVEL
    assert len(by_level["warning"]) == github.MAX_PER_LEVEL
    assert len(by_level["notice"]) == github.MAX_PER_LEVEL  # 9 findings + the overflow notice
    # The twelve critical E001 findings outrank the high E003 ones: ten of them are shown.
    assert all(props["title"].startswith("E001") for _, props, _ in by_level["error"])

    overflow = [c for c in found if c[1].get("title") == "stridescan: more findings"]
    assert len(overflow) == 1
    shown_findings = len(found) - 1
    held_back = len(report.results) - shown_findings
    assert held_back > 0
    assert overflow[0][2].startswith(f"{held_back} more findings are not shown as annotations")
    assert "job summary" in overflow[0][2]
    assert "SARIF" in overflow[0][2]
    # The held-back findings are still in the log, as plain lines.
    plain = [line for line in output.splitlines() if line.startswith("  ")]
    assert len(plain) == held_back
    assert any("compose.yaml:" in line and "E001" in line for line in plain)


def test_no_overflow_notice_when_everything_fits(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", compose_with({"api": "privileged: true"}))
    output = github.render(report)
    assert len(commands(output)) == len(report.results)
    assert "more findings" not in output


def test_unparseable_file_is_an_error_annotation_with_its_line(tmp_path: Path) -> None:
    report = scan_file(tmp_path, "compose.yaml", "services:\n  api: [\n")
    assert report.problems
    found = commands(github.render(report))
    problem = report.problems[0]
    assert found[0][0] == "error"
    assert found[0][1]["file"] == "compose.yaml"
    assert found[0][1]["line"] == str(problem.line)
    assert found[0][1]["title"] == "stridescan: file could not be scanned"
    assert problem.message in found[0][2]


@pytest.mark.parametrize("count", [0, 1])
def test_last_line_counts_findings(tmp_path: Path, count: int) -> None:
    text = compose_with({"api": "privileged: true"}) if count else "a: 1\n"
    report = scan_file(tmp_path, "compose.yaml", text)
    last = github.render(report).splitlines()[-1]
    assert last.startswith(f"stridescan: {len(report.results)} finding")


def test_annotation_files_are_relative_to_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stridescan.cli import main

    (tmp_path / ".git").mkdir()
    service = tmp_path / "services" / "api"
    service.mkdir(parents=True)
    (service / "compose.yaml").write_text(
        "services:\n  api:\n    image: a:1\n    privileged: true\n", encoding="utf-8"
    )
    monkeypatch.chdir(service)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    output = tmp_path / "annotations.txt"
    main(["scan", "--format", "github", "--select", "E001", "-o", str(output)])
    assert "file=services/api/compose.yaml,line=4" in output.read_text(encoding="utf-8")
