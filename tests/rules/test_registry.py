from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from stridescan.model import Container
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, all_rules, find_rule, parse_docs, rule

DOCS = """
## What it flags
Something.

## Why it matters
Because.

## Example
```yaml
services: {}
```

## Fix
Do this.
```yaml
services: {}
```
"""


def register(module_doc: str, **overrides: object) -> None:
    module = types.ModuleType("stridescan_test_rule")
    module.__doc__ = module_doc
    sys.modules[module.__name__] = module

    def check(container: Container) -> Iterator[Finding]:
        yield from ()

    check.__module__ = module.__name__
    metadata: dict[str, object] = {
        "code": "E901",
        "slug": "test-rule",
        "title": "t",
        "stride": (Stride.ELEVATION_OF_PRIVILEGE,),
        "severity": Severity.LOW,
        "formats": (Format.COMPOSE,),
        "references": (),
    }
    metadata.update(overrides)
    try:
        rule(**metadata)(check)  # type: ignore[arg-type]
    finally:
        del sys.modules[module.__name__]


def test_a_code_already_taken_is_refused() -> None:
    with pytest.raises(ValueError, match="already taken by E001"):
        register(DOCS, code="E001", slug="another-slug")


def test_a_slug_already_taken_is_refused() -> None:
    with pytest.raises(ValueError, match="'privileged-container' is already taken"):
        register(DOCS, slug="privileged-container")


def test_the_code_letter_must_be_the_primary_stride_category() -> None:
    with pytest.raises(ValueError, match="primary STRIDE category"):
        register(DOCS, code="T901", stride=(Stride.ELEVATION_OF_PRIVILEGE,))


def test_docs_missing_a_heading_are_refused() -> None:
    with pytest.raises(ValueError, match="lacks the section"):
        register(DOCS.replace("## Why it matters", "## Why"))


def test_a_fix_must_open_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="Fix section must open"):
        parse_docs(DOCS.replace("Do this.\n", ""), "E901")


def test_unknown_reference_standards_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown reference standard"):
        register(DOCS, references=("cis-dockr:5.5",))


def test_the_catalogue_is_in_stride_order_and_lookups_ignore_case() -> None:
    codes = [r.code for r in all_rules()]
    assert codes == sorted(codes, key=lambda c: ("STRIDE".index(c[0]), c))
    assert find_rule("E001") is find_rule("privileged-container") is find_rule(" e001 ")
