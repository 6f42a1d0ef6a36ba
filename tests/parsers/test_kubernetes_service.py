from __future__ import annotations

from stridescan.model import Service
from stridescan.parsers.kubernetes_service import parse_services
from stridescan.yamlsource import Mapping, load_documents


def _services(text: str) -> list[Service]:
    root = next(load_documents(text)).root
    assert isinstance(root, Mapping)
    return parse_services(root, "svc.yaml")


def test_type_ranges_and_annotations_are_read_where_written() -> None:
    (service,) = _services(
        "apiVersion: v1\nkind: Service\n"
        "metadata:\n  name: web\n  namespace: shop\n"
        "  annotations: {networking.gke.io/load-balancer-type: Internal}\n"
        "spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n    - 10.0.0.0/8\n"
    )
    assert (service.name, service.namespace, service.location.line) == ("web", "shop", 2)
    assert (service.type.value, service.type.location.line) == ("LoadBalancer", 8)
    assert [(r.value, r.location.line) for r in service.source_ranges] == [("10.0.0.0/8", 10)]
    assert service.annotations == (("networking.gke.io/load-balancer-type", "Internal"),)


def test_a_service_without_type_is_absent_at_its_kind_line() -> None:
    (service,) = _services("apiVersion: v1\nkind: Service\nmetadata: {name: db}\n")
    assert service.type.value is None
    assert service.type.location.line == 2


def test_services_of_a_list_are_read_and_custom_services_are_not() -> None:
    found = _services(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {type: NodePort}}\n"
        "  - {apiVersion: serving.knative.dev/v1, kind: Service, metadata: {name: b}}\n"
        "  - just-a-string\n"
    )
    assert [(s.name, s.type.value) for s in found] == [("a", "NodePort")]
