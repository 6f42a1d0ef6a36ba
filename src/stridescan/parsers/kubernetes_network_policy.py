"""Kubernetes NetworkPolicies to the model: which namespaces have any policy at all.

Only what the namespace-isolation rule needs: the namespace, the pod selector and where the
policy is written. Calico's `NetworkPolicy` (projectcalico.org) and Cilium's
`CiliumNetworkPolicy` are namespaced policies enforced the same way and count too. Items of
a `List` are read; a policy of the wrong shape is skipped here (the workload parser reports
broken list items), so it is never reported twice.
"""

from __future__ import annotations

from stridescan.diagnostics import ParseError
from stridescan.model import Location, NetworkPolicy, SourceKind
from stridescan.parsers._nodes import Reader, key_location, scalar_text
from stridescan.yamlsource import Mapping

_KINDS = ("NetworkPolicy", "CiliumNetworkPolicy")


def parse_network_policies(root: Mapping, path: str) -> list[NetworkPolicy]:
    """The NetworkPolicies of one document (a single object or a `List`)."""
    kind = scalar_text(root.get("kind"), "kind") or ""
    if not kind.endswith("List"):
        return _policy(root, path, "", kind)
    items = Reader(path, root, Location(path=path, line=root.line), "").sequence_at("items")
    found: list[NetworkPolicy] = []
    item_kind = "" if kind == "List" else kind.removesuffix("List")
    for index, item in enumerate(items.items if items is not None else ()):
        if not isinstance(item, Mapping):
            continue
        try:
            own_kind = scalar_text(item.get("kind"), f"items[{index}].kind") or item_kind
            found.extend(_policy(item, path, f"items[{index}]", own_kind))
        except ParseError:
            continue
    return found


def _policy(root: Mapping, path: str, where: str, kind: str) -> list[NetworkPolicy]:
    if kind not in _KINDS:
        return []
    location = key_location(path, root, "kind", Location(path=path, line=root.line))
    top = Reader(path, root, location, where)
    metadata = top.child("metadata", owner=location)
    # Cilium names it `endpointSelector`; both select pods by label, `{}` meaning all.
    selector_key = "endpointSelector" if kind == "CiliumNetworkPolicy" else "podSelector"
    selector = top.child("spec", owner=location).child(selector_key, owner=location)
    labels = selector.mapping_at("matchLabels")
    pairs = tuple(
        (key, scalar_text(value, f"{selector_key}.matchLabels.{key}") or "")
        for key, (_, value) in (labels.entries.items() if labels else ())
    )
    return [
        NetworkPolicy(
            name=metadata.text("name").value or kind,
            kind=kind,
            source_kind=SourceKind.KUBERNETES,
            namespace=metadata.text("namespace").value,
            location=location,
            pod_selector=pairs,
            selects_all_pods=not pairs and selector.node("matchExpressions") is None,
        )
    ]
