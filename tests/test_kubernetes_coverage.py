from __future__ import annotations

from stridescan.docs import rule_anchor
from stridescan.kubernetes_coverage import CIS, NSA, PSS, coverage_markdown, rules_for
from stridescan.rules._registry import all_rules, find_rule
from stridescan.selection import resolve

TABLES = (*PSS, *NSA, *CIS)
KUBERNETES_STANDARDS = ("pss-baseline", "pss-restricted", "nsa-k8s", "cis-k8s")


def test_every_kubernetes_reference_of_a_rule_is_a_row_of_the_tables() -> None:
    rows = {control.reference for control in TABLES}
    cited = {
        (rule.code, reference)
        for rule in all_rules()
        for reference in rule.references
        if reference.partition(":")[0] in KUBERNETES_STANDARDS
    }
    assert {pair for pair in cited if pair[1] not in rows} == set()


def test_rules_named_as_extra_exist_and_run_on_kubernetes() -> None:
    for control in TABLES:
        for code in control.extra:
            rule = find_rule(code)
            assert rule is not None, (control.reference, code)
            assert "kubernetes" in {fmt.value for fmt in rule.formats}, (control.reference, code)


def test_every_pss_control_is_checked_by_some_rule() -> None:
    rules = all_rules()
    assert [control.reference for control in PSS if not rules_for(control, rules)] == []


def test_the_tables_link_rules_and_state_the_gaps() -> None:
    text = coverage_markdown(all_rules(), rule_anchor)
    assert "| baseline | HostPath Volumes | " in text
    assert "[E201](#e201-hostpath-volume)" in text
    network = "| 5.3.2 | Every namespace has NetworkPolicies | [I211](#i211-namespace-without-"
    assert network in text
    assert "| 1.2.2 | API server: --token-auth-file not set | not covered yet |" in text


def test_selecting_a_pss_level_runs_exactly_the_rules_of_its_rows() -> None:
    rules = all_rules()
    baseline = [c for c in PSS if c.reference.startswith("pss-baseline:")]
    in_rows = {rule.code for control in baseline for rule in rules_for(control, rules)}
    assert resolve("pss-baseline", rules) == in_rows
    everything = {rule.code for control in PSS for rule in rules_for(control, rules)}
    assert resolve("pss-restricted", rules) == everything
