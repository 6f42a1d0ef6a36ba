"""Rule options: each one changes exactly the findings it documents, through the real CLI;
bad options are configuration errors with their line; the registry refuses checks whose
signature does not match their options."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, CliRun
from stridescan.config import Config, ConfigError, load_config, schema
from stridescan.docs import explain_text
from stridescan.model import Container
from stridescan.rule_options import refreshed_schema_text, schema_parts
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import CapabilityOptions, SecretNameOptions, option
from stridescan.rules._registry import Finding, all_rules, find_rule, rule
from stridescan.settings import CommandLine, resolve_settings
from stridescan.starter import STARTER_CONFIG

Run = Callable[..., CliRun]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(run_cli: Run, code: str, *args: str) -> set[int]:
    """The lines `code` is reported at when scanning the working directory."""
    run = run_cli("scan", "-f", "json", *args)
    assert run.code in (0, 1), run.stderr
    findings = json.loads(run.stdout)["findings"]
    return {f["location"]["line"] for f in findings if f["rule"] == code}


def with_and_without(run_cli: Run, root: Path, code: str, options: str) -> tuple[set[int], ...]:
    """(lines without a config, lines with `options` under rule-options)."""
    before = found(run_cli, code, "--no-config")
    write(root / ".stridescan.yaml", f"rule-options:\n{options}")
    return before, found(run_cli, code)


CAPABILITIES = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    cap_add:
      - NET_ADMIN
      - SYS_ADMIN
      - SYS_TIME
      - SYS_NICE
"""


