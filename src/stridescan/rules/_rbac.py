"""Questions the RBAC rules ask of a Role's rules, so they read alike and agree.

Wildcards (`*`) are E210's: the other rules look only at names written out, so one `"*"`
gives one finding, not one per rule it would also satisfy.
"""

from __future__ import annotations

from collections.abc import Iterable

from stridescan.model import Located, PolicyRule, Role

CORE_GROUP = ""


def role_noun(role: Role) -> str:
    return f"{role.kind} {role.name!r}"


def written(items: Iterable[Located[str]]) -> set[str]:
    return {item.value.strip() for item in items}


def in_groups(rule: PolicyRule, groups: Iterable[str]) -> bool:
    """Whether the rule applies to one of `groups` (or to every group)."""
    names = written(rule.api_groups)
    return "*" in names or not names.isdisjoint(groups)


def allows_any(rule: PolicyRule, verbs: Iterable[str]) -> bool:
    names = written(rule.verbs)
    return "*" in names or not names.isdisjoint(verbs)


def named(items: Iterable[Located[str]], wanted: Iterable[str]) -> list[Located[str]]:
    """The items, in order, whose name is one of `wanted` (case as Kubernetes: exact)."""
    wanted_names = set(wanted)
    return [item for item in items if item.value.strip() in wanted_names]
