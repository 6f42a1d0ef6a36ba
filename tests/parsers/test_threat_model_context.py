"""What the parsers read for the threat model only (no rule reads it): compose networks and
secrets, pod labels, Service selectors and ports, Ingresses. Malformed values are left out,
never reported, so a file that scanned cleanly before still does."""

from __future__ import annotations

from stridescan.model import Ingress, Service, SourceKind
from stridescan.parsing import ParsedFile, parse_source


def parse(text: str, name: str = "manifest.yaml") -> ParsedFile:
    kind = SourceKind.COMPOSE if name == "compose.yaml" else SourceKind.KUBERNETES
    parsed = parse_source(text, name, kind)
    assert not parsed.problems, [p.render() for p in parsed.problems]
    return parsed


def test_compose_networks_and_secrets_in_every_syntax_are_read_where_written() -> None:
    parsed = parse(
        "services:\n"
        "  a:\n    image: a:1\n    networks: [front, back]\n"
        "    secrets:\n      - db_pw\n      - source: api_key\n        target: key\n"
        "  b:\n    image: b:1\n    networks:\n      back: {aliases: [db]}\n",
        "compose.yaml",
    )
    a, b = parsed.workloads
    assert [(n.value, n.location.line) for n in a.networks] == [("front", 4), ("back", 4)]
    assert [(s.value, s.location.line) for s in a.secrets] == [("db_pw", 6), ("api_key", 7)]
    assert [(n.value, n.location.line) for n in b.networks] == [("back", 12)]
    assert b.secrets == ()


def test_malformed_compose_networks_are_left_out_without_a_problem() -> None:
    parsed = parse(
        "services:\n  a:\n    image: a:1\n    networks: front\n    secrets: [{target: x}]\n",
        "compose.yaml",
    )
    (a,) = parsed.workloads
    assert a.networks == () and a.secrets == ()


def test_pod_labels_come_from_the_pod_template_or_the_pod() -> None:
    parsed = parse(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: {owner: x}}\n"
        "spec:\n  template:\n    metadata: {labels: {tier: web, app: d}}\n"
        "    spec:\n      containers: [{name: c, image: 'a:1'}]\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p}}\n"
        "spec:\n  containers: [{name: c, image: 'a:1'}]\n"
    )
    deployment, pod = parsed.workloads
    assert deployment.pod_labels == (("app", "d"), ("tier", "web"))
    assert pod.pod_labels == (("app", "p"),)


def test_malformed_labels_are_left_out_and_the_workload_still_parses() -> None:
    parsed = parse(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: [oops]}\n"
        "spec:\n  containers: [{name: c, image: 'a:1'}]\n"
    )
    (pod,) = parsed.workloads
    assert pod.pod_labels == ()


def test_service_selector_and_ports_are_read() -> None:
    parsed = parse(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n"
        "  selector: {app: web}\n  ports:\n    - {port: 80, targetPort: 8000, nodePort: 30080}\n"
        "    - port: 53\n      protocol: UDP\n"
    )
    (service,) = parsed.cluster_objects
    assert isinstance(service, Service)
    assert service.selector == (("app", "web"),)
    assert [
        (p.port, p.target_port, p.node_port, p.protocol, p.location.line) for p in service.ports
    ] == [
        ("80", "8000", "30080", "tcp", 8),
        ("53", None, None, "udp", 9),
    ]


def test_ingress_hosts_backends_and_tls_are_read() -> None:
    parsed = parse(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: n}\n"
        "spec:\n  tls: [{hosts: [a.example.com]}]\n  defaultBackend: {service: {name: fallback}}\n"
        "  rules:\n    - host: a.example.com\n      http:\n        paths:\n"
        "          - backend: {service: {name: web, port: {number: 80}}}\n"
        "          - backend: {serviceName: legacy, servicePort: 80}\n"
    )
    (ingress,) = parsed.cluster_objects
    assert isinstance(ingress, Ingress)
    assert (ingress.name, ingress.namespace, ingress.tls, ingress.location.line) == (
        "i",
        "n",
        True,
        2,
    )
    assert [h.value for h in ingress.hosts] == ["a.example.com"]
    assert [(b.value, b.location.line) for b in ingress.backends] == [
        ("fallback", 6),
        ("web", 11),
        ("legacy", 12),
    ]


def test_ingresses_of_a_list_are_read_and_malformed_parts_left_out() -> None:
    parsed = parse(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    metadata: {name: a}\n"
        "    spec: {rules: [oops, {host: [x]}]}\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n"
    )
    ingresses = [o for o in parsed.cluster_objects if isinstance(o, Ingress)]
    assert [(i.name, i.hosts, i.backends, i.tls) for i in ingresses] == [("a", (), (), False)]
