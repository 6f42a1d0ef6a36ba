"""The rule catalogue: the `@rule` decorator, rule metadata and lookup.

The registry checks the whole catalogue at import time (unique codes and slugs, code letter
equal to the primary STRIDE category, complete docs), so every test run checks every rule.
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from stridescan.model import Container, Image, Location, ModelObject, Workload
from stridescan.rules._meta import Format, Severity, Stride, is_known_reference

DOC_HEADINGS = ("What it flags", "Why it matters", "Example", "Fix")
_CODE = re.compile(r"^[STRIDE]\d{3}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TARGETS: tuple[type, ...] = (Image, Workload, Container)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """What a rule yields: where, and a message naming the object and the value."""

    at: Location
    message: str


Check = Callable[[typing.Any], Iterator[Finding]]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDocs:
    what: str
    why: str
    example: str
    fix: str

    @property
    def fix_summary(self) -> str:
        """The Fix section's opening sentence(s), before its example: what to do, in one line."""
        prose = self.fix.split("```", 1)[0]
        return " ".join(prose.split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    code: str
    slug: str
    title: str
    stride: tuple[Stride, ...]
    severity: Severity
    formats: tuple[Format, ...]
    references: tuple[str, ...]
    docs: RuleDocs
    check: Check = field(repr=False, compare=False)
    targets: tuple[type, ...]
    security_severity: float
    precision: str = "high"
    aliases: tuple[str, ...] = ()

    def applies_to(self, obj: ModelObject) -> bool:
        return isinstance(obj, self.targets) and obj_format(obj) in self.formats


def obj_format(obj: ModelObject) -> Format:
    if isinstance(obj, Image):
        return Format.DOCKERFILE
    return obj.source_kind


_RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def rule(
    *,
    code: str,
    slug: str,
    title: str,
    stride: tuple[Stride, ...],
    severity: Severity,
    formats: tuple[Format, ...],
    references: tuple[str, ...],
    security_severity: float | None = None,
    precision: str = "high",
    aliases: tuple[str, ...] = (),
) -> Callable[[Check], Check]:
    """Register the decorated check; its parameter's type says which objects it runs on."""

    def register(check: Check) -> Check:
        module = sys.modules[check.__module__]
        new = Rule(
            code=code,
            slug=slug,
            title=title,
            stride=stride,
            severity=severity,
            formats=formats,
            references=references,
            docs=parse_docs(module.__doc__ or "", code),
            check=check,
            targets=_targets_of(check, code),
            security_severity=(
                security_severity
                if security_severity is not None
                else severity.default_security_severity
            ),
            precision=precision,
            aliases=aliases,
        )
        _validate(new)
        _RULES[code] = new
        for name in (code.lower(), slug, *aliases):
            _BY_NAME[name] = new
        return check

    return register


def _targets_of(check: Check, code: str) -> tuple[type, ...]:
    hints = typing.get_type_hints(check)
    parameter = next((value for name, value in hints.items() if name != "return"), None)
    targets = typing.get_args(parameter) or (parameter,)
    if not targets or not all(target in _TARGETS for target in targets):
        raise TypeError(f"rule {code}: the check must take an Image, Workload or Container")
    return tuple(typing.cast(type, target) for target in targets)


def _validate(new: Rule) -> None:
    where = f"rule {new.code}"
    if not _CODE.match(new.code):
        raise ValueError(f"{where}: a code is a STRIDE letter and three digits")
    if not new.stride or new.code[0] != new.stride[0].value:
        raise ValueError(f"{where}: the code's letter must be the primary STRIDE category")
    if not _SLUG.match(new.slug):
        raise ValueError(f"{where}: slug {new.slug!r} is not kebab-case")
    for name in (new.code.lower(), new.slug, *new.aliases):
        if name in _BY_NAME:
            raise ValueError(f"{where}: {name!r} is already taken by {_BY_NAME[name].code}")
    unknown = [ref for ref in new.references if not is_known_reference(ref)]
    if unknown:
        raise ValueError(f"{where}: unknown reference standard in {unknown}")
    if not 0.1 <= new.security_severity <= 10.0:
        raise ValueError(f"{where}: security_severity must be within 0.1-10.0")


def parse_docs(docstring: str, code: str) -> RuleDocs:
    """Split a rule module's docstring into its four `## ` sections; all are required."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in docstring.strip("\n").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    text = {heading: "\n".join(sections.get(heading, [])).strip() for heading in DOC_HEADINGS}
    missing = [heading for heading in DOC_HEADINGS if not text[heading]]
    if missing:
        raise ValueError(f"rule {code}: docstring lacks the section(s) {', '.join(missing)}")
    if text["Fix"].startswith("```"):
        raise ValueError(f"rule {code}: the Fix section must open with a sentence of what to do")
    return RuleDocs(
        what=text["What it flags"],
        why=text["Why it matters"],
        example=text["Example"],
        fix=text["Fix"],
    )


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, ordered by code."""
    _load_catalogue()
    return tuple(sorted(_RULES.values(), key=lambda r: ("STRIDE".index(r.code[0]), r.code)))


def find_rule(name: str) -> Rule | None:
    """A rule by code or slug, in any case."""
    _load_catalogue()
    return _BY_NAME.get(name.strip().lower())


def _load_catalogue() -> None:
    import stridescan.rules  # noqa: F401  (importing it registers every rule)