def test_allowed_dangerous_capability_is_not_reported(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", CAPABILITIES)
    options = "  dangerous-capability-added:\n    allowed: [CAP_NET_ADMIN]\n"
    assert with_and_without(run_cli, in_tmp, "E102", options) == ({5, 6}, {6})


def test_allowed_non_default_capability_is_not_reported(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", CAPABILITIES)
    options = "  E103:\n    allowed: [sys_time]\n"
    assert with_and_without(run_cli, in_tmp, "E103", options) == ({7, 8}, {8})


def test_allowed_default_capability_is_not_reported_under_restricted(
    in_tmp: Path, run_cli: Run
) -> None:
    write(
        in_tmp / "pod.yaml",
        """\
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]
          add: [CHOWN, SETUID]
""",
    )
    options = "  capabilities-not-restricted:\n    allowed: [CHOWN]\n"
    before, after = with_and_without(run_cli, in_tmp, "E209", options)
    assert before == {12}
    assert after == {12}  # SETUID is still reported on the same line
    run = run_cli("scan", "-f", "json")
    messages = [f["message"] for f in json.loads(run.stdout)["findings"] if f["rule"] == "E209"]
    assert len(messages) == 1 and "SETUID" in messages[0]


def test_capability_allowed_for_one_rule_is_still_reported_by_another(
    in_tmp: Path, run_cli: Run
) -> None:
    write(in_tmp / "compose.yaml", CAPABILITIES)
    write(in_tmp / ".stridescan.yaml", "rule-options:\n  E103:\n    allowed: [SYS_ADMIN]\n")
    assert found(run_cli, "E102") == {5, 6}


SECRETS = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    environment:
      DB_PIN: "4711"
      APP_PASSPHRASE: correct-horse
      NEXT_PUBLIC_API_KEY: pk_live_abc123
      DB_PASSWORD: s3cr3t-Passw0rd
      PUBLIC_URL: postgres://app:hunter2@db/app
"""


def test_extra_secret_names_add_words_that_end_a_name(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", SECRETS)
    options = "  I102:\n    extra-names: [PIN, 'PASS(PHRASE|WORD)']\n"
    assert with_and_without(run_cli, in_tmp, "I102", options) == ({7, 8, 9}, {5, 6, 7, 8, 9})


def test_extra_secret_names_must_end_the_name(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", SECRETS)
    write(in_tmp / ".stridescan.yaml", "rule-options:\n  I102:\n    extra-names: [DB]\n")
    assert found(run_cli, "I102") == {7, 8, 9}


def test_extra_secret_names_apply_to_dockerfile_env_and_arg(in_tmp: Path, run_cli: Run) -> None:
    write(
        in_tmp / "Dockerfile",
        "FROM alpine:3.20\nARG SIGNING_PIN=1234\nENV APP_PASSPHRASE=correct-horse\nUSER app\n",
    )
    options = "  secret-in-environment:\n    extra-names: [pin, passphrase]\n"
    assert with_and_without(run_cli, in_tmp, "I102", options) == (set(), {2, 3})


def test_ignored_secret_names_are_not_reported(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", SECRETS)
    options = "  I102:\n    ignore-names: ['next_public_.*', PUBLIC_URL]\n"
    assert with_and_without(run_cli, in_tmp, "I102", options) == ({7, 8, 9}, {8})


def test_ignore_names_match_whole_names_only(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", SECRETS)
    write(in_tmp / ".stridescan.yaml", "rule-options:\n  I102:\n    ignore-names: [DB]\n")
    assert found(run_cli, "I102") == {7, 8, 9}


SECRET_FILES = """\
FROM alpine:3.20
COPY prod.tfvars /app/
COPY test/fixtures/server.key /app/
COPY config/prod/settings.ini /app/
COPY id_rsa /root/.ssh/
USER app
"""


def test_extra_secret_files_match_name_or_path(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "Dockerfile", SECRET_FILES)
    options = "  I103:\n    extra-files: ['*.tfvars', 'config/prod/*']\n"
    assert with_and_without(run_cli, in_tmp, "I103", options) == ({3, 5}, {2, 3, 4, 5})


def test_ignored_secret_files_are_not_reported(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "Dockerfile", SECRET_FILES)
    options = "  secret-file-copied:\n    ignore-files: ['test/fixtures/*']\n"
    assert with_and_without(run_cli, in_tmp, "I103", options) == ({3, 5}, {5})


IMAGES = """\
services:
  a:
    image: registry.example.com/api:1.4.2
  b:
    image: ghcr.io/acme/tool:2.0
  c:
    image: ghcr.io/acmeco/tool:2.0
  d:
    image: redis:7.4.1
  e:
    image: registry.example.com/api:latest
"""


def test_images_from_trusted_registries_need_no_digest(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", IMAGES)
    options = "  T104:\n    trusted-registries: [Registry.Example.com, ghcr.io/acme/]\n"
    assert with_and_without(run_cli, in_tmp, "T104", options) == ({3, 5, 7, 9}, {7, 9})


def test_docker_hub_is_trusted_as_docker_io(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", IMAGES)
    options = "  image-not-pinned-by-digest:\n    trusted-registries: [docker.io]\n"
    assert with_and_without(run_cli, in_tmp, "T104", options) == ({3, 5, 7, 9}, {3, 5, 7})


def test_trusted_registries_apply_to_dockerfile_from(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "Dockerfile", "FROM registry.example.com/base:1.2\nUSER app\n")
    options = "  T104:\n    trusted-registries: [registry.example.com]\n"
    assert with_and_without(run_cli, in_tmp, "T104", options) == ({1}, set())


def test_trusted_registry_images_with_latest_are_still_unpinned(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", IMAGES)
    options = "  T104:\n    trusted-registries: [registry.example.com]\n"
    assert with_and_without(run_cli, in_tmp, "T103", options) == ({11}, {11})


# --- loading ------------------------------------------------------------------------------


def test_rule_options_are_read_by_code_or_slug(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".stridescan.yaml",
        "rule-options:\n  secret-in-environment:\n    extra-names: [PIN]\n"
        "  E102:\n    allowed: [NET_ADMIN]\n",
    )
    assert load_config(path, all_rules()).rule_options == (
        ("E102", CapabilityOptions(allowed=("NET_ADMIN",))),
        ("I102", SecretNameOptions(extra_names=("PIN",))),
    )


def test_rule_options_are_read_from_pyproject_tables(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        '[tool.stridescan.rule-options.E102]\nallowed = ["NET_ADMIN"]\n',
    )
    assert load_config(path, all_rules()).rule_options == (
        ("E102", CapabilityOptions(allowed=("NET_ADMIN",))),
    )


def test_without_options_every_rule_runs_with_its_defaults() -> None:
    settings = resolve_settings(Config(), CommandLine(), all_rules(), REPO)
    for configurable in (r for r in settings.rules if r.options_type is not None):
        assert configurable.options == configurable.options_type()


def test_configured_options_reach_only_their_rule(tmp_path: Path) -> None:
    path = write(tmp_path / ".stridescan.yaml", "rule-options:\n  E103:\n    allowed: [X]\n")
    settings = resolve_settings(load_config(path, all_rules()), CommandLine(), all_rules(), REPO)
    options = {r.code: r.options for r in settings.rules if r.options_type is not None}
    assert options["E103"] == CapabilityOptions(allowed=("X",))
    assert options["E102"] == CapabilityOptions()


INVALID = [
    ("rule-options:\n  E001:\n    allowed: [X]\n", 2, "'E001' is not a rule with options"),
    ("rule-options:\n  E102:\n    allow: [X]\n", 3, "'allow' is not an option of this rule"),
    ("rule-options:\n  E102:\n    allowed: NET_ADMIN\n", 3, "E102.allowed must be a list"),
    ("rule-options:\n  E102:\n    allowed: [1]\n", 3, "allowed[0] must be a string"),
    ("rule-options:\n  E102: [NET_ADMIN]\n", 2, "rule-options.E102 must be a mapping"),
    ("rule-options: [E102]\n", 1, "rule-options must be a mapping"),
    ("rule-options:\n  I102:\n    extra-names: ['(']\n", 3, "'(' is not a valid regular"),
    ("rule-options:\n  I102:\n    ignore-names:\n      - ok\n      - '[a'\n", 5, "[1]: '[a'"),
    ("rule-options:\n  I102: {}\n  secret-in-environment: {}\n", 3, "both name I102"),
]


@pytest.mark.parametrize(("text", "line", "message"), INVALID)
def test_invalid_rule_options_name_the_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path / ".stridescan.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    assert caught.value.line == line
    assert message in caught.value.message


def test_unknown_option_lists_the_valid_ones(tmp_path: Path) -> None:
    path = write(tmp_path / ".stridescan.yaml", "rule-options:\n  T104:\n    registries: []\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, all_rules())
    assert caught.value.message.endswith("valid: trusted-registries")


def test_bad_rule_option_exits_2_with_file_and_line(in_tmp: Path, run_cli: Run) -> None:
    write(in_tmp / "compose.yaml", CAPABILITIES)
    write(in_tmp / ".stridescan.yaml", "fail-on: high\nrule-options:\n  E102:\n    allowed: 3\n")
    run = run_cli("scan")
    assert run.code == 2
    assert ".stridescan.yaml:4: error: rule-options.E102.allowed must be a list" in run.stderr


# --- schema, docs and starter -------------------------------------------------------------


def test_schema_file_holds_the_options_of_every_configurable_rule() -> None:
    document = schema()
    prop, definitions = schema_parts(all_rules())
    assert document["properties"]["rule-options"] == prop
    assert {name: document["$defs"].get(name) for name in definitions} == definitions
    text = (REPO / "schemas" / "config.schema.json").read_text(encoding="utf-8")
    fresh = refreshed_schema_text(text, all_rules())
    assert text == fresh, "stale: run .venv/bin/python -m stridescan.rule_options"


def test_refreshing_the_schema_replaces_a_stale_options_part() -> None:
    text = (REPO / "schemas" / "config.schema.json").read_text(encoding="utf-8")
    stale = text.replace('"trusted-registries"', '"old-registries"')
    assert stale != text
    assert refreshed_schema_text(stale, all_rules()) == text


def test_explain_lists_a_rules_options_with_type_and_default() -> None:
    rule_e102 = find_rule("E102")
    assert rule_e102 is not None
    text = explain_text(rule_e102)
    assert "# Options" in text
    assert "| `allowed` | list | `[]` |" in text


def test_rules_without_options_have_no_options_section() -> None:
    rule_e001 = find_rule("E001")
    assert rule_e001 is not None and rule_e001.options_type is None
    assert "Options" not in explain_text(rule_e001)


def test_generated_docs_list_every_option() -> None:
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for key in ("allowed", "extra-names", "ignore-names", "trusted-registries"):
        assert f"| `{key}` |" in docs


def test_starter_configs_commented_options_are_valid_when_uncommented(tmp_path: Path) -> None:
    block = STARTER_CONFIG.split("rule-options: {}\n", 1)[1]
    uncommented = "rule-options:\n" + "".join(
        line[1:] + "\n" for line in block.splitlines() if line.startswith("#  ")
    )
    path = write(tmp_path / ".stridescan.yaml", uncommented)
    codes = [code for code, _ in load_config(path, all_rules()).rule_options]
    assert codes == ["E102", "I102", "T104"]


# --- the registry -------------------------------------------------------------------------

# A real rule module, so the registry finds a complete docstring before the signature check.
RULE_MODULE = "stridescan.rules.e102_dangerous_capability_added"


def register(check: Callable[..., Iterator[Finding]], options: type | None) -> None:
    check.__module__ = RULE_MODULE
    rule(
        code="E998",
        slug="test-only-rule",
        title="test only",
        stride=(Stride.ELEVATION_OF_PRIVILEGE,),
        severity=Severity.LOW,
        formats=(Format.COMPOSE,),
        references=(),
        options=options,
    )(check)


def test_registry_refuses_options_the_check_does_not_take() -> None:
    def check(container: Container) -> Iterator[Finding]:
        yield from ()

    with pytest.raises(TypeError, match="must take \\(object, options: CapabilityOptions\\)"):
        register(check, CapabilityOptions)


def test_registry_refuses_an_options_parameter_of_another_type() -> None:
    def check(container: Container, options: SecretNameOptions) -> Iterator[Finding]:
        yield from ()

    with pytest.raises(TypeError, match="options: CapabilityOptions"):
        register(check, CapabilityOptions)


def test_registry_refuses_a_second_parameter_without_options() -> None:
    def check(container: Container, options: CapabilityOptions) -> Iterator[Finding]:
        yield from ()

    with pytest.raises(TypeError, match="takes one parameter"):
        register(check, None)


def test_registry_refuses_an_options_class_that_is_not_frozen() -> None:
    @dataclass
    class Loose:
        allowed: tuple[str, ...] = option((), "anything")

    def check(container: Container, options: Loose) -> Iterator[Finding]:
        yield from ()

    with pytest.raises(TypeError, match="must be a frozen dataclass"):
        register(check, Loose)


def test_registry_refuses_an_option_without_a_default_and_description() -> None:
    @dataclass(frozen=True)
    class Bare:
        allowed: tuple[str, ...] = ()

    def check(container: Container, options: Bare) -> Iterator[Finding]:
        yield from ()

    with pytest.raises(TypeError, match="declared with option"):
        register(check, Bare)


def test_registry_refuses_an_option_of_an_unsupported_type() -> None:
    @dataclass(frozen=True)
    class Ratio:
        limit: float = option(0.5, "a ratio")

    def check(container: Container, options: Ratio) -> Iterator[Finding]:
        yield from ()

    with pytest.raises(TypeError, match="unsupported type"):
        register(check, Ratio)


def test_a_rule_refuses_options_of_another_class() -> None:
    rule_e102 = find_rule("E102")
    assert rule_e102 is not None
    with pytest.raises(TypeError):
        rule_e102.configured(SecretNameOptions())
    assert rule_e102.configured(CapabilityOptions(allowed=("X",))).options.allowed == ("X",)
