from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, CliRun
from stridescan.config import Config, ConfigError, find_config, load_config
from stridescan.rules._meta import Severity
from stridescan.rules._registry import all_rules
from stridescan.starter import STARTER_CONFIG

Run = Callable[..., CliRun]

# Every rule fires except E001 (privileged), which fires only with `privileged: true`.
COMPOSE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(run: CliRun) -> set[str]:
    return {finding["rule"] for finding in json.loads(run.stdout)["findings"]}


def test_shipped_schema_and_top_level_schema_are_identical() -> None:
    shipped = REPO / "src" / "stridescan" / "schemas" / "config.schema.json"
    top = REPO / "schemas" / "config.schema.json"
    assert shipped.read_bytes() == top.read_bytes()


def test_schema_lists_every_key_the_loader_understands() -> None:
    from stridescan.config import schema

    assert set(schema()["properties"]) == {
        "select",
        "ignore",
        "severity",
        "per-path-ignores",
        "exclude",
        "fail-on",
        "fail-on-parse-error",
        "require-suppression-reason",
        "report-unused-suppressions",
        "baseline",
        "rule-options",
    }


def test_nearest_config_above_the_scanned_path_is_found(tmp_path: Path) -> None:
    outer = write(tmp_path / ".stridescan.yaml", "ignore: [D002]\n")
    inner = write(tmp_path / "svc" / "pyproject.toml", "[tool.stridescan]\nignore = ['E001']\n")
    write(tmp_path / "svc" / "deep" / "compose.yaml", COMPOSE)
    assert find_config(tmp_path / "svc" / "deep" / "compose.yaml") == inner.resolve()
    assert find_config(tmp_path / "other") == outer.resolve()


def test_pyproject_without_a_stridescan_table_is_passed_over(tmp_path: Path) -> None:
    outer = write(tmp_path / ".stridescan.yml", "ignore: [D002]\n")
    write(tmp_path / "svc" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert find_config(tmp_path / "svc") == outer.resolve()


def test_every_key_is_read_from_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".stridescan.yaml",
        """\
select: [E, D001]
ignore: [runs-as-root]
severity:
  no-memory-limit: critical
per-path-ignores:
  "examples/**": [E001, low]
exclude: ["vendor/**"]
fail-on: high
fail-on-parse-error: false
require-suppression-reason: true
report-unused-suppressions: true
baseline: base.json
""",
    )
    assert load_config(path, all_rules()) == Config(
        path=path,
        select=("E", "D001"),
        ignore=("runs-as-root",),
        severity=(("D001", Severity.CRITICAL),),
        per_path_ignores=(("examples/**", ("E001", "low")),),
        exclude=("vendor/**",),
        fail_on=Severity.HIGH,
        fail_on_parse_error=False,
        require_suppression_reason=True,
        report_unused_suppressions=True,
        baseline=tmp_path / "base.json",
    )


def test_every_key_is_read_from_pyproject(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        """\
[project]
name = "x"

[tool.stridescan]
select = ["all"]
ignore = ["D002"]
exclude = ["vendor/**"]
fail-on = "medium"
fail-on-parse-error = true
require-suppression-reason = false
report-unused-suppressions = false
baseline = "b.json"

[tool.stridescan.severity]
E001 = "low"

[tool.stridescan.per-path-ignores]
"tests/**" = ["E"]
""",
    )
    config = load_config(path, all_rules())
    assert config.select == ("all",)
    assert config.ignore == ("D002",)
    assert config.severity == (("E001", Severity.LOW),)
    assert config.per_path_ignores == (("tests/**", ("E",)),)
    assert config.fail_on is Severity.MEDIUM
    assert config.fail_on_parse_error is True
    assert config.baseline == tmp_path / "b.json"


def test_starter_config_is_valid_and_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / ".stridescan.yaml", STARTER_CONFIG)
    config = load_config(path, all_rules())
    assert config.select == ("all",)
    assert config.fail_on is Severity.LOW
    assert config.fail_on_parse_error is True


