"""The `stridescan` command: argument wiring and exit codes only.

Exit codes: 0 no finding at or above --fail-on and every file scanned; 1 findings at or above
it, or files that could not be scanned; 2 usage or configuration error.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridescan import __version__

if TYPE_CHECKING:
    from stridescan.limits import Limits
    from stridescan.parallel import Jobs
    from stridescan.prepare import Prepared
    from stridescan.rules._meta import Severity
    from stridescan.scanner import ScanReport
    from stridescan.settings import CommandLine

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="stridescan",
    help="STRIDE-tagged security checks for Dockerfiles, Docker Compose and Kubernetes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"
    markdown = "markdown"
    sarif = "sarif"


class Threshold(str, enum.Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class ColorMode(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


class CatalogueFormat(str, enum.Enum):
    text = "text"
    markdown = "markdown"


class ThreatModelFormat(str, enum.Enum):
    markdown = "markdown"
    html = "html"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stridescan {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """STRIDE-tagged security checks for Dockerfiles, Docker Compose and Kubernetes."""


_SELECT = typer.Option(
    help="Run only these rules (repeatable or comma-separated): code, slug, STRIDE letter "
    "or name, severity, benchmark, or 'all'. Replaces the config file's select and ignore.",
)
_IGNORE = typer.Option(
    help="Do not run these rules (repeatable or comma-separated); adds to the config file's.",
)
_CONFIG = typer.Option(
    help="Use this config file instead of the nearest .stridescan.yaml / pyproject.toml.",
    dir_okay=False,
)
_NO_CONFIG = typer.Option("--no-config", help="Ignore configuration files.")
_EXCLUDE = typer.Option(help="Glob of paths to skip (repeatable), e.g. 'tests/**'.")
_REPORT_OUTPUT = typer.Option("--output", "-o", help="Write the report to this file.")
_MAX_FILE_SIZE = typer.Option(
    metavar="SIZE",
    help="Report files larger than this as not scanned, e.g. 64M "
    "(default: $STRIDESCAN_MAX_FILE_SIZE, else 32M).",
)


@app.command()
def scan(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories to scan; '-' reads standard input."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    output: Annotated[Path | None, _REPORT_OUTPUT] = None,
    fail_on: Annotated[
        Threshold | None,
        typer.Option(
            help="Exit 1 when a finding has this severity or a higher one (default: low)."
        ),
    ] = None,
    exclude: Annotated[list[str] | None, _EXCLUDE] = None,
    stdin_filename: Annotated[
        str,
        typer.Option(help="Name to report for standard input; its name picks the format."),
    ] = "<stdin>",
    color: Annotated[ColorMode, typer.Option(help="Colour the text output.")] = ColorMode.auto,
    select: Annotated[list[str] | None, _SELECT] = None,
    ignore: Annotated[list[str] | None, _IGNORE] = None,
    config: Annotated[Path | None, _CONFIG] = None,
    no_config: Annotated[bool, _NO_CONFIG] = False,
    fail_on_parse_error: Annotated[
        bool | None,
        typer.Option(
            "--fail-on-parse-error/--no-fail-on-parse-error",
            help="Exit 1 when a file cannot be scanned (default: on).",
            show_default=False,
        ),
    ] = None,
    require_suppression_reason: Annotated[
        bool | None,
        typer.Option(
            "--require-suppression-reason",
            help="Report inline suppressions that give no reason.",
            show_default=False,
        ),
    ] = None,
    report_unused_suppressions: Annotated[
        bool | None,
        typer.Option(
            "--report-unused-suppressions",
            help="Report inline suppressions that silence nothing.",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Report only findings not in this baseline file."),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            metavar="REF",
            help="Scan only files that differ from this git ref, and the files they depend on.",
        ),
    ] = None,
    max_file_size: Annotated[str | None, _MAX_FILE_SIZE] = None,
    summary: Annotated[
        Path | None,
        typer.Option(
            help="With --format github: write the Markdown job summary to this file "
            "(default: append to $GITHUB_STEP_SUMMARY when it is set).",
            dir_okay=False,
        ),
    ] = None,
    sarif_output: Annotated[
        Path | None,
        typer.Option(
            help="Also write a SARIF report to this file, whatever --format says.",
            dir_okay=False,
        ),
    ] = None,
    sarif_category: Annotated[
        str,
        typer.Option(
            help="SARIF run.automationDetails.id: GitHub code scanning's category, up to the "
            "last '/'; give each scan of one commit its own (e.g. 'stridescan/backend/').",
        ),
    ] = "stridescan/",
    jobs: Annotated[
        str,
        typer.Option(
            metavar="N|auto",
            help="Processes that parse and check files. auto: one per usable CPU, but none "
            "for fewer than 32 files or 48 KiB, where starting them costs more than it saves.",
        ),
    ] = "auto",
) -> None:
    """Scan files and directories (default: the current directory)."""
    from dataclasses import replace

    from stridescan.limits import applied
    from stridescan.scanner import STDIN
    from stridescan.scanner import scan as run_scan
    from stridescan.settings import CommandLine

    bounds = _limits(max_file_size)
    processes = _jobs(jobs)
    targets = tuple(paths or ["."])
    stdin = sys.stdin.buffer.read(bounds.max_file_bytes + 1) if STDIN in targets else None
    command_line = CommandLine(
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
        exclude=tuple(exclude or ()),
        fail_on=_severity(fail_on),
        fail_on_parse_error=fail_on_parse_error,
        require_suppression_reason=require_suppression_reason,
        report_unused_suppressions=report_unused_suppressions,
        baseline=baseline,
    )
    prepared = _prepare(
        targets,
        command_line,
        config,
        no_config,
        changed_since=changed_since,
        stdin=stdin,
        stdin_filename=stdin_filename,
    )
    settings = prepared.settings
    with applied(bounds):
        report = run_scan(replace(prepared.request, jobs=processes))
    use_color = _use_color(color, output)
    if output_format is OutputFormat.json:
        from stridescan.reporters import json as reporter
    elif output_format is OutputFormat.github:
        from stridescan.reporters import github as reporter  # type: ignore[no-redef]
    elif output_format is OutputFormat.markdown:
        from stridescan.reporters import markdown as reporter  # type: ignore[no-redef]
    else:
        from stridescan.reporters import text as reporter  # type: ignore[no-redef]
    if output_format is OutputFormat.sarif:
        _write_chunks(_sarif(report, sarif_category), output)
    elif output_format in (OutputFormat.json, OutputFormat.text):
        _write_chunks(reporter.chunks(report, color=use_color), output)
    else:
        _write(reporter.render(report, color=use_color), output)
    if output_format is OutputFormat.github:
        _write_job_summary(report, summary)
    if sarif_output is not None:
        _write_chunks(_sarif(report, sarif_category), sarif_output)
    threshold = settings.fail_on.rank
    failed = (report.problems and settings.fail_on_parse_error) or any(
        r.severity.rank >= threshold for r in report.results
    )
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command("rules")
def list_rules(
    output_format: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help="text, or markdown (docs/rules.md).")
    ] = CatalogueFormat.text,
) -> None:
    """List the rule catalogue."""
    from stridescan.docs import catalogue_markdown, rules_table
    from stridescan.rules._registry import all_rules

    rules = all_rules()
    if output_format is CatalogueFormat.markdown:
        typer.echo(catalogue_markdown(rules), nl=False)
    else:
        typer.echo(rules_table(rules), nl=False)


@app.command()
def explain(rule: Annotated[str, typer.Argument(help="A rule code or slug, e.g. E001.")]) -> None:
    """Show one rule's documentation: what it flags, why, an example and the fix."""
    from stridescan.docs import explain_text
    from stridescan.rules._registry import find_rule

    found = find_rule(rule)
    if found is None:
        typer.echo(f"stridescan: error: no rule {rule!r}; `stridescan rules` lists them", err=True)
        raise typer.Exit(EXIT_USAGE)
    typer.echo(explain_text(found), nl=False)


