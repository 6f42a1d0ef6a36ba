from __future__ import annotations

from stridescan.cis import ITEMS, rules_for
from stridescan.rules._meta import is_known_reference
from stridescan.rules._registry import all_rules


def test_every_item_without_a_reason_is_checked_by_a_rule() -> None:
    rules = all_rules()
    unexplained = [
        item.v16 for item in ITEMS if not item.not_checkable and not rules_for(item, rules)
    ]
    assert unexplained == []


def test_every_cis_reference_of_a_rule_names_an_item_of_the_table() -> None:
    v16 = {item.v16 for item in ITEMS}
    v12 = {item.v12 for item in ITEMS if item.v12}
    for rule in all_rules():
        for reference in rule.references:
            assert is_known_reference(reference)
            standard, _, item = reference.partition(":")
            if standard == "cis-docker-1.6":
                assert item in v16, (rule.code, reference)
            elif standard == "cis-docker-1.2":
                assert item in v12, (rule.code, reference)


def test_a_rule_cites_the_v12_number_of_each_v16_item_it_cites() -> None:
    v12_of = {item.v16: item.v12 for item in ITEMS}
    for rule in all_rules():
        cited_v12 = {
            r.partition(":")[2] for r in rule.references if r.startswith("cis-docker-1.2:")
        }
        for reference in rule.references:
            if reference.startswith("cis-docker-1.6:"):
                expected = v12_of[reference.partition(":")[2]]
                assert expected is None or expected in cited_v12, (rule.code, reference)
