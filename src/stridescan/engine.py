"""Run the rule catalogue over model objects.

A rule that raises is a bug of ours, not the user's: it becomes a Problem naming the rule and
the object, and the scan goes on. One setting gives one finding per rule: results at the
same place from the same rule (two containers mounting one hostPath volume) are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from stridescan._frozen import dataclass
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
from stridescan.rules._meta import Format, Severity
from stridescan.rules._registry import Finding, Rule, obj_format

if TYPE_CHECKING:
    from stridescan.fingerprint import FileLineHashes


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
    # Which of the scan's findings with this rule, path and message this is, in report
    # order (1 for the first; 0 before source lines are set): what `fingerprint` hashes.
    occurrence: int = 0
    # The file's GitHub line hashes, shared by its results and computed on first use.
    line_hashes: FileLineHashes | None = field(default=None, repr=False, compare=False)
    # Set on results the filter stage silenced; they are kept for SARIF only.
    suppression: Suppression | None = None

    @property
    def line_hash(self) -> str:
        """GitHub's primaryLocationLineHash of the line; "" before source lines are set."""
        hashes = self.line_hashes
        return "" if hashes is None else hashes.of_line(self.location.line)

    @property
    def fingerprint(self) -> str:
        """Our line-independent key (stridescan.fingerprint); "" before source lines are set.
        Computed when asked for: only SARIF shows it, and 33 bytes a result add up."""
        if not self.occurrence:
            return ""
        from stridescan.fingerprint import logical_fingerprint

        return logical_fingerprint(
            self.rule.code, self.location.path, self.message, occurrence=self.occurrence
        )

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
    """The rules' results over `objects`, in report order; see `find`."""
    found, problems = find(objects, rules)
    results = [
        Result(rule=rule, location=finding.at, message=finding.message, severity=rule.severity)
        for rule, finding in found
    ]
    return results, problems


def find(
    objects: Iterable[ModelObject], rules: Sequence[Rule]
) -> tuple[list[tuple[Rule, Finding]], list[Problem]]:
    """What the rules find over `objects`, once per rule and place, in report order.

    The findings as the rules yield them, each with its rule: the per-file stage sends them
    on as tuples, and building a `Result` for each on the way cost a tenth of running rules.
    """
    found: dict[tuple[str, str, int, int], tuple[Rule, Finding]] = {}
    problems: list[Problem] = []
    plan = _plan(rules)
    for obj in objects:
        key = (type(obj), obj_format(obj))
        applicable = plan.get(key)
        if applicable is None:
            applicable = plan[key] = tuple(rule for rule in rules if rule.applies_to(obj))
        for rule in applicable:
            try:
                # Rule.run, inlined: this loop runs once per rule and object.
                check = rule.check
                findings = check(obj) if rule.options_type is None else check(obj, rule.options)
                for finding in findings:
                    loc = finding.at
                    found_key = (rule.code, loc.path, loc.line, loc.column)
                    if found_key not in found:
                        found[found_key] = (rule, finding)
            except Exception as error:  # a broken rule must not end the scan
                problems.append(_internal_error(rule, obj, error))
    return sorted(found.values(), key=_report_order), problems


def _report_order(found: tuple[Rule, Finding]) -> tuple[str, int, int, str, str]:
    """`Result.sort_key` of what `found` becomes."""
    rule, finding = found
    loc = finding.at
    return (loc.path, loc.line, loc.column, rule.code, finding.message)


# The rules that apply to each (object type, format), per set of rules: whether a rule
# applies depends on nothing else, and asking each rule of each object was a tenth of a scan.
# Keyed by the rules' identities; each entry keeps its rules alive, so no id is reused.
_Plan = dict[tuple[type, Format], tuple[Rule, ...]]
_PLANS: dict[tuple[int, ...], tuple[tuple[Rule, ...], _Plan]] = {}


def _plan(rules: Sequence[Rule]) -> _Plan:
    key = tuple(map(id, rules))
    entry = _PLANS.get(key)
    if entry is None:
        if len(_PLANS) >= 16:
            _PLANS.clear()
        entry = _PLANS[key] = (tuple(rules), {})
    return entry[1]


def _internal_error(rule: Rule, obj: ModelObject, error: Exception) -> Problem:
    location = obj.location
    return Problem(
        path=location.path,
        line=location.line,
        column=location.column,
        message=f"internal error in rule {rule.code} ({type(error).__name__}: {error})",
        hint="please report this to the stridescan developers",
    )