@app.command("threat-model")
def threat_model(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories to model (default: the current directory)."),
    ] = None,
    output_format: Annotated[
        ThreatModelFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ThreatModelFormat.markdown,
    output: Annotated[Path | None, _REPORT_OUTPUT] = None,
    title: Annotated[str, typer.Option(help="The report's title.")] = "Threat model",
    link_base: Annotated[
        str,
        typer.Option(
            metavar="URL",
            help="Markdown: prefix evidence links with this, e.g. "
            "https://github.com/OWNER/REPO/blob/SHA/ (default: relative links).",
        ),
    ] = "",
    exclude: Annotated[list[str] | None, _EXCLUDE] = None,
    select: Annotated[list[str] | None, _SELECT] = None,
    ignore: Annotated[list[str] | None, _IGNORE] = None,
    config: Annotated[Path | None, _CONFIG] = None,
    no_config: Annotated[bool, _NO_CONFIG] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(help="List findings in this baseline file as accepted risks."),
    ] = None,
    max_file_size: Annotated[str | None, _MAX_FILE_SIZE] = None,
) -> None:
    """Write a STRIDE threat model of the scanned deployment: inventory, trust boundaries,
    diagram, threats per category, hardening plan and accepted risks. Exits 0 once written."""
    from stridescan.limits import applied
    from stridescan.settings import CommandLine
    from stridescan.threatmodel.command import Form, render_threat_model

    bounds = _limits(max_file_size)
    command_line = CommandLine(
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
        exclude=tuple(exclude or ()),
        baseline=baseline,
    )
    prepared = _prepare(tuple(paths or ["."]), command_line, config, no_config)
    with applied(bounds):
        rendered = render_threat_model(
            prepared, Form(output_format.value), title=title, link_base=link_base
        )
    _write(rendered, output)