INVALID = [
    ("fail-on: high\ncolour: never\n", 2, "unknown key 'colour'; valid keys: select, ignore"),
    ("select: E001\n", 1, "select must be a list, not the string 'E001'"),
    ("select:\n  - E001\n  - E999\n", 3, "select[1]: 'E999' names no rule; valid: a rule code"),
    ("ignore: [nonsense-rule]\n", 1, "ignore[0]: 'nonsense-rule' names no rule"),
    ("severity:\n  E001: extreme\n", 2, "severity.E001 is 'extreme'; valid choices: low, medium"),
    ("severity:\n  E999: low\n", 2, "severity: no rule 'E999'"),
    ("severity:\n  Not A Rule: low\n", 2, "'Not A Rule' is not a rule code or slug"),
    ("severity: [E001]\n", 1, "severity must be a mapping, not a list"),
    ("per-path-ignores:\n  'x/**': E001\n", 2, "per-path-ignores.x/** must be a list"),
    ("per-path-ignores:\n  'x/**':\n    - bogus\n", 3, "'bogus' names no rule"),
    ("exclude: vendor\n", 1, "exclude must be a list, not the string 'vendor'"),
    ("exclude: ['']\n", 1, "exclude[0]"),
    ("fail-on: urgent\n", 1, "fail-on is 'urgent'; valid choices: low, medium, high, critical"),
    ("fail-on-parse-error: maybe\n", 1, "fail-on-parse-error must be true or false"),
    ("require-suppression-reason: 1\n", 1, "require-suppression-reason must be true or false"),
    ("report-unused-suppressions: sure\n", 1, "report-unused-suppressions must be true or false"),
    ("baseline: 3\n", 1, "baseline must be a string, not a number"),
    ("per-path-ignores:\n  '': [E001]\n", 2, "per-path-ignores: '' is not valid"),
    ("- select\n", 1, "the configuration must be a mapping, not a list"),
    ("select: [E001\n", 1, "invalid YAML"),
    ("ignore: [E001]\nignore: [E002]\n", 2, "key 'ignore' is written twice"),
]


