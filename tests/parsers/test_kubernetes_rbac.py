from __future__ import annotations

import pytest

from stridescan.diagnostics import ParseError
from stridescan.model import Role, RoleBinding
from stridescan.parsers.kubernetes_rbac import parse_rbac
from stridescan.parsing import parse_source
from stridescan.yamlsource import Mapping, load_documents

PATH = "rbac/roles.yaml"


def _objects(text: str) -> list[Role | RoleBinding]:
    root = next(load_documents(text)).root
    assert isinstance(root, Mapping)
    found, problems = parse_rbac(root, PATH)
    assert problems == []
    return found


ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: operator
rules:
  - apiGroups: ["", "apps"]
    resources:
      - pods
      - pods/exec
    verbs: ["get", "create"]
  - nonResourceURLs: ["/metrics"]
    verbs: ["get"]
"""


def test_each_name_of_a_role_rule_keeps_its_own_line() -> None:
    (role,) = _objects(ROLE)
    assert isinstance(role, Role)
    assert (role.kind, role.name, role.location.line) == ("ClusterRole", "operator", 2)
    first, second = role.rules
    assert first.location.line == 6
    assert [(r.value, r.location.line) for r in first.resources] == [("pods", 8), ("pods/exec", 9)]
    assert [g.value for g in first.api_groups] == ["", "apps"]
    assert [v.location.line for v in first.verbs] == [10, 10]
    assert [u.value for u in second.non_resource_urls] == ["/metrics"]


def test_a_binding_has_its_role_and_subjects_with_locations() -> None:
    (binding,) = _objects(
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: RoleBinding\n"
        "metadata: {name: readers, namespace: shop}\n"
        "roleRef:\n"
        "  kind: ClusterRole\n"
        "  name: view\n"
        "subjects:\n"
        "  - kind: ServiceAccount\n"
        "    name: default\n"
        "    namespace: shop\n"
    )
    assert isinstance(binding, RoleBinding)
    assert (binding.role_kind, binding.role_name.value, binding.role_name.location.line) == (
        "ClusterRole",
        "view",
        6,
    )
    (subject,) = binding.subjects
    assert (subject.kind, subject.name.value, subject.name.location.line) == (
        "ServiceAccount",
        "default",
        9,
    )
    assert binding.namespace == subject.namespace == "shop"


def test_a_list_yields_its_rbac_items_and_reports_a_broken_one() -> None:
    root = next(
        load_documents(
            "apiVersion: v1\nkind: List\nitems:\n"
            "  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: Role\n"
            "    metadata: {name: good}\n    rules: []\n"
            "  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: Role\n"
            "    metadata: {name: bad}\n    rules: [just-a-string]\n"
        )
    ).root
    assert isinstance(root, Mapping)
    found, problems = parse_rbac(root, PATH)
    assert [obj.name for obj in found] == ["good"]
    assert [(p.line, p.message) for p in problems] == [
        (11, "items[1].rules[0] must be a mapping, not the string 'just-a-string'")
    ]


def test_kinds_of_other_api_groups_are_not_rbac() -> None:
    assert _objects("apiVersion: example.com/v1\nkind: Role\nmetadata: {name: x}\n") == []
    assert _objects("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n") == []


def test_a_rule_that_is_not_a_mapping_is_a_parse_error_at_its_line() -> None:
    root = next(
        load_documents(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: x}\n"
            "rules:\n  - [get]\n"
        )
    ).root
    assert isinstance(root, Mapping)
    with pytest.raises(ParseError) as caught:
        parse_rbac(root, PATH)
    assert caught.value.line == 5


def test_parsed_files_carry_rbac_objects_beside_workloads() -> None:
    parsed = parse_source(
        ROLE + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", PATH, None
    )
    assert [obj.name for obj in parsed.rbac] == ["operator"]
    assert [workload.name for workload in parsed.workloads] == ["p"]