baseline_app = typer.Typer(
    help="Record the current findings so later scans report only new ones.",
    no_args_is_help=True,
)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("create")
def baseline_create(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories to scan (default: the current directory)."),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The baseline file to write.")
    ] = Path(".stridescan-baseline.json"),
    exclude: Annotated[list[str] | None, _EXCLUDE] = None,
    select: Annotated[list[str] | None, _SELECT] = None,
    ignore: Annotated[list[str] | None, _IGNORE] = None,
    config: Annotated[Path | None, _CONFIG] = None,
    no_config: Annotated[bool, _NO_CONFIG] = False,
) -> None:
    """Write the findings of a scan to a baseline file (sorted JSON, for review)."""
    from stridescan import baseline
    from stridescan.scanner import scan as run_scan
    from stridescan.settings import CommandLine

    command_line = CommandLine(
        select=tuple(select or ()), ignore=tuple(ignore or ()), exclude=tuple(exclude or ())
    )
    targets = tuple(paths or ["."])
    prepared = _prepare(targets, command_line, config, no_config, use_baseline=False)
    report = run_scan(prepared.request)
    for problem in report.problems:
        typer.echo(f"stridescan: warning: {problem.render()}", err=True)
    _write(baseline.render(report.results), output)
    noun = "finding" if len(report.results) == 1 else "findings"
    typer.echo(f"stridescan: recorded {len(report.results)} {noun} in {output}", err=True)


