"""The filter stage: from every result the rules produced to the ones the user wants.

Order: per-path ignores and severity overrides, then inline suppressions (annotations and
comments), then the baseline. Silenced results are kept apart, each carrying its
`Suppression`, so the SARIF reporter can show them; text and JSON leave them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from stridescan._frozen import dataclass
from stridescan.diagnostics import Notice, Problem
from stridescan.engine import Result, Suppression, find, model_objects, run_rules
from stridescan.model import Location, Workload
from stridescan.parsing import ParsedFile
from stridescan.rules._registry import Rule, all_rules
from stridescan.selection import Policy
from stridescan.suppressions import (
    InlineSuppression,
    notices,
    object_suppression,
    silence_lines,
    silence_object,
)

if TYPE_CHECKING:
    # Imported when a baseline is given: it pulls in json and hashlib, which a plain scan
    # does not need at start-up.
    from stridescan.baseline import Baseline


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterOptions:
    policy: Policy | None = None
    require_suppression_reason: bool = False
    report_unused_suppressions: bool = False
    baseline: Baseline | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Filtered:
    results: tuple[Result, ...]
    suppressed: tuple[Result, ...]
    notices: tuple[Notice, ...]


# A finding as the per-file stage sends it on: (rule code, where, message, the suppression
# that silenced it).
CompactResult = tuple[str, Location, str, Suppression | None]


def run_file_rules(
    file: ParsedFile, rules: Sequence[Rule]
) -> tuple[list[CompactResult], list[Problem], list[InlineSuppression]]:
    """Run the rules over one file; results of an annotated object come back silenced.

    An annotated object runs on its own so its results are known to be its own (a container
    knows its workload only by name), without the rules ever seeing annotations. Results
    come back compact, as the per-file stage sends them on: no `Result` is built here.
    """
    catalogue = all_rules() if file.workloads else ()
    plain = []
    annotated: list[tuple[InlineSuppression, list[Result]]] = []
    problems: list[Problem] = []
    for workload in file.workloads:
        suppression = object_suppression(workload, catalogue)
        if suppression is None:
            plain.append(workload)
            continue
        found, failed = run_rules(model_objects((), (workload,)), rules)
        annotated.append((suppression, found))
        problems.extend(failed)
    objects = model_objects(
        file.images, plain, file.rbac, file.daemons, cluster_objects=file.cluster_objects
    )
    hits, failed = find(objects, rules)
    problems.extend(failed)
    results: list[CompactResult] = [
        (rule.code, finding.at, finding.message, None) for rule, finding in hits
    ]
    for suppression, found in annotated:
        results.extend(
            (r.rule.code, r.location, r.message, r.suppression)
            for r in silence_object(found, suppression)
        )
    return results, problems, [suppression for suppression, _ in annotated]


def run_workload_rules(
    workload: Workload, rules: Sequence[Rule]
) -> tuple[list[CompactResult], list[Problem]]:
    """What `run_file_rules` gives for a file of `workload` alone, its annotation aside.

    The per-file stage runs the API-access rules over each workload twice this way; a
    `ParsedFile` for each run, and the file's other kinds of objects, cost more than the rules.
    """
    suppression = object_suppression(workload, all_rules())
    if suppression is not None:
        results, problems = run_rules(model_objects((), (workload,)), rules)
        silenced = silence_object(results, suppression)
        return [(r.rule.code, r.location, r.message, r.suppression) for r in silenced], problems
    found, problems = find(model_objects((), (workload,)), rules)
    return [(rule.code, finding.at, finding.message, None) for rule, finding in found], problems


def finish(
    results: Sequence[Result],
    annotations: Sequence[InlineSuppression],
    *,
    options: FilterOptions,
    comments_of: Callable[[str], Sequence[InlineSuppression]],
    scanned_paths: Sequence[str],
) -> Filtered:
    """Apply comment suppressions and the baseline to results that already have their
    source lines; `comments_of` gives a file's `# stridescan:` comments (found by the
    per-file stage, `suppressions.comment_suppressions`)."""
    # Comments matter only in files with findings, unless unused ones must be reported.
    paths = scanned_paths if options.report_unused_suppressions else _paths_of(results)
    comments = [found for path in paths for found in comments_of(path)]
    marked = silence_lines(results, comments)
    found_notices = notices(
        [*annotations, *comments],
        marked,
        require_reason=options.require_suppression_reason,
        report_unused=options.report_unused_suppressions,
    )
    if options.baseline is not None:
        from stridescan.baseline import apply as apply_baseline

        marked, stale = apply_baseline(options.baseline, marked, scanned_paths)
        found_notices.extend(stale)
    found_notices.sort(key=notice_order)
    return Filtered(
        results=tuple(r for r in marked if r.suppression is None),
        suppressed=tuple(r for r in marked if r.suppression is not None),
        notices=tuple(found_notices),
    )


def notice_order(notice: Notice) -> tuple[str, int, str]:
    """Notices are reported by file, line and message."""
    return (notice.path, notice.line or 0, notice.message)


def _paths_of(results: Sequence[Result]) -> list[str]:
    return sorted({result.location.path for result in results})
