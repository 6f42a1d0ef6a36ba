"""The `stridescan` command: argument wiring and exit codes only.

Exit codes: 0 no finding at or above --fail-on and every file scanned; 1 findings at or above
it, or files that could not be scanned; 2 usage or configuration error.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from stridescan import __version__

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


@app.command()
def scan(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories to scan; '-' reads standard input."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_on: Annotated[
        Threshold,
        typer.Option(help="Exit 1 when a finding has this severity or a higher one."),
    ] = Threshold.low,
    exclude: Annotated[
        list[str] | None,
        typer.Option(help="Glob of paths to skip (repeatable), e.g. 'tests/**'."),
    ] = None,
    stdin_filename: Annotated[
        str,
        typer.Option(help="Name to report for standard input; its name picks the format."),
    ] = "<stdin>",
    color: Annotated[ColorMode, typer.Option(help="Colour the text output.")] = ColorMode.auto,
) -> None:
    """Scan files and directories (default: the current directory)."""
    from stridescan.rules._meta import Severity
    from stridescan.rules._registry import all_rules
    from stridescan.scanner import STDIN, ScanRequest
    from stridescan.scanner import scan as run_scan
    from stridescan.sourcetext import MAX_FILE_BYTES

    targets = tuple(paths or ["."])
    stdin = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if STDIN in targets else None
    report = run_scan(
        ScanRequest(
            paths=targets,
            root=Path.cwd(),
            rules=all_rules(),
            excludes=tuple(exclude or ()),
            stdin=stdin,
            stdin_filename=stdin_filename,
        )
    )
    use_color = _use_color(color, output)
    if output_format is OutputFormat.json:
        from stridescan.reporters import json as reporter
    else:
        from stridescan.reporters import text as reporter  # type: ignore[no-redef]
    rendered = reporter.render(report, color=use_color)
    _write(rendered, output)
    threshold = Severity(fail_on.value).rank
    failed = report.problems or any(r.severity.rank >= threshold for r in report.results)
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


def _use_color(mode: ColorMode, output: Path | None) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _write(rendered: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(rendered)
        sys.stdout.flush()
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as error:
        typer.echo(f"stridescan: error: cannot write {output}: {error.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="stridescan")
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    return EXIT_OK
