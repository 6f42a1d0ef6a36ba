"""The per-file stage: parse a unit of files, link it and run the per-file rules over it.

What comes back is compact (results by rule code, problems, suppressions and the file's
`FileSummary`), never the model, so a unit can run in another process (stridescan.parallel)
and the merge that follows is the same whichever process ran it. Each result comes back
finished (`finish_outcomes`): with its source line, and each file with its suppression
comments, so that no file's text reaches or stays in the
parent, and the parent builds each `Result` once.

A unit is the files that must be seen together: the compose files of one directory (a base
file and its overrides, merged as `docker compose` merges them); every other file is a unit
of its own. Nothing else needs another file's parse tree: a compose `build:` Dockerfile and a
file named by `extends` are read from disk on demand, and whether a RoleBinding in some other
file grants a workload's service account a role is decided after this stage: the rules that
read `Workload.api_access` run both ways here (`AccountResults`) and the merge keeps one.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path

from stridescan._frozen import dataclass, replace
from stridescan.compose_merge import merge_overrides, resolve_extends
from stridescan.diagnostics import ParseError, Problem
from stridescan.discovery import SourceFile
from stridescan.engine import Result, Suppression
from stridescan.filtering import run_file_rules, run_workload_rules
from stridescan.interpolation import dotenv_beside
from stridescan.inventory import FileSummary, summarize
from stridescan.linking import ServiceAccount, link, service_account
from stridescan.model import Image, Location, ModelObject, SourceKind, Workload
from stridescan.parsing import ParsedFile, parse_source
from stridescan.rules._registry import Rule, all_rules
from stridescan.sourcetext import read_source
from stridescan.suppressions import InlineSuppression, comment_suppressions

#: The rules whose answer depends on `Workload.api_access` (a test keeps this list honest).
API_ACCESS_RULES = frozenset({"I202"})

REPORT_IT = "please report this to the stridescan developers"

# (rule code, where, message, the suppression that silenced it): a Result without its Rule,
# which the merge looks up again by code.
Found = tuple[str, Location, str, Suppression | None]
# A Found finished in its unit: + the text of its line (None when its file is not one of
# the unit's, and the parent reads it).
Finding = tuple[str, Location, str, Suppression | None, str | None]


@dataclass(frozen=True, slots=True)
class Unit:
    sources: tuple[SourceFile, ...]
    size: int  # bytes on disk, to balance the work between processes


@dataclass(frozen=True, slots=True, kw_only=True)
class StageContext:
    root: Path
    rules: tuple[Rule, ...]
    # Keep the linked model in each outcome: only when the stage runs in this process.
    keep_files: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountResults:
    """What the API-access rules find on one workload when its service account is bound to
    a role somewhere in the scan and when it is not; the merge picks one."""

    account: ServiceAccount
    unbound: tuple[Finding, ...]
    unbound_problems: tuple[Problem, ...]
    bound: tuple[Finding, ...]
    bound_problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FileOutcome:
    path: str
    kind: SourceKind | None
    problems: tuple[Problem, ...] = ()
    found: tuple[Finding, ...] = ()
    annotations: tuple[InlineSuppression, ...] = ()
    # The file's `# stridescan:` comments; None when its text could not be read.
    comments: tuple[InlineSuppression, ...] | None = None
    summary: FileSummary = field(default_factory=FileSummary)
    accounts: tuple[AccountResults, ...] = ()
    file: ParsedFile | None = None


def plan_units(sources: Sequence[SourceFile]) -> list[Unit]:
    """The files grouped into units, in the order of each unit's first file."""
    groups: dict[str, list[SourceFile]] = {}
    order: list[list[SourceFile]] = []
    for source in sources:
        if source.kind is SourceKind.COMPOSE:
            directory = posixpath.dirname(source.display)
            if directory not in groups:
                groups[directory] = []
                order.append(groups[directory])
            groups[directory].append(source)
        else:
            order.append([source])
    return [Unit(sources=tuple(group), size=sum(map(_size, group))) for group in order]


def _size(source: SourceFile) -> int:
    try:
        return source.path.stat().st_size if source.path is not None else 0
    except OSError:
        return 0


def run_unit(
    unit: Unit, context: StageContext, loaded: dict[str, Image | None]
) -> list[FileOutcome]:
    """Parse, link and check one unit; `loaded` caches Dockerfiles read for `build:`.

    An unexpected error (a bug, or MemoryError) becomes a problem on each file of the unit,
    the same in every process, instead of ending the scan.
    """
    try:
        read = [parse_file(source, loaded) for source in unit.sources]
        texts = {parsed.path: text for parsed, text in read if text is not None}
        parsed = [file for file, _ in read]
        del read
        return finish_outcomes(check_files(parsed, context, loaded), texts)
    except Exception as error:
        return failed(unit, f"internal error while scanning ({type(error).__name__}: {error})")


def parse_file(
    source: SourceFile, loaded: Mapping[str, Image | None] | None = None
) -> tuple[ParsedFile, str | None]:
    """One file from disk, parsed, and its text (None when it could not be read)."""
    assert source.path is not None
    try:
        text = read_source(source.path)
    except ParseError as error:
        if source.kind is None and not source.explicit:
            return ParsedFile(path=source.display, kind=None), None
        problem = error.to_problem(source.display)
        return ParsedFile(path=source.display, kind=source.kind, problems=(problem,)), None
    image = loaded.get(source.display) if loaded and source.kind is SourceKind.DOCKERFILE else None
    if image is not None:
        # Read and parsed for a compose `build:` of an earlier unit, from this same file.
        return ParsedFile(path=source.display, kind=source.kind, images=(image,)), text
    # Compose reads `${VAR}` from the `.env` beside the file; Dockerfiles have their own ARGs.
    variables = dotenv_beside(source.path) if source.kind is not SourceKind.DOCKERFILE else None
    return parse_source(text, source.display, source.kind, variables=variables), text