@pytest.mark.parametrize(("text", "line", "message"), INVALID)
def test_invalid_config_names_the_line_and_the_valid_choices(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path / ".stridescan.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    assert caught.value.line == line
    assert message in caught.value.message


def test_every_invalid_key_is_reported_in_line_order(tmp_path: Path) -> None:
    path = write(tmp_path / ".stridescan.yaml", "fail-on: urgent\nselect: E\ncolour: x\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    lines = caught.value.message.splitlines()
    assert caught.value.line == 1
    assert lines[0].startswith("fail-on is 'urgent'")
    assert lines[1].endswith(".stridescan.yaml:2: error: select must be a list, not the string 'E'")
    assert lines[2].endswith(
        ".stridescan.yaml:3: error: unknown key 'colour'; valid keys: "
        + (
            "select, ignore, severity, per-path-ignores, exclude, fail-on, fail-on-parse-error, "
            "require-suppression-reason, report-unused-suppressions, baseline, rule-options"
        )
    )


def test_invalid_pyproject_key_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.stridescan]\nignore = ["D002"]\nfail_on = "high"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    assert caught.value.line == 6
    assert "unknown key 'fail_on'; valid keys:" in caught.value.message


def test_invalid_pyproject_value_without_a_known_line_names_the_table(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[tool.stridescan]\nignore = ["D002"]\n\n[tool.stridescan.severity]\nE001 = "huge"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    assert caught.value.line == 4
    assert "severity.E001 is 'huge'; valid choices" in caught.value.message


def test_broken_toml_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.stridescan]\nignore = ["D002"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    assert caught.value.line is not None
    assert "invalid TOML" in caught.value.message


def test_bad_config_exits_2_with_file_and_line(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    write(in_tmp / ".stridescan.yaml", "ignore: [D002]\nfail-on: urgent\n")
    run = run_cli("scan")
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("stridescan: .stridescan.yaml:2: error: fail-on is 'urgent'")


def test_unknown_selector_on_the_command_line_exits_2(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    run = run_cli("scan", "--select", "E999")
    assert run.code == 2
    assert "--select: 'E999' names no rule" in run.stderr


def test_missing_config_file_given_on_the_command_line_exits_2(in_tmp: Path, run_cli: Run) -> None:
    run = run_cli("scan", "--config", "nope.yaml")
    assert run.code == 2
    assert "nope.yaml: no such file" in run.stderr


# --- selection and precedence: command line > file > defaults -----------------------------


def every_firing_rule(run_cli: Run) -> set[str]:
    """The codes that fire on the scanned tree with no configuration: the reference set."""
    return codes(run_cli("scan", "-f", "json", "--no-config"))


def carrying(letters: str, among: set[str]) -> set[str]:
    """The codes of `among` whose rule carries one of the STRIDE `letters`."""
    rules = {rule.code: rule for rule in all_rules()}
    return {code for code in among if any(c.value in letters for c in rules[code].stride)}


def test_defaults_run_every_rule(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    every = every_firing_rule(run_cli)
    assert every >= {"S001", "T001", "D001", "D002", "E001", "E003", "E004"}
    assert codes(run_cli("scan", "-f", "json")) == every
    assert codes(run_cli("scan", "-f", "json", "--select", "all")) == every


def test_file_ignore_drops_rules(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    every = every_firing_rule(run_cli)
    write(in_tmp / ".stridescan.yaml", "ignore: [D002, privileged-container]\n")
    assert codes(run_cli("scan", "-f", "json")) == every - {"D002", "E001"}


def test_command_line_select_replaces_the_file_select_and_ignore(
    in_tmp: Path, run_cli: Run
) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    every = every_firing_rule(run_cli)
    write(in_tmp / ".stridescan.yaml", "select: [D]\nignore: [E001]\n")
    assert codes(run_cli("scan", "-f", "json")) == carrying("D", every)
    assert codes(run_cli("scan", "-f", "json", "--select", "E001,T001")) == {"E001", "T001"}


def test_command_line_ignore_adds_to_the_file_ignore(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    every = every_firing_rule(run_cli)
    write(in_tmp / ".stridescan.yaml", "select: [D, E]\nignore: [E001]\n")
    run = run_cli("scan", "-f", "json", "--ignore", "D002", "--ignore", "E004")
    expected = carrying("DE", every) - {"E001", "D002", "E004"}
    assert {"D001", "E003", "T001"} <= expected  # T001 is tampering and elevation
    assert codes(run) == expected


@pytest.mark.parametrize(
    ("selector", "letters", "at_least"),
    [
        ("E", "E", {"E001", "E003", "E004", "T001"}),  # primary and secondary categories
        ("elevation-of-privilege", "E", {"E001", "E003", "E004", "T001"}),
        ("d", "D", {"D001", "D002"}),
    ],
)
def test_select_by_stride_category(
    in_tmp: Path, run_cli: Run, selector: str, letters: str, at_least: set[str]
) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    every = every_firing_rule(run_cli)
    found = codes(run_cli("scan", "-f", "json", "--select", selector))
    assert found >= at_least
    assert found == carrying(letters, every)


def test_select_by_severity(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    findings = json.loads(run_cli("scan", "-f", "json", "--select", "critical").stdout)
    assert "E001" in {finding["rule"] for finding in findings["findings"]}
    assert {finding["severity"] for finding in findings["findings"]} == {"critical"}


@pytest.mark.parametrize(
    ("benchmark", "standards", "at_least"),
    [
        ("pss-baseline", ("pss-baseline",), {"E001"}),
        ("pss-restricted", ("pss-baseline", "pss-restricted"), {"E001", "E003", "S001", "E004"}),
        ("cis-docker", ("cis-docker-1.6", "cis-docker-1.2"), {"D002", "T001"}),
    ],
)
def test_select_by_benchmark(
    in_tmp: Path, run_cli: Run, benchmark: str, standards: tuple[str, ...], at_least: set[str]
) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    every = every_firing_rule(run_cli)
    rules = {rule.code: rule for rule in all_rules()}
    expected = {
        code
        for code in every
        if any(ref.partition(":")[0] in standards for ref in rules[code].references)
    }
    found = codes(run_cli("scan", "-f", "json", "--select", benchmark))
    assert found >= at_least
    assert found == expected


def test_severity_override_changes_the_reported_severity(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    write(in_tmp / ".stridescan.yaml", "severity:\n  E001: low\n  no-pids-limit: critical\n")
    findings = json.loads(run_cli("scan", "-f", "json").stdout)["findings"]
    severity = {finding["rule"]: finding["severity"] for finding in findings}
    assert severity["E001"] == "low"
    assert severity["D002"] == "critical"
    assert severity["T001"] == "medium"


def test_severity_selector_uses_the_overridden_severity(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    critical = codes(run_cli("scan", "-f", "json", "--select", "critical"))
    assert "D002" not in critical
    write(in_tmp / ".stridescan.yaml", "severity:\n  D002: critical\nselect: [critical]\n")
    assert codes(run_cli("scan", "-f", "json")) == critical | {"D002"}


def test_fail_on_precedence(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", "services:\n  api:\n    image: a:1\n")
    high_and_medium = ("--select", "E003,D001")
    assert run_cli("scan", *high_and_medium).code == 1  # default: low
    write(in_tmp / ".stridescan.yaml", "fail-on: critical\n")
    assert run_cli("scan", *high_and_medium).code == 0
    assert run_cli("scan", *high_and_medium, "--fail-on", "high").code == 1


def test_fail_on_parse_error_precedence(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "broken.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n")
    assert run_cli("scan").code == 1
    write(in_tmp / ".stridescan.yaml", "fail-on-parse-error: false\n")
    run = run_cli("scan")
    assert run.code == 0
    assert "broken.yaml:4" in run.stdout or "broken.yaml:3" in run.stdout
    assert run_cli("scan", "--fail-on-parse-error").code == 1
    write(in_tmp / ".stridescan.yaml", "fail-on-parse-error: true\n")
    assert run_cli("scan", "--no-fail-on-parse-error").code == 0


def test_excludes_from_file_and_command_line_combine(in_tmp: Path, run_cli: Run) -> None:
    for name in ("a", "b", "c"):
        write(in_tmp / name / "compose.yaml", COMPOSE)
    write(in_tmp / ".stridescan.yaml", "exclude: ['a/**']\n")
    run = run_cli("scan", "-f", "json", "--exclude", "b")
    paths = {f["location"]["path"] for f in json.loads(run.stdout)["findings"]}
    assert paths == {"c/compose.yaml"}


def test_file_globs_are_relative_to_the_config_directory(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / ".stridescan.yaml", "exclude: ['svc/skip/**']\n")
    write(in_tmp / "svc" / "skip" / "compose.yaml", COMPOSE)
    write(in_tmp / "svc" / "keep" / "compose.yaml", COMPOSE)
    import os

    os.chdir(in_tmp / "svc")
    run = run_cli("scan", "-f", "json")
    paths = {f["location"]["path"] for f in json.loads(run.stdout)["findings"]}
    assert paths == {"keep/compose.yaml"}


def test_per_path_ignores_silence_rules_for_matching_files(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "prod" / "compose.yaml", COMPOSE)
    write(in_tmp / "examples" / "compose.yaml", COMPOSE)
    write(in_tmp / ".stridescan.yaml", "per-path-ignores:\n  'examples/**': [E001, D]\n")
    findings = json.loads(run_cli("scan", "-f", "json").stdout)["findings"]
    example_codes = {f["rule"] for f in findings if f["location"]["path"].startswith("examples")}
    prod_codes = {f["rule"] for f in findings if f["location"]["path"].startswith("prod")}
    assert "E001" in prod_codes and "D001" in prod_codes
    assert example_codes == prod_codes - {"E001"} - carrying("D", prod_codes)


def test_no_config_ignores_the_file_and_config_picks_another(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", COMPOSE)
    write(in_tmp / ".stridescan.yaml", "select: [E001]\n")
    write(in_tmp / "other.yaml", "select: [D002]\n")
    assert codes(run_cli("scan", "-f", "json")) == {"E001"}
    assert codes(run_cli("scan", "-f", "json", "--no-config")) >= {"E001", "D002", "T001"}
    assert codes(run_cli("scan", "-f", "json", "--config", "other.yaml")) == {"D002"}


def test_init_writes_a_starter_config_once(in_tmp: Path, run_cli: Run) -> None:
    assert run_cli("init").code == 0
    assert (in_tmp / ".stridescan.yaml").read_text(encoding="utf-8") == STARTER_CONFIG
    again = run_cli("init")
    assert again.code == 2
    assert ".stridescan.yaml already exists" in again.stderr
    assert run_cli("init", "--force").code == 0


def test_scan_without_config_does_not_import_jsonschema_or_toml(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", COMPOSE)
    code = (
        "import sys; from stridescan.cli import main; main(['scan', '-f', 'json']); "
        "print(sorted(m for m in ('jsonschema', 'tomllib', 'tomli') if m in sys.modules), "
        "file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert '"rule": "E001"' in done.stdout, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


def readme_block(after: str) -> str:
    """The fenced block of README.md whose first line is `after`."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("\n" + after + "\n") + 1
    return text[start : text.index("```", start)]


def test_readme_example_config_is_valid(tmp_path: Path) -> None:
    path = write(tmp_path / ".stridescan.yaml", readme_block("# .stridescan.yaml"))
    config = load_config(path, all_rules())
    assert config.fail_on is Severity.MEDIUM
    assert config.severity == (("D001", Severity.HIGH),)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_config_file_sets_nothing(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / ".stridescan.yaml", text)
    assert load_config(path, all_rules()) == Config(path=path)