@app.command()
def init(
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter .stridescan.yaml in the current directory."""
    from stridescan.starter import STARTER_CONFIG

    target = Path(".stridescan.yaml")
    if target.exists() and not force:
        typer.echo(
            f"stridescan: error: {target} already exists; edit it, or use --force to replace it",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    _write(STARTER_CONFIG, target)
    typer.echo(f"stridescan: wrote {target}; `stridescan scan` now reads it", err=True)


def _prepare(
    targets: tuple[str, ...],
    command_line: CommandLine,
    config: Path | None,
    no_config: bool,
    *,
    changed_since: str | None = None,
    use_baseline: bool = True,
    stdin: bytes | None = None,
    stdin_filename: str = "<stdin>",
) -> Prepared:
    """The scan request from options and config; usage errors end the run with exit 2."""
    from stridescan.diagnostics import UsageError
    from stridescan.prepare import prepare

    try:
        return prepare(
            paths=targets,
            cwd=Path.cwd(),
            command_line=command_line,
            config_file=config,
            no_config=no_config,
            changed_since=changed_since,
            use_baseline=use_baseline,
            stdin=stdin,
            stdin_filename=stdin_filename,
        )
    except UsageError as error:
        message = str(error)
        prefix = "stridescan: " if ": error: " in message else "stridescan: error: "
        typer.echo(prefix + message, err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _limits(max_file_size: str | None) -> Limits:
    """The limits from the environment and --max-file-size; a bad value ends with exit 2."""
    from dataclasses import replace

    from stridescan.diagnostics import UsageError
    from stridescan.limits import from_environment, parse_size

    try:
        bounds = from_environment()
        if max_file_size is not None:
            bounds = replace(bounds, max_file_bytes=parse_size(max_file_size, "--max-file-size"))
    except UsageError as error:
        typer.echo(f"stridescan: error: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    return bounds


def _jobs(text: str) -> Jobs:
    """--jobs as a number or "auto"; a bad value ends with exit 2."""
    from stridescan.diagnostics import UsageError
    from stridescan.parallel import parse_jobs

    try:
        return parse_jobs(text)
    except UsageError as error:
        typer.echo(f"stridescan: error: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _severity(threshold: Threshold | None) -> Severity | None:
    from stridescan.rules._meta import Severity

    return Severity(threshold.value) if threshold is not None else None


def _use_color(mode: ColorMode, output: Path | None) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _write_job_summary(report: ScanReport, summary: Path | None) -> None:
    """--summary FILE is written afresh; $GITHUB_STEP_SUMMARY is appended to, as GitHub
    expects (other steps of the job may have written to it)."""
    from stridescan.reporters import markdown

    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary is None and not step_summary:
        return
    target = summary if summary is not None else Path(str(step_summary))
    mode = "w" if summary is not None else "a"
    try:
        with target.open(mode, encoding="utf-8") as stream:
            stream.write(markdown.render(report))
    except OSError as error:
        typer.echo(f"stridescan: error: cannot write {target}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _sarif(report: ScanReport, category: str) -> Iterator[str]:
    """--format sarif and --sarif-output write the same log, in pieces (`_write_chunks`)."""
    from stridescan.reporters import sarif

    return sarif.chunks(report, category=category)


def _write(rendered: str, output: Path | None) -> None:
    # A file name that is not UTF-8 reaches us as lone surrogates: write them as \udcXX
    # escapes (valid in JSON strings) rather than as bytes that break UTF-8 readers.
    rendered = rendered.encode("utf-8", "backslashreplace").decode("utf-8")
    if output is None:
        sys.stdout.write(rendered)
        sys.stdout.flush()
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as error:
        typer.echo(f"stridescan: error: cannot write {output}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _write_chunks(chunks: Iterable[str], output: Path | None) -> None:
    """`_write` for a report made in pieces: written in batches of about 64 kB, so a large
    report is never held whole in memory."""
    stream = sys.stdout
    try:
        if output is not None:
            stream = output.open("w", encoding="utf-8")
        batch: list[str] = []
        size = 0
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk)
            if size >= 65536:
                stream.write("".join(batch).encode("utf-8", "backslashreplace").decode("utf-8"))
                batch, size = [], 0
        stream.write("".join(batch).encode("utf-8", "backslashreplace").decode("utf-8"))
        stream.flush()
    except OSError as error:
        if output is None:
            raise
        typer.echo(f"stridescan: error: cannot write {output}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        if stream is not sys.stdout:
            stream.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="stridescan")
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    return EXIT_OK
