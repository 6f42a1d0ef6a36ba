"""Rule documentation rendered from rule metadata: `explain`, `rules` and docs/rules.md."""

from __future__ import annotations

from collections.abc import Sequence

from stridescan import kubernetes_coverage
from stridescan.cis import coverage_markdown
from stridescan.rule_options import options_markdown
from stridescan.rules._meta import reference_title
from stridescan.rules._registry import Rule

DOCS_URL = "https://github.com/stridescan/stridescan/blob/main/docs/rules.md"


def rule_anchor(rule: Rule) -> str:
    return f"{rule.code.lower()}-{rule.slug}"


def rule_url(rule: Rule) -> str:
    return f"{DOCS_URL}#{rule_anchor(rule)}"


def rule_markdown(rule: Rule, heading: str = "##") -> str:
    """One rule's page: metadata, then the four doc sections and references (if it cites any)."""
    stride = ", ".join(category.label for category in rule.stride)
    formats = ", ".join(fmt.value for fmt in rule.formats)
    references = "\n".join(f"- {reference_title(ref)}" for ref in rule.references)
    sub = heading + "#"
    options = options_markdown(rule)
    options_section = f"{sub} Options\n\n{options}\n\n" if options else ""
    references_section = f"{sub} References\n\n{references}\n" if references else ""
    page = (
        f"{heading} {rule.code} {rule.slug}\n\n"
        f"**{rule.title}**\n\n"
        f"| severity | STRIDE | formats |\n|---|---|---|\n"
        f"| {rule.severity.value} ({rule.security_severity}) | {stride} | {formats} |\n\n"
        f"{sub} What it flags\n\n{rule.docs.what}\n\n"
        f"{sub} Why it matters\n\n{rule.docs.why}\n\n"
        f"{sub} Example\n\n{rule.docs.example}\n\n"
        f"{sub} Fix\n\n{rule.docs.fix}\n\n"
        f"{options_section}"
        f"{references_section}"
    )
    return page.rstrip("\n") + "\n"


def explain_text(rule: Rule) -> str:
    """`stridescan explain`: the rule page as plain text for a terminal."""
    return rule_markdown(rule, heading="#")


def rules_table(rules: Sequence[Rule]) -> str:
    """`stridescan rules`: one line per rule."""
    width = max((len(rule.slug) for rule in rules), default=10)
    lines = [f"{'CODE':<5} {'SLUG':<{width}} {'SEVERITY':<9} {'STRIDE':<7} {'FORMATS':<34} TITLE"]
    for rule in rules:
        stride = ",".join(category.value for category in rule.stride)
        formats = ",".join(fmt.value for fmt in rule.formats)
        lines.append(
            f"{rule.code:<5} {rule.slug:<{width}} {rule.severity.value:<9} {stride:<7} "
            f"{formats:<34} {rule.title}"
        )
    return "\n".join(lines) + "\n"


def catalogue_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: an index table, then every rule's page."""
    lines = [
        "# stridescan rules",
        "",
        "Generated from the rule metadata by `stridescan rules --format markdown`; "
        "do not edit by hand (a test fails when this file is stale).",
        "",
        "| code | slug | severity | STRIDE | formats | references |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        stride = ", ".join(category.label for category in rule.stride)
        formats = ", ".join(fmt.value for fmt in rule.formats)
        refs = "; ".join(reference_title(ref) for ref in rule.references)
        lines.append(
            f"| [{rule.code}](#{rule_anchor(rule)}) | {rule.slug} | {rule.severity.value} "
            f"| {stride} | {formats} | {refs} |"
        )
    body = "\n".join(rule_markdown(rule) for rule in rules)
    coverage = coverage_markdown(rules, rule_anchor)
    kubernetes = kubernetes_coverage.coverage_markdown(rules, rule_anchor)
    return "\n".join(lines) + "\n\n" + coverage + "\n" + kubernetes + "\n" + body
