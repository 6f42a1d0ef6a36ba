"""A `ThreatModel` from a scan that kept its model (`ScanRequest(keep_model=True)`).

Findings, suppressions and rule selection come from the normal scan, so configuration
applies exactly as for `stridescan scan`; the model adds what the findings alone cannot
say: which component each finding belongs to, what crosses a trust boundary, what was
checked when nothing was found.

A finding belongs to the component whose declaration is the nearest one at or above its
line in the same file (a compose service's key, a Kubernetes object's `kind:` line); a
Dockerfile or daemon.json is one component for the whole file. Findings of scan-wide rules
(a namespace without a NetworkPolicy) and of files with no component get rows of their own.
"""

from __future__ import annotations

import bisect
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from stridescan import __version__
from stridescan.engine import Result
from stridescan.model import Cluster
from stridescan.rules._meta import Severity, Stride, reference_title
from stridescan.rules._registry import Rule
from stridescan.scanner import ScanReport
from stridescan.threatmodel.boundaries import trust_boundaries
from stridescan.threatmodel.components import Inventory, build_inventory, evidence
from stridescan.threatmodel.diagram import build_diagram
from stridescan.threatmodel.report import (
    MEANINGS,
    STRIDE_ORDER,
    AcceptedRisk,
    CategorySection,
    CheckedRule,
    Component,
    ComponentKind,
    Coverage,
    Evidence,
    HardeningStep,
    MatrixCell,
    MatrixRow,
    Occurrence,
    Reference,
    ScanProblem,
    Threat,
    ThreatModel,
)

HARDENING_STEPS = 10
SCAN_WIDE = "scan_wide"


def build_threat_model(report: ScanReport, *, title: str = "Threat model") -> ThreatModel:
    """The threat model of a scan; `report.files` must hold the linked model."""
    if report.files_scanned and not report.files:
        raise ValueError("the scan kept no model: scan with ScanRequest(keep_model=True)")
    report, prefix = _rebased(report)

    def paths(path: str) -> str:
        return path if PurePosixPath(path).is_absolute() else prefix + path

    inventory = build_inventory(report.files, paths)
    owner = _Owners(inventory, prefix)
    owned = [(result, owner.of(result)) for result in report.results]
    suppressed = [(result, owner.of(result)) for result in report.suppressed]
    components = _with_findings(inventory.components + owner.extra, owned)
    matrix = _matrix(components, owned)
    boundaries = trust_boundaries(components)
    return ThreatModel(
        tool_version=__version__,
        title=title,
        components=tuple(components),
        boundaries=boundaries,
        matrix=matrix,
        categories=tuple(_category(c, report.rules, owned) for c in STRIDE_ORDER),
        hardening_plan=_hardening_plan(owned),
        accepted_risks=tuple(_accepted(result, component) for result, component in suppressed),
        diagram=build_diagram(components, boundaries),
        coverage=Coverage(
            files_scanned=report.files_scanned,
            rules_run=len(report.rules),
            findings=len(report.results),
            suppressed=len(report.suppressed),
            problems=tuple(
                ScanProblem(path=p.path, line=p.line, message=p.message) for p in report.problems
            ),
            limitations=tuple(inventory.limitations),
        ),
    )


def _rebased(report: ScanReport) -> tuple[ScanReport, str]:
    """The report with repository-relative paths (as SARIF), and the prefix model paths
    need to match."""
    from stridescan.reporters._paths import relative_to_repository

    rebased = relative_to_repository(report)
    if rebased.root is None or report.root is None or rebased.root == report.root:
        return rebased, ""
    scan_root = Path(os.path.abspath(report.root))  # noqa: PTH100  (as _paths does)
    return rebased, scan_root.relative_to(rebased.root).as_posix() + "/"


class _Owners:
    """Which component a finding belongs to."""

    def __init__(self, inventory: Inventory, prefix: str) -> None:
        self._anchors = {prefix + path: anchors for path, anchors in inventory.anchors.items()}
        self._lines = {path: [line for line, _ in a] for path, a in self._anchors.items()}
        self._names = {c.id: c for c in inventory.components}
        self.extra: list[Component] = []
        self._extra_by_path: dict[str, str] = {}

    def of(self, result: Result) -> str:
        if result.rule.targets == (Cluster,):
            return self._scan_wide()
        path = result.location.path
        anchors = self._anchors.get(path)
        if not anchors:
            return self._file(path)
        index = bisect.bisect_right(self._lines[path], result.location.line) - 1
        return anchors[max(index, 0)][1]

    def _scan_wide(self) -> str:
        if SCAN_WIDE not in self._extra_by_path:
            self._extra_by_path[SCAN_WIDE] = SCAN_WIDE
            self.extra.append(
                Component(
                    id=SCAN_WIDE,
                    name="cluster (scan-wide checks)",
                    kind=ComponentKind.OTHER,
                    object_kind="Cluster",
                    evidence=Evidence(path="", line=0),
                    group="g_cluster",
                )
            )
        return SCAN_WIDE

    def _file(self, path: str) -> str:
        if path not in self._extra_by_path:
            component_id = f"file_{len(self._extra_by_path) + 1}"
            self._extra_by_path[path] = component_id
            self.extra.append(
                Component(
                    id=component_id,
                    name=path,
                    kind=ComponentKind.OTHER,
                    object_kind="file",
                    evidence=Evidence(path=path, line=1),
                )
            )
        return self._extra_by_path[path]


