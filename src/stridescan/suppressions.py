"""Inline suppressions: accepted risks silenced where they are written, with a reason.

- `# stridescan: ignore[E001,privileged-container] reason` at the end of a line silences
  those rules on that line; on a line of its own, on the next line that is not a comment.
- `# stridescan: ignore-file[E003] reason` anywhere silences them in the whole file.
- The Kubernetes annotation `stridescan.dev/ignore: "E001,E003"` (reason in
  `stridescan.dev/ignore-reason`) silences them for the object and its containers.

The YAML composer drops comments, so comments are found by a cheap scan of the raw lines.
Silenced results are kept, marked with a `Suppression`, for the SARIF reporter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from stridescan._frozen import dataclass
from stridescan.diagnostics import Notice
from stridescan.engine import Result, Suppression
from stridescan.model import Location, Workload
from stridescan.rules._registry import Rule
from stridescan.selection import SelectorError, resolve

ANNOTATION = "stridescan.dev/ignore"
REASON_ANNOTATION = "stridescan.dev/ignore-reason"
_COMMENT = re.compile(
    r"(?:^|\s)(?P<hash>#)\s*stridescan:\s*(?P<scope>ignore-file|ignore)\s*\[(?P<names>[^\]]*)\]"
    r"[ \t]*(?P<reason>.*)$"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class InlineSuppression:
    """One suppression as written. `target_line`: the line a "line" suppression silences
    (None when no line follows it); the "file" and "object" scopes silence every line."""

    location: Location  # where the comment or annotation is
    target_line: int | None
    codes: frozenset[str]
    unknown: tuple[str, ...]  # names that match no rule
    reason: str
    scope: str  # "line", "file" or "object"

    def silences(self, result: Result) -> bool:
        if result.rule.code not in self.codes or result.location.path != self.location.path:
            return False
        return self.scope != "line" or self.target_line == result.location.line

    def as_suppression(self) -> Suppression:
        return Suppression(kind="inSource", justification=self.reason, location=self.location)


def comment_suppressions(
    path: str, lines: Sequence[str], rules: Sequence[Rule]
) -> list[InlineSuppression]:
    """Every `# stridescan:` comment of one file's lines."""
    found: list[InlineSuppression] = []
    for index, line in enumerate(lines):
        if "stridescan" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        scope = "file" if match["scope"] == "ignore-file" else "line"
        target: int | None = None
        if scope == "line":
            target = index + 1
            if line.lstrip().startswith("#"):
                target = _next_code_line(lines, index)
        codes, unknown = _codes(match["names"].split(","), rules)
        found.append(
            InlineSuppression(
                location=Location(path=path, line=index + 1, column=match.start("hash") + 1),
                target_line=target,
                codes=codes,
                unknown=unknown,
                reason=match["reason"].strip(),
                scope=scope,
            )
        )
    return found


def _next_code_line(lines: Sequence[str], index: int) -> int | None:
    for after in range(index + 1, len(lines)):
        if not lines[after].lstrip().startswith("#"):
            return after + 1
    return None


def object_suppression(workload: Workload, rules: Sequence[Rule]) -> InlineSuppression | None:
    """The `stridescan.dev/ignore` annotation of a Kubernetes object, if it has one."""
    annotations = dict(workload.annotations)
    names = annotations.get(ANNOTATION)
    if names is None:
        return None
    codes, unknown = _codes(names.split(","), rules)
    return InlineSuppression(
        location=workload.location,
        target_line=None,
        codes=codes,
        unknown=unknown,
        reason=annotations.get(REASON_ANNOTATION, "").strip(),
        scope="object",
    )


def _codes(names: Iterable[str], rules: Sequence[Rule]) -> tuple[frozenset[str], tuple[str, ...]]:
    codes: set[str] = set()
    unknown: list[str] = []
    for name in (name.strip() for name in names):
        if not name:
            continue
        try:
            codes |= resolve(name, rules)
        except SelectorError:
            unknown.append(name)
    return frozenset(codes), tuple(unknown)


def silence_object(results: Iterable[Result], suppression: InlineSuppression) -> list[Result]:
    """All results of one object, those its annotation names marked as suppressed."""
    return [
        replace(result, suppression=suppression.as_suppression())
        if result.suppression is None and result.rule.code in suppression.codes
        else result
        for result in results
    ]


def silence_lines(
    results: Iterable[Result], suppressions: Sequence[InlineSuppression]
) -> list[Result]:
    """Results with those a comment silences marked; a line comment wins over a file one."""
    by_path: dict[str, list[InlineSuppression]] = {}
    for suppression in sorted(suppressions, key=lambda s: s.scope != "line"):
        by_path.setdefault(suppression.location.path, []).append(suppression)
    out: list[Result] = []
    for result in results:
        candidates = by_path.get(result.location.path, ())
        match = next((s for s in candidates if s.silences(result)), None)
        if result.suppression is None and match is not None:
            result = replace(result, suppression=match.as_suppression())
        out.append(result)
    return out


def notices(
    suppressions: Iterable[InlineSuppression],
    results: Iterable[Result],
    *,
    require_reason: bool,
    report_unused: bool,
) -> list[Notice]:
    """Unknown rule names always; missing reasons and unused suppressions when asked."""
    used = {
        (r.suppression.location.path, r.suppression.location.line)
        for r in results
        if r.suppression is not None and r.suppression.location is not None
    }
    out: list[Notice] = []
    for suppression in suppressions:
        where = suppression.location
        what = "annotation" if suppression.scope == "object" else "suppression"
        for name in suppression.unknown:
            out.append(
                Notice(
                    path=where.path,
                    line=where.line,
                    message=f"{what} names no rule {name!r}; use a code or slug from "
                    "`stridescan rules`",
                )
            )
        if require_reason and not suppression.reason:
            advice = (
                f"add a `{REASON_ANNOTATION}` annotation"
                if suppression.scope == "object"
                else "write the reason after the closing bracket"
            )
            out.append(
                Notice(
                    path=where.path, line=where.line, message=f"{what} gives no reason; {advice}"
                )
            )
        if report_unused and (where.path, where.line) not in used:
            out.append(
                Notice(
                    path=where.path,
                    line=where.line,
                    message=f"unused {what}: it silences nothing here; remove it",
                )
            )
    return out
