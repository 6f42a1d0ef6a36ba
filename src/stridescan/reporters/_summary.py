"""Counts shared by the reporters: findings by severity and by STRIDE category."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from stridescan.engine import Result
from stridescan.resultstore import PackedResults
from stridescan.rules._meta import Severity, Stride

SEVERITIES_DESCENDING = tuple(sorted(Severity, key=lambda s: -s.rank))


def by_severity(results: Iterable[Result]) -> dict[Severity, int]:
    if isinstance(results, PackedResults):
        # Counted as they were packed: reading them again costs building every Result.
        counts = Counter[Severity]()
        for (_, severity), count in results.tally.items():
            counts[severity] += count
    else:
        counts = Counter(result.severity for result in results)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES_DESCENDING}


def by_stride(results: Iterable[Result]) -> dict[Stride, int]:
    """Each finding counts once for each STRIDE category its rule carries."""
    if isinstance(results, PackedResults):
        counts = Counter[Stride]()
        for (code, _), count in results.tally.items():
            for category in results.rules[code].stride:
                counts[category] += count
    else:
        counts = Counter(category for result in results for category in result.rule.stride)
    return {category: counts.get(category, 0) for category in Stride}
