"""The rule catalogue: the `@rule` decorator, rule metadata and lookup.

The registry checks the whole catalogue at import time (unique codes and slugs, code letter
equal to the primary STRIDE category, complete docs), so every test run checks every rule.
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import field, replace

from stridescan._frozen import dataclass
from stridescan.model import (
    Cluster,
    Container,
    DaemonConfig,
    Image,
    KubeletConfig,
    Location,
    ModelObject,
    Role,
    RoleBinding,
    Service,
    Workload,
)
from stridescan.rules._meta import Format, Severity, Stride, is_known_reference
from stridescan.rules._options import option_fields

DOC_HEADINGS = ("What it flags", "Why it matters", "Example", "Fix")
_CODE = re.compile(r"^[STRIDE]\d{3}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TARGETS: tuple[type, ...] = (
    Image,
    Workload,
    Container,
    Role,
    RoleBinding,
    KubeletConfig,
    Service,
    DaemonConfig,
    Cluster,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """What a rule yields: where, and a message naming the object and the value."""

    at: Location
    message: str


# One parameter (the model object), or two when the rule has options (`options: ...`).
Check = Callable[..., Iterator[Finding]]


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
    # The rule's options class and the instance its check gets (the defaults until
    # configured); not part of a rule's identity.
    options_type: type[typing.Any] | None = None
    options: typing.Any = field(default=None, repr=False, compare=False)

    def applies_to(self, obj: ModelObject) -> bool:
        return isinstance(obj, self.targets) and obj_format(obj) in self.formats

    def run(self, obj: ModelObject) -> Iterator[Finding]:
        """The check over `obj`, with this rule's options when it has them."""
        if self.options_type is None:
            return self.check(obj)
        return self.check(obj, self.options)

    def configured(self, options: object) -> Rule:
        """This rule running with `options`, an instance of its options class."""
        if self.options_type is None or not isinstance(options, self.options_type):
            raise TypeError(f"rule {self.code} takes no options of type {type(options).__name__}")
        return replace(self, options=options)


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
    options: type[typing.Any] | None = None,
) -> Callable[[Check], Check]:
    """Register the decorated check; its parameter's type says which objects it runs on.

    With `options=SomeOptions` (a frozen dataclass of `option()` fields) the check takes a
    second parameter `options: SomeOptions` and gets the configured instance.
    """

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
            targets=_targets_of(check, code, options),
            security_severity=(
                security_severity
                if security_severity is not None
                else severity.default_security_severity
            ),
            precision=precision,
            aliases=aliases,
            options_type=options,
            options=options() if options is not None else None,
        )
        global _ORDERED
        _validate(new)
        _RULES[code] = new
        _ORDERED = None
        for name in (code.lower(), slug, *aliases):
            _BY_NAME[name] = new
        return check

    return register


def _targets_of(check: Check, code: str, options: type[typing.Any] | None) -> tuple[type, ...]:
    if options is not None:
        option_fields(options)
    names = _parameters(check)
    hints = {name: _annotation(check, name) for name in names}
    if options is None and len(names) != 1:
        raise TypeError(f"rule {code}: a check without options takes one parameter, the object")
    if options is not None and (
        len(names) != 2 or names[1] != "options" or hints.get("options") is not options
    ):
        raise TypeError(f"rule {code}: the check must take (object, options: {options.__name__})")
    parameter = hints.get(names[0]) if names else None
    targets = typing.get_args(parameter) or (parameter,)
    if not targets or not all(target in _TARGETS for target in targets):
        raise TypeError(f"rule {code}: the check must take a model object ({_TARGET_NAMES})")
    return tuple(typing.cast(type, target) for target in targets)


def _parameters(check: Check) -> list[str]:
    """The check's parameter names, read from its code object: `inspect.signature` and
    `typing.get_type_hints` cost more than the rest of a rule's registration."""
    if hasattr(check, "__wrapped__") or not hasattr(check, "__code__"):
        import inspect

        return list(inspect.signature(check).parameters)
    code = check.__code__
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & _CO_VARARGS) + bool(code.co_flags & _CO_VARKEYWORDS)
    return list(code.co_varnames[:count])


_CO_VARARGS, _CO_VARKEYWORDS = 0x04, 0x08


def _annotation(check: Check, name: str) -> object:
    """One parameter's annotation, evaluated in the check's module as get_type_hints does."""
    annotation = getattr(check, "__annotations__", {}).get(name)
    if isinstance(annotation, str):
        return eval(annotation, getattr(check, "__globals__", {}))
    return annotation


_TARGET_NAMES = ", ".join(target.__name__ for target in _TARGETS)


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
    global _ORDERED
    if _ORDERED is None:
        # Sorted once: the filter stage asks for the catalogue once per scanned file. Set
        # only here, after the catalogue is loaded (a registration unsets it).
        _load_catalogue()
        _ORDERED = tuple(sorted(_RULES.values(), key=lambda r: ("STRIDE".index(r.code[0]), r.code)))
    return _ORDERED


_ORDERED: tuple[Rule, ...] | None = None


def find_rule(name: str) -> Rule | None:
    """A rule by code or slug, in any case."""
    _load_catalogue()
    return _BY_NAME.get(name.strip().lower())


def _load_catalogue() -> None:
    import stridescan.rules  # noqa: F401  (importing it registers every rule)
