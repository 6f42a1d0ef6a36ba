"""Kubernetes Services to the model: how workloads are reachable from outside the cluster.

Only what the exposure rules need: the type, the source ranges a load balancer admits and
the annotations that make a cloud load balancer internal. Items of a `List` are read too;
a Service of the wrong shape is reported by the workload parser's rules for lists, so a
broken one is skipped here rather than reported twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.diagnostics import ParseError
from stridescan.model import Location, Service, ServicePort, SourceKind
from stridescan.parsers._nodes import (
    Reader,
    key_location,
    new_located,
    node_location,
    scalar_text,
)
from stridescan.yamlsource import Mapping, Node, Scalar, Sequence


def parse_services(root: Mapping, path: str) -> list[Service]:
    """The Services of one document (a single object or a `List`)."""
    kind = scalar_text(root.get("kind"), "kind") or ""
    if not kind.endswith("List"):
        return _service(root, path, "", kind)
    items = Reader(path, root, Location(path=path, line=root.line), "").sequence_at("items")
    found: list[Service] = []
    item_kind = "" if kind == "List" else kind.removesuffix("List")
    for index, item in enumerate(items.items if items is not None else ()):
        if not isinstance(item, Mapping):
            continue
        try:
            own_kind = scalar_text(item.get("kind"), f"items[{index}].kind") or item_kind
            found.extend(_service(item, path, f"items[{index}]", own_kind))
        except ParseError:
            continue  # reported with the item's position by the workload parser or not at all
    return found


def _service(root: Mapping, path: str, where: str, kind: str) -> list[Service]:
    api_version = scalar_text(root.get("apiVersion"), "apiVersion") or "v1"
    if kind != "Service" or api_version != "v1":
        return []
    location = key_location(path, root, "kind", Location(path=path, line=root.line))
    top = Reader(path, root, location, where)
    metadata = top.child("metadata", owner=location)
    spec = top.child("spec", owner=location)
    ranges = spec.sequence_at("loadBalancerSourceRanges")
    annotations = metadata.mapping_at("annotations")
    return [
        Service(
            name=metadata.text("name").value or "Service",
            source_kind=SourceKind.KUBERNETES,
            namespace=metadata.text("namespace").value,
            location=location,
            type=spec.text("type"),
            source_ranges=tuple(
                new_located(text, node_location(path, item))
                for item in (ranges.items if ranges is not None else ())
                if (text := scalar_text(item, "loadBalancerSourceRanges[]")) is not None
            ),
            annotations=tuple(
                (key, scalar_text(value, f"metadata.annotations.{key}") or "")
                for key, (_, value) in (annotations.entries.items() if annotations else ())
            ),
            selector=_selector(spec.node("selector")),
            ports=tuple(_ports(path, spec.node("ports"))),
        )
    ]


# Selector and ports are context for the threat model, not read by rules: a malformed one is
# left out rather than reported, so a Service that scanned before still does.


def _selector(node: Node | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(node, Mapping):
        return ()
    return tuple(
        (key, value.value)
        for key, (_, value) in sorted(node.entries.items())
        if isinstance(value, Scalar)
    )


def _ports(path: str, node: Node | None) -> Iterator[ServicePort]:
    for item in node.items if isinstance(node, Sequence) else ():
        if not isinstance(item, Mapping):
            continue
        text = {
            key: value.value
            for key, (_, value) in item.entries.items()
            if isinstance(value, Scalar)
        }
        yield ServicePort(
            port=text.get("port"),
            target_port=text.get("targetPort"),
            node_port=text.get("nodePort"),
            protocol=(text.get("protocol") or "TCP").lower(),
            location=node_location(path, item),
        )
