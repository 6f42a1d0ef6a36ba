from __future__ import annotations

from stridescan.model import NetworkPolicy
from stridescan.parsing import parse_source

POLICIES = """\
apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: default-deny
      namespace: shop
    spec:
      podSelector: {}
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: api-ingress
      namespace: shop
    spec:
      podSelector:
        matchLabels:
          app: api
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: l7
spec:
  endpointSelector:
    matchLabels:
      app: web
"""


def policies_of(text: str) -> list[NetworkPolicy]:
    parsed = parse_source(text, "policies.yaml", None)
    assert parsed.problems == ()
    return [obj for obj in parsed.cluster_objects if isinstance(obj, NetworkPolicy)]


def test_policies_are_read_from_lists_and_cilium_objects_with_their_kind_line() -> None:
    found = [
        (p.name, p.kind, p.namespace, p.location.line, p.pod_selector, p.selects_all_pods)
        for p in policies_of(POLICIES)
    ]
    assert found == [
        ("default-deny", "NetworkPolicy", "shop", 5, (), True),
        ("api-ingress", "NetworkPolicy", "shop", 12, (("app", "api"),), False),
        ("l7", "CiliumNetworkPolicy", None, 22, (("app", "web"),), False),
    ]


def test_other_kinds_are_not_network_policies() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NetworkPolicy\ndata: {}\n"
    assert policies_of(text) == []