def _worst(severities: Iterable[Severity]) -> Severity | None:
    return max(severities, key=lambda s: s.rank, default=None)


def _with_findings(
    components: list[Component], owned: Sequence[tuple[Result, str]]
) -> list[Component]:
    by_component: dict[str, list[Severity]] = defaultdict(list)
    for result, component in owned:
        by_component[component].append(result.severity)
    return [
        replace(c, findings=len(by_component[c.id]), worst_severity=_worst(by_component[c.id]))
        for c in components
    ]


def _matrix(
    components: Sequence[Component], owned: Sequence[tuple[Result, str]]
) -> tuple[MatrixRow, ...]:
    """One row per component with findings, in inventory order."""
    cells: dict[tuple[str, Stride], list[Severity]] = defaultdict(list)
    totals: dict[str, list[Severity]] = defaultdict(list)
    for result, component in owned:
        totals[component].append(result.severity)
        for category in result.rule.stride:
            cells[(component, category)].append(result.severity)
    return tuple(
        MatrixRow(
            component=c.id,
            cells=tuple(
                MatrixCell(count=len(cells[(c.id, s)]), worst=_worst(cells[(c.id, s)]))
                for s in STRIDE_ORDER
            ),
            total=len(totals[c.id]),
            worst=_worst(totals[c.id]),
        )
        for c in components
        if totals.get(c.id)
    )


def _references(rule: Rule) -> tuple[Reference, ...]:
    return tuple(Reference(id=ref, title=reference_title(ref)) for ref in rule.references)


def _category(
    category: Stride, rules: Sequence[Rule], owned: Sequence[tuple[Result, str]]
) -> CategorySection:
    by_rule: dict[str, list[tuple[Result, str]]] = defaultdict(list)
    for result, component in owned:
        if category in result.rule.stride:
            by_rule[result.rule.code].append((result, component))
    threats = [_threat(category, found) for found in by_rule.values()]
    threats.sort(key=lambda t: (not t.primary, -t.severity.rank, t.code))
    checked = sorted(
        (
            CheckedRule(code=r.code, slug=r.slug, title=r.title)
            for r in rules
            if category in r.stride
        ),
        key=lambda r: r.code,
    )
    return CategorySection(
        category=category,
        title=category.label,
        meaning=MEANINGS[category],
        threats=tuple(threats),
        checked=tuple(checked),
    )


def _threat(category: Stride, found: Sequence[tuple[Result, str]]) -> Threat:
    rule = found[0][0].rule
    occurrences = tuple(
        Occurrence(evidence=_result_evidence(result), component=component, severity=result.severity)
        for result, component in sorted(found, key=lambda item: item[0].sort_key)
    )
    return Threat(
        code=rule.code,
        slug=rule.slug,
        title=rule.title,
        severity=_worst(o.severity for o in occurrences) or rule.severity,
        primary=rule.stride[0] is category,
        categories=rule.stride,
        components=tuple(sorted({component for _, component in found})),
        occurrences=occurrences,
        mitigation=rule.docs.fix_summary,
        references=_references(rule),
    )


def _result_evidence(result: Result) -> Evidence:
    loc = result.location
    return Evidence(path=loc.path, line=loc.line, column=loc.column, text=result.message)


def _hardening_plan(owned: Sequence[tuple[Result, str]]) -> tuple[HardeningStep, ...]:
    """One fix per rule, the fixes that remove the most severe findings first."""
    by_rule: dict[str, list[tuple[Result, str]]] = defaultdict(list)
    for result, component in owned:
        by_rule[result.rule.code].append((result, component))

    def weight(found: list[tuple[Result, str]]) -> tuple[int, int, int, str]:
        severities = [result.severity for result, _ in found]
        return (
            -severities.count(Severity.CRITICAL),
            -severities.count(Severity.HIGH),
            -len(found),
            found[0][0].rule.code,
        )

    ranked = sorted(by_rule.values(), key=weight)[:HARDENING_STEPS]
    steps = []
    for rank, found in enumerate(ranked, start=1):
        rule = found[0][0].rule
        severities = [result.severity for result, _ in found]
        steps.append(
            HardeningStep(
                rank=rank,
                code=rule.code,
                slug=rule.slug,
                title=rule.title,
                fix=rule.docs.fix_summary,
                severity=_worst(severities) or rule.severity,
                critical=severities.count(Severity.CRITICAL),
                high=severities.count(Severity.HIGH),
                total=len(found),
                components=tuple(sorted({component for _, component in found})),
                references=_references(rule),
            )
        )
    return tuple(steps)


def _accepted(result: Result, component: str) -> AcceptedRisk:
    suppression = result.suppression
    at = suppression.location if suppression is not None else None
    return AcceptedRisk(
        code=result.rule.code,
        slug=result.rule.slug,
        title=result.rule.title,
        severity=result.severity,
        categories=result.rule.stride,
        evidence=_result_evidence(result),
        component=component,
        kind=suppression.kind if suppression is not None else "inSource",
        reason=(suppression.justification if suppression is not None else "") or "no reason given",
        suppressed_at=evidence(at, lambda p: p) if at is not None else None,
    )
