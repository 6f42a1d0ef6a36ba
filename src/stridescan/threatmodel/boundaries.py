"""The three trust boundaries containers cross, and each crossing with its evidence.

- host: what of the machine a container reaches (host paths, the runtime socket, host
  namespaces, privileged mode, devices);
- network edge: what is reachable from outside (published ports, NodePort / LoadBalancer
  Services, Ingresses);
- cluster API: what can talk to the Kubernetes API server (mounted service-account tokens,
  accounts bound to roles).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from stridescan.threatmodel.components import is_edge_service
from stridescan.threatmodel.report import (
    BoundaryKind,
    Component,
    ComponentKind,
    Crossing,
    TrustBoundary,
)


def trust_boundaries(components: Sequence[Component]) -> tuple[TrustBoundary, ...]:
    return (
        TrustBoundary(
            id=BoundaryKind.HOST.value,
            kind=BoundaryKind.HOST,
            title="Host",
            description="Between a container and the machine it runs on: host paths, the "
            "container runtime's socket, host namespaces and privileged mode.",
            crossings=tuple(_sorted(_host(components))),
        ),
        TrustBoundary(
            id=BoundaryKind.NETWORK_EDGE.value,
            kind=BoundaryKind.NETWORK_EDGE,
            title="Network edge",
            description="Between the outside network and the deployment: published ports, "
            "NodePort and LoadBalancer Services, Ingresses.",
            crossings=tuple(_sorted(_edge(components))),
        ),
        TrustBoundary(
            id=BoundaryKind.CLUSTER_API.value,
            kind=BoundaryKind.CLUSTER_API,
            title="Cluster API",
            description="Between a pod and the Kubernetes API server: mounted service-account "
            "tokens and the roles bound to those accounts.",
            crossings=tuple(_sorted(_cluster_api(components))),
        ),
    )


def _sorted(crossings: Iterator[Crossing]) -> list[Crossing]:
    return sorted(
        crossings,
        key=lambda c: (c.evidence.path, c.evidence.line, c.evidence.column, c.kind, c.component),
    )


def _host(components: Sequence[Component]) -> Iterator[Crossing]:
    for component in components:
        for mount in component.host_mounts:
            mode = "read-only" if mount.read_only else "read-write"
            yield Crossing(
                component=component.id,
                kind="runtime-socket" if mount.runtime_socket else "host-mount",
                description=f"{mount.container} mounts {mount.host_path} ({mode})",
                evidence=mount.evidence,
            )
        for namespace in component.host_namespaces:
            yield Crossing(
                component=component.id,
                kind="host-namespace",
                description=f"shares the host's {namespace.name} namespace",
                evidence=namespace.evidence,
            )
        for container in component.containers:
            if container.privileged:
                yield Crossing(
                    component=component.id,
                    kind="privileged",
                    description=f"{container.name} runs privileged",
                    evidence=container.evidence,
                )


def _edge(components: Sequence[Component]) -> Iterator[Crossing]:
    for component in components:
        for port in component.published_ports:
            yield Crossing(
                component=component.id,
                kind="published-port",
                description=f"publishes {port.label}",
                evidence=port.evidence,
            )
        if is_edge_service(component):
            kind = "load-balancer" if "type: LoadBalancer" in component.notes else "node-port"
            yield Crossing(
                component=component.id,
                kind=kind,
                description=f"Service {component.name} ({', '.join(component.notes)})",
                evidence=component.evidence,
            )
        if component.kind is ComponentKind.INGRESS:
            yield Crossing(
                component=component.id,
                kind="ingress",
                description=f"Ingress {component.name}",
                evidence=component.evidence,
            )


def _cluster_api(components: Sequence[Component]) -> Iterator[Crossing]:
    for component in components:
        if component.kind is not ComponentKind.KUBERNETES_WORKLOAD:
            continue
        if component.service_account_token:
            yield Crossing(
                component=component.id,
                kind="service-account-token",
                description=f"mounts the token of service account {component.service_account}",
                evidence=component.evidence,
            )
        for grant in component.api_grants:
            yield Crossing(
                component=component.id,
                kind="rbac-grant",
                description=f"service account {component.service_account}: {grant.text}",
                evidence=grant,
            )
