"""Kubernetes RBAC objects to the model: Roles, ClusterRoles and their bindings.

Kept apart from the workload parser because the shapes have nothing in common. Each name in
a rule's `verbs`, `resources` and `apiGroups` keeps its own location, so a rule can point
at the very `"*"` or `secrets` that grants too much. Items of a `List` are read one by one:
a broken item is a Problem and its neighbours are still read.
"""

from __future__ import annotations

from stridescan.diagnostics import ParseError, Problem
from stridescan.model import (
    Location,
    PolicyRule,
    RbacObject,
    Role,
    RoleBinding,
    SourceKind,
    Subject,
)
from stridescan.parsers._nodes import Reader, describe, key_location, new_location, scalar_text
from stridescan.yamlsource import Mapping, Node

_RBAC_GROUP = "rbac.authorization.k8s.io"
_ROLE_KINDS = ("Role", "ClusterRole")
_BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")


def parse_rbac(root: Mapping, path: str) -> tuple[list[RbacObject], list[Problem]]:
    """The Roles and bindings of one document (a single object or a `List`)."""
    kind = scalar_text(root.get("kind"), "kind") or ""
    if not kind.endswith("List"):
        return _parse_object(root, path, "", kind), []
    items = Reader(path, root, _start(path, root), "").sequence_at("items")
    found: list[RbacObject] = []
    problems: list[Problem] = []
    item_kind = None if kind == "List" else kind.removesuffix("List")
    for index, item in enumerate(items.items if items is not None else ()):
        if not isinstance(item, Mapping):
            continue  # the workload parser reports items of the wrong shape
        try:
            own_kind = scalar_text(item.get("kind"), f"items[{index}].kind") or item_kind or ""
            found.extend(_parse_object(item, path, f"items[{index}]", own_kind))
        except ParseError as error:
            problems.append(error.to_problem(path))
    return found, problems


def _parse_object(root: Mapping, path: str, where: str, kind: str) -> list[RbacObject]:
    api_version = scalar_text(root.get("apiVersion"), _join(where, "apiVersion")) or ""
    if api_version.rpartition("/")[0] != _RBAC_GROUP and "apiVersion" in root:
        return []
    if kind not in _ROLE_KINDS + _BINDING_KINDS:
        return []
    location = key_location(path, root, "kind", _start(path, root))
    top = Reader(path, root, location, where)
    metadata = top.child("metadata", owner=location)
    name = metadata.text("name").value or kind
    namespace = metadata.text("namespace").value
    if kind in _ROLE_KINDS:
        rules = tuple(_policy_rule(reader, at) for reader, at in _entries(top, "rules"))
        return [
            Role(
                name=name,
                kind=kind,
                source_kind=SourceKind.KUBERNETES,
                namespace=namespace,
                location=location,
                rules=rules,
            )
        ]
    role_ref = top.child("roleRef", owner=location)
    return [
        RoleBinding(
            name=name,
            kind=kind,
            source_kind=SourceKind.KUBERNETES,
            namespace=namespace,
            location=location,
            role_kind=role_ref.text("kind").value or "",
            role_name=role_ref.text("name"),
            subjects=tuple(_subject(reader, at) for reader, at in _entries(top, "subjects")),
        )
    ]


def _policy_rule(reader: Reader, location: Location) -> PolicyRule:
    return PolicyRule(
        api_groups=reader.texts("apiGroups"),
        resources=reader.texts("resources"),
        verbs=reader.texts("verbs"),
        resource_names=reader.texts("resourceNames"),
        non_resource_urls=reader.texts("nonResourceURLs"),
        location=location,
    )


def _subject(reader: Reader, location: Location) -> Subject:
    return Subject(
        kind=reader.text("kind").value or "",
        name=reader.text("name"),
        namespace=reader.text("namespace").value,
        location=location,
    )


def _entries(reader: Reader, key: str) -> list[tuple[Reader, Location]]:
    items = reader.sequence_at(key)
    if items is None:
        return []
    entries: list[tuple[Reader, Location]] = []
    for index, item in enumerate(items.items):
        where = f"{_join(reader.where, key)}[{index}]"
        if not isinstance(item, Mapping):
            raise ParseError(
                f"{where} must be a mapping, not {describe(item)}", item.line, item.column
            )
        location = _start(reader.path, item)
        entries.append((Reader(reader.path, item, location, where), location))
    return entries


def _start(path: str, node: Node) -> Location:
    return new_location(path=path, line=node.line, column=node.column)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
