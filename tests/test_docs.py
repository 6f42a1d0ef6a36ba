from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, scan_paths
from stridescan.docs import catalogue_markdown
from stridescan.rules._registry import Rule, all_rules

_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def test_committed_rule_docs_are_current() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(all_rules()), (
        "docs/rules.md is stale: run `stridescan rules --format markdown > docs/rules.md`"
    )


def codes_found_in_block(section: str, folder: Path) -> set[str]:
    match = _BLOCK.search(section)
    assert match, "the section needs a fenced code block with a language"
    language, body = match.groups()
    if language == "dockerfile":
        name = "Dockerfile"
    elif "apiVersion" in body:
        name = "manifest.yaml"
    else:
        name = "compose.yaml"
    folder.mkdir()
    (folder / name).write_text(body, encoding="utf-8")
    report = scan_paths([folder / name], root=folder)
    assert not report.problems, [problem.render() for problem in report.problems]
    return {result.rule.code for result in report.results}


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_the_example_is_flagged_and_the_fix_is_not(rule: Rule, tmp_path: Path) -> None:
    assert rule.code in codes_found_in_block(rule.docs.example, tmp_path / "example")
    assert rule.code not in codes_found_in_block(rule.docs.fix, tmp_path / "fix")
