"""The settings a scan runs with: defaults, overridden by the config file, overridden by the
command line.

How they combine: `--select` replaces the file's `select` *and* `ignore` (you asked for
exactly these); `--ignore` and `--exclude` add to the file's lists; `--fail-on` and the
on/off flags replace the file's value. Globs in the file are relative to its directory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from stridescan._frozen import dataclass
from stridescan.config import Config
from stridescan.diagnostics import UsageError
from stridescan.rules._meta import Severity
from stridescan.rules._registry import Rule
from stridescan.selection import Policy, SelectorError, resolve, select_rules

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandLine:
    """The filter options given on the command line; None / empty means "not given"."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: Severity | None = None
    fail_on_parse_error: bool | None = None
    require_suppression_reason: bool | None = None
    report_unused_suppressions: bool | None = None
    baseline: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    rules: tuple[Rule, ...]
    excludes: tuple[str, ...]
    policy: Policy
    fail_on: Severity = Severity.LOW
    fail_on_parse_error: bool = True
    require_suppression_reason: bool = False
    report_unused_suppressions: bool = False
    baseline: Path | None = None


def resolve_settings(
    config: Config, command_line: CommandLine, rules: Sequence[Rule], cwd: Path
) -> Settings:
    """Merge the three layers; UsageError for a command-line selector that names nothing."""
    severities = dict(config.severity)
    cli_select = _split(command_line.select)
    cli_ignore = _split(command_line.ignore)
    for option, selectors in (("--select", cli_select), ("--ignore", cli_ignore)):
        for selector in selectors:
            try:
                resolve(selector, rules, severities)
            except SelectorError as error:
                raise UsageError(f"{option}: {error}") from None
    if cli_select:
        chosen = select_rules(rules, cli_select, cli_ignore, severities)
    else:
        chosen = select_rules(rules, config.select, (*config.ignore, *cli_ignore), severities)
    options = dict(config.rule_options)
    chosen = tuple(
        rule.configured(options[rule.code]) if rule.code in options else rule for rule in chosen
    )
    prefix = _prefix(config.directory, cwd)
    config_excludes = (_rebase(glob, prefix) for glob in config.exclude)
    path_ignores = tuple(
        (glob, frozenset().union(*(resolve(s, rules, severities) for s in selectors)))
        for glob, selectors in config.per_path_ignores
    )
    return Settings(
        rules=chosen,
        excludes=(*(glob for glob in config_excludes if glob), *command_line.exclude),
        policy=Policy(severities=severities, path_ignores=path_ignores, path_prefix=prefix or ""),
        fail_on=_first(command_line.fail_on, config.fail_on, Severity.LOW),
        fail_on_parse_error=_first(
            command_line.fail_on_parse_error, config.fail_on_parse_error, True
        ),
        require_suppression_reason=_first(
            command_line.require_suppression_reason, config.require_suppression_reason, False
        ),
        report_unused_suppressions=_first(
            command_line.report_unused_suppressions, config.report_unused_suppressions, False
        ),
        baseline=command_line.baseline or config.baseline,
    )


def _first(given: T | None, from_file: T | None, default: T) -> T:
    if given is not None:
        return given
    return from_file if from_file is not None else default


def _split(values: Iterable[str]) -> tuple[str, ...]:
    """`--select E001,E002 --select D` -> (E001, E002, D)."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _prefix(config_dir: Path | None, cwd: Path) -> str | None:
    """The working directory relative to the config file's directory, or None if outside."""
    if config_dir is None:
        return ""
    try:
        relative = cwd.resolve().relative_to(config_dir.resolve())
    except ValueError:
        return None
    text = relative.as_posix()
    return "" if text == "." else text


def _rebase(glob: str, prefix: str | None) -> str | None:
    """A glob anchored at the config file's directory, re-anchored at the working directory;
    None when it can only match outside the working directory."""
    if not prefix:
        return glob
    bare = glob.rstrip("/")
    if "/" not in bare or bare.startswith(("*", "**/")):
        return glob
    if bare.startswith(prefix + "/"):
        return glob[len(prefix) + 1 :]
    return None
