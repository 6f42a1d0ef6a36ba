"""Counts shared by the reporters: findings by severity and by STRIDE category."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from stridescan.engine import Result
from stridescan.rules._meta import Severity, Stride

SEVERITIES_DESCENDING = tuple(sorted(Severity, key=lambda s: -s.rank))


def by_severity(results: Iterable[Result]) -> dict[Severity, int]:
    counts = Counter(result.severity for result in results)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES_DESCENDING}


def by_stride(results: Iterable[Result]) -> dict[Stride, int]:
    """Each finding counts once for each STRIDE category its rule carries."""
    counts = Counter(category for result in results for category in result.rule.stride)
    return {category: counts.get(category, 0) for category in Stride}