def failed(unit: Unit, message: str, hint: str = REPORT_IT) -> list[FileOutcome]:
    """One problem per file of a unit that could not be scanned."""
    return [
        FileOutcome(
            path=source.display,
            kind=source.kind,
            problems=(
                Problem(
                    path=source.display,
                    line=None,
                    column=None,
                    message=message,
                    hint=hint,
                ),
            ),
        )
        for source in unit.sources
    ]


def check_files(
    parsed: Sequence[ParsedFile], context: StageContext, loaded: dict[str, Image | None]
) -> list[FileOutcome]:
    """The per-file stage after parsing: merge compose files, link, run the rules."""
    linked = link(merge_overrides(resolve_extends(parsed, context.root)), context.root, loaded)
    plain = tuple(rule for rule in context.rules if rule.code not in API_ACCESS_RULES)
    account_rules = tuple(rule for rule in context.rules if rule.code in API_ACCESS_RULES)
    return [_check_file(file, plain, account_rules, context.keep_files) for file in linked]


def _check_file(
    file: ParsedFile, plain: Sequence[Rule], account_rules: Sequence[Rule], keep: bool
) -> FileOutcome:
    if file.kind is None:
        return FileOutcome(
            path=file.path, kind=None, problems=file.problems, file=file if keep else None
        )
    results, rule_problems, annotations = run_file_rules(file, plain)
    accounts = (
        tuple(_account_results(workload, account_rules) for workload in file.workloads)
        if account_rules
        else ()
    )
    return FileOutcome(
        path=file.path,
        kind=file.kind,
        problems=(*file.problems, *rule_problems),
        found=tuple(map(unfinished, results)),
        annotations=tuple(annotations),
        summary=summarize(file),
        accounts=accounts,
        file=file if keep else None,
    )


def _account_results(workload: Workload, rules: Sequence[Rule]) -> AccountResults:
    account = service_account(workload)
    objects: tuple[ModelObject, ...] = (workload, *workload.containers)
    if not any(rule.applies_to(obj) for obj in objects for rule in rules):
        # A compose service: none of the rules runs on it, so both ways find nothing.
        return AccountResults(
            account=account, unbound=(), unbound_problems=(), bound=(), bound_problems=()
        )

    def run(api_access: bool) -> tuple[tuple[Finding, ...], tuple[Problem, ...]]:
        # The workload as linked has api_access False: copied only for the other way.
        subject = (
            workload
            if workload.api_access == api_access
            else replace(workload, api_access=api_access)
        )
        # Its annotations were returned by the run over the whole file.
        results, problems = run_workload_rules(subject, rules)
        return tuple(map(unfinished, results)), tuple(problems)

    unbound, unbound_problems = run(False)
    bound, bound_problems = run(True)
    return AccountResults(
        account=account,
        unbound=unbound,
        unbound_problems=unbound_problems,
        bound=bound,
        bound_problems=bound_problems,
    )


def compact(results: Iterable[Result]) -> tuple[Found, ...]:
    return tuple((r.rule.code, r.location, r.message, r.suppression) for r in results)


def unfinished(found: Found) -> Finding:
    return (*found, None)


def finish_outcomes(outcomes: Sequence[FileOutcome], texts: Mapping[str, str]) -> list[FileOutcome]:
    """The unit's outcomes with their findings finished (`Finding`) and each file's
    suppression comments found, from `texts`: the text of each of the unit's files, by path.
    """
    catalogue = all_rules()
    lines_by_path: dict[str, list[str] | None] = {}

    def lines_of(path: str) -> list[str] | None:
        if path not in lines_by_path:
            text = texts.get(path)
            lines_by_path[path] = None if text is None else split_lines(text)
        return lines_by_path[path]

    def finished(finding: Finding) -> Finding:
        code, location, message, suppression, _ = finding
        lines = lines_of(location.path)
        line = location.line
        if lines is None:
            return finding
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return (code, location, message, suppression, text)

    out: list[FileOutcome] = []
    for outcome in outcomes:
        accounts = tuple(
            replace(
                account,
                unbound=tuple(map(finished, account.unbound)),
                bound=tuple(map(finished, account.bound)),
            )
            if account.unbound or account.bound
            else account  # most workloads: nothing to finish, and a copy costs
            for account in outcome.accounts
        )
        text = texts.get(outcome.path)
        comments = None
        if text is not None:
            # Most files have none; the raw text is searched once before any line is.
            comments = (
                tuple(comment_suppressions(outcome.path, lines_of(outcome.path) or [], catalogue))
                if "stridescan" in text
                else ()
            )
        out.append(
            replace(
                outcome,
                found=tuple(map(finished, outcome.found)),
                accounts=accounts,
                comments=comments,
            )
        )
    return out


def split_lines(text: str) -> list[str]:
    """Lines as the parsers number them: split at LF only (splitlines also splits at form
    feeds and Unicode separators, which would shift every line after one)."""
    return text.split("\n")
