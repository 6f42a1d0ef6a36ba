"""From what the user typed to a `ScanRequest`: find and load the config file, merge it with
the command line, load the baseline, narrow the paths to changed files.

Kept out of cli.py so the command line stays wiring only, and so `scan` and
`baseline create` prepare their scans the same way.
"""

from __future__ import annotations

from pathlib import Path

from stridescan._frozen import dataclass
from stridescan.config import Config, find_config, load_config
from stridescan.filtering import FilterOptions
from stridescan.rules._registry import Rule
from stridescan.scanner import STDIN, ScanRequest
from stridescan.settings import CommandLine, Settings, resolve_settings


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
    request: ScanRequest
    settings: Settings


def prepare(
    *,
    paths: tuple[str, ...],
    cwd: Path,
    command_line: CommandLine,
    config_file: Path | None = None,
    no_config: bool = False,
    changed_since: str | None = None,
    use_baseline: bool = True,
    stdin: bytes | None = None,
    stdin_filename: str = "<stdin>",
) -> Prepared:
    """Everything a scan needs; UsageError (or ConfigError) for anything the user must fix."""
    from stridescan.rules._registry import all_rules

    rules = all_rules()
    config = _config(paths, cwd, config_file, no_config, rules)
    settings = resolve_settings(config, command_line, rules, cwd)
    baseline = None
    if use_baseline and settings.baseline is not None:
        from stridescan.baseline import load

        baseline = load(settings.baseline)
    targets = paths
    if changed_since is not None:
        from stridescan.changes import changed_files, narrow

        changed = changed_files(changed_since, cwd)
        disk = [path for path in paths if path != STDIN]
        targets = narrow(disk, changed, root=cwd, excludes=settings.excludes)
        if STDIN in paths:
            targets = (*targets, STDIN)
    request = ScanRequest(
        paths=targets,
        root=cwd,
        rules=settings.rules,
        excludes=settings.excludes,
        stdin=stdin,
        stdin_filename=stdin_filename,
        filters=FilterOptions(
            policy=settings.policy,
            require_suppression_reason=settings.require_suppression_reason,
            report_unused_suppressions=settings.report_unused_suppressions,
            baseline=baseline,
        ),
    )
    return Prepared(request=request, settings=settings)


def _config(
    paths: tuple[str, ...], cwd: Path, given: Path | None, no_config: bool, rules: tuple[Rule, ...]
) -> Config:
    from stridescan.diagnostics import UsageError

    if given is not None:
        if not given.is_file():
            raise UsageError(f"--config: {given}: no such file")
        return load_config(given, rules)
    if no_config:
        return Config()
    disk = [path for path in paths if path != STDIN]
    start = cwd / disk[0] if disk else cwd
    found = find_config(start)
    return load_config(found, rules) if found is not None else Config()
