from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, scan_paths
from stridescan.docs import catalogue_markdown, rule_markdown
from stridescan.rules._meta import reference_title
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
    elif language == "json":
        name = "daemon.json"
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


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_a_rule_page_has_a_references_section_only_when_it_cites_something(rule: Rule) -> None:
    page = rule_markdown(rule)
    assert ("### References" in page) == bool(rule.references)
    for reference in rule.references:
        assert f"- {reference_title(reference)}\n" in page
    assert page.endswith("\n")
    assert not page.endswith("\n\n")


def test_readme_rule_counts_match_the_catalogue() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rules = all_rules()
    assert f"\n{len(rules)} rules, each with" in readme
    names = {"Dockerfile": "dockerfile", "Compose": "compose", "Kubernetes": "kubernetes"}
    names["daemon.json"] = "daemon"
    for label, fmt in names.items():
        count = sum(1 for rule in rules if fmt in {f.value for f in rule.formats})
        assert f"| {label} | {count} |" in readme, f"README's count of {label} rules is stale"


def test_readme_demo_output_is_what_the_scan_prints() -> None:
    from stridescan.reporters.text import render

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ stridescan scan fixtures/demo\n", 1)[1].split("```", 1)[0]
    printed = render(scan_paths(["fixtures/demo"], root=REPO), color=False)
    for line in example.splitlines():
        if line != "...":
            assert line in printed.splitlines(), f"README shows a line the scan does not: {line}"
