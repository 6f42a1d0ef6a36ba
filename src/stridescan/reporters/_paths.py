"""Report paths as GitHub reads them: relative to the repository root."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path, PurePosixPath

from stridescan.engine import Result
from stridescan.model import Location
from stridescan.resultstore import mapped
from stridescan.scanner import ScanReport


def relative_to_repository(report: ScanReport) -> ScanReport:
    """The report with paths relative to the repository root, when it ran below one.

    GitHub reads every relative URI from the root of the repository, whatever
    `originalUriBaseIds` says; a scan run in `services/api` reports `deploy/compose.yaml`,
    which GitHub must see as `services/api/deploy/compose.yaml`.
    """
    if report.root is None:
        return report
    scan_root = Path(os.path.abspath(report.root))  # noqa: PTH100  (keep the name)
    repository = next(
        (folder for folder in (scan_root, *scan_root.parents) if (folder / ".git").exists()),
        None,
    )
    if repository is None or repository == scan_root:
        return report
    prefix = scan_root.relative_to(repository).as_posix() + "/"

    def moved(location: Location) -> Location:
        if PurePosixPath(location.path).is_absolute():
            return location
        return replace(location, path=prefix + location.path)

    def result(item: Result) -> Result:
        suppression = item.suppression
        if suppression is not None and suppression.location is not None:
            suppression = replace(suppression, location=moved(suppression.location))
        return replace(item, location=moved(item.location), suppression=suppression)

    def path(text: str) -> str:
        return text if PurePosixPath(text).is_absolute() else prefix + text

    return replace(
        report,
        root=repository,
        # Still packed when the scan packed them (stridescan.resultstore).
        results=mapped(report.results, result),
        suppressed=mapped(report.suppressed, result),
        problems=tuple(replace(p, path=path(p.path)) for p in report.problems),
        notices=tuple(replace(n, path=path(n.path)) for n in report.notices),
    )
