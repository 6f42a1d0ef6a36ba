"""Run the rule catalogue over model objects.

A rule that raises is a bug of ours, not the user's: it becomes a Problem naming the rule and
the object, and the scan goes on. One setting gives one finding per rule: results at the
same place from the same rule (two containers mounting one hostPath volume) are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from stridescan.diagnostics import Problem
from stridescan.model import (
    ClusterObject,
    DaemonConfig,
    Image,
    Location,
    ModelObject,
    RbacObject,
    Workload,
)
from stridescan.rules._meta import Severity
from stridescan.rules._registry import Rule


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppression:
    """Why a result is silenced, as SARIF records it.

    `kind` is "inSource" (a comment or annotation in the scanned file) or "external" (the
    baseline file); `location` is where the suppression is written, when it is in a file.
    """

    kind: str
    justification: str
    location: Location | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """A finding as reported: the rule, where, what, and the source line it points at."""

    rule: Rule
    location: Location
    message: str
    severity: Severity
    source_line: str = ""
    # GitHub's primaryLocationLineHash of the line, and our line-independent key
    # (stridescan.fingerprint); set with source_line.
    line_hash: str = ""
    fingerprint: str = ""
    # Set on results the filter stage silenced; they are kept for SARIF only.
    suppression: Suppression | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule.code, self.message)


def model_objects(
    images: Iterable[Image],
    workloads: Iterable[Workload],
    rbac: Iterable[RbacObject] = (),
    daemons: Iterable[DaemonConfig] = (),
    cluster_objects: Iterable[ClusterObject] = (),
) -> Iterator[ModelObject]:
    """Every object a rule can take: images, workloads, each workload's containers, and
    RBAC Roles and bindings."""
    yield from images
    for workload in workloads:
        yield workload
        yield from workload.containers
    yield from rbac
    yield from daemons
    yield from cluster_objects


def run_rules(
    objects: Iterable[ModelObject], rules: Sequence[Rule]
) -> tuple[list[Result], list[Problem]]:
    results: dict[tuple[str, str, int, int], Result] = {}
    problems: list[Problem] = []
    for obj in objects:
        for rule in rules:
            if not rule.applies_to(obj):
                continue
            try:
                for finding in rule.run(obj):
                    loc = finding.at
                    key = (rule.code, loc.path, loc.line, loc.column)
                    if key not in results:
                        results[key] = Result(
                            rule=rule,
                            location=loc,
                            message=finding.message,
                            severity=rule.severity,
                        )
            except Exception as error:  # a broken rule must not end the scan
                problems.append(_internal_error(rule, obj, error))
    return sorted(results.values(), key=lambda r: r.sort_key), problems


def _internal_error(rule: Rule, obj: ModelObject, error: Exception) -> Problem:
    location = obj.location
    return Problem(
        path=location.path,
        line=location.line,
        column=location.column,
        message=f"internal error in rule {rule.code} ({type(error).__name__}: {error})",
        hint="please report this to the stridescan developers",
    )
