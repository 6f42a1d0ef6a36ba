"""Kubernetes Ingresses to the model: the HTTP entry points of a namespace.

No rule reads them yet; the threat model draws them at the network edge and routes them to
the Services they name. Context only, so a malformed part is left out rather than reported:
a file that scanned cleanly before Ingresses were read still does. Items of a `List` are
read too; `networking.k8s.io/v1` and the older `serviceName` backends both count.
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Ingress, Located, Location, SourceKind
from stridescan.parsers._nodes import key_location, node_location
from stridescan.yamlsource import Mapping, Node, Scalar, Sequence


def parse_ingresses(root: Mapping, path: str) -> list[Ingress]:
    """The Ingresses of one document (a single object or a `List`)."""
    kind = _scalar(root.get("kind")) or ""
    if not kind.endswith("List"):
        return _ingress(root, path, kind)
    items = root.get("items")
    found: list[Ingress] = []
    for item in items.items if isinstance(items, Sequence) else ():
        if isinstance(item, Mapping):
            found.extend(_ingress(item, path, _scalar(item.get("kind")) or ""))
    return found


def _scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, Scalar) else None


def _mapping(node: Node | None, *keys: str) -> Mapping | None:
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node if isinstance(node, Mapping) else None


def _ingress(root: Mapping, path: str, kind: str) -> list[Ingress]:
    if kind != "Ingress":
        return []
    location = key_location(path, root, "kind", Location(path=path, line=root.line))
    metadata = _mapping(root, "metadata")
    spec = _mapping(root, "spec")
    rules = spec.get("rules") if spec is not None else None
    tls = spec.get("tls") if spec is not None else None
    return [
        Ingress(
            name=(_scalar(metadata.get("name")) if metadata else None) or "Ingress",
            source_kind=SourceKind.KUBERNETES,
            namespace=_scalar(metadata.get("namespace")) if metadata else None,
            location=location,
            hosts=tuple(_hosts(path, rules)),
            backends=tuple(_backends(path, spec, rules)),
            tls=isinstance(tls, Sequence) and bool(tls.items),
        )
    ]


def _hosts(path: str, rules: Node | None) -> Iterator[Located[str]]:
    for rule in rules.items if isinstance(rules, Sequence) else ():
        host = rule.get("host") if isinstance(rule, Mapping) else None
        if isinstance(host, Scalar) and host.value:
            yield Located(host.value, node_location(path, host))


def _backends(path: str, spec: Mapping | None, rules: Node | None) -> Iterator[Located[str]]:
    backends: list[Node | None] = [
        spec.get("defaultBackend") if spec else None,
        spec.get("backend") if spec else None,
    ]
    for rule in rules.items if isinstance(rules, Sequence) else ():
        paths = _mapping(rule, "http")
        entries = paths.get("paths") if paths is not None else None
        for entry in entries.items if isinstance(entries, Sequence) else ():
            backends.append(entry.get("backend") if isinstance(entry, Mapping) else None)
    for backend in backends:
        if not isinstance(backend, Mapping):
            continue
        service = _mapping(backend, "service")
        name = service.get("name") if service is not None else backend.get("serviceName")
        if isinstance(name, Scalar) and name.value:
            yield Located(name.value, node_location(path, name))
