"""Which rules run and how their results are graded: the selector language shared by the
config file, the command line and inline suppressions, plus the per-path policy.

A selector names a rule (code, slug or alias), a STRIDE category (letter or name), a
severity, a benchmark (`pss-restricted`, `cis-docker-1.6`) or `all`. Severity selectors use
the severity after overrides, so `ignore: [low]` also drops a rule overridden down to low.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from stridescan._frozen import dataclass
from stridescan.engine import Result
from stridescan.rules._meta import Severity, Stride, is_known_reference
from stridescan.rules._registry import Rule, find_rule

ALL = "all"
#: A benchmark level includes the levels below it: restricted builds on baseline.
_BENCHMARK_INCLUDES = {"pss-restricted": ("pss-restricted", "pss-baseline")}
VALID_CHOICES = (
    "a rule code or slug (`stridescan rules`), a STRIDE letter or name (E, "
    "elevation-of-privilege), a severity (low, medium, high, critical), a benchmark "
    "(pss-baseline, pss-restricted, cis-docker, nsa-k8s) or all"
)


class SelectorError(ValueError):
    """A selector that names nothing; the message lists what is valid."""


def resolve(
    selector: str, rules: Sequence[Rule], severities: Mapping[str, Severity] | None = None
) -> frozenset[str]:
    """The codes of the rules `selector` names; SelectorError when it names nothing known."""
    text = selector.strip()
    lowered = text.lower()
    if lowered == ALL:
        return frozenset(rule.code for rule in rules)
    found = find_rule(text)
    if found is not None:
        return frozenset({found.code})
    try:
        category = Stride.parse(text)
    except ValueError:
        pass
    else:
        return frozenset(rule.code for rule in rules if category in rule.stride)
    if lowered in {severity.value for severity in Severity}:
        graded = severities or {}
        return frozenset(
            rule.code for rule in rules if graded.get(rule.code, rule.severity).value == lowered
        )
    standards = _BENCHMARK_INCLUDES.get(lowered, (lowered,))
    matched = frozenset(
        rule.code
        for rule in rules
        for reference in rule.references
        if any(_is_standard(reference, standard) for standard in standards)
    )
    if matched or is_known_reference(lowered):
        return matched
    raise SelectorError(f"{selector!r} names no rule; valid: {VALID_CHOICES}")


def _is_standard(reference: str, standard: str) -> bool:
    name = reference.partition(":")[0]
    return name == standard or name.startswith(standard + "-")


def select_rules(
    rules: Sequence[Rule],
    select: Iterable[str] | None,
    ignore: Iterable[str],
    severities: Mapping[str, Severity] | None = None,
) -> tuple[Rule, ...]:
    """The rules named by `select` (all when None) and not by `ignore`, in catalogue order."""
    chosen: set[str] = set()
    for selector in [ALL] if select is None else select:
        chosen |= resolve(selector, rules, severities)
    for selector in ignore:
        chosen -= resolve(selector, rules, severities)
    return tuple(rule for rule in rules if rule.code in chosen)


def glob_matches(path: str, pattern: str) -> bool:
    """Whether a POSIX relative path matches a glob, by full path or by file name."""
    pattern = pattern.rstrip("/")
    name = path.rsplit("/", 1)[-1]
    if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(name, pattern):
        return True
    if fnmatch.fnmatchcase(path, pattern + "/*"):
        return True
    return pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:])


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """Severity overrides and per-path ignores, applied to results after the rules ran.

    `path_prefix` turns a reported path (relative to the working directory) into one
    relative to the config file's directory, where the per-path globs are anchored.
    """

    severities: Mapping[str, Severity]
    path_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    path_prefix: str = ""

    def apply(self, results: Iterable[Result]) -> list[Result]:
        out: list[Result] = []
        for result in results:
            if self._ignored(result):
                continue
            override = self.severities.get(result.rule.code)
            out.append(replace(result, severity=override) if override is not None else result)
        return out

    def _ignored(self, result: Result) -> bool:
        if not self.path_ignores:
            return False
        path = result.location.path
        if self.path_prefix:
            path = f"{self.path_prefix}/{path}"
        return any(
            result.rule.code in codes and glob_matches(path, pattern)
            for pattern, codes in self.path_ignores
        )
