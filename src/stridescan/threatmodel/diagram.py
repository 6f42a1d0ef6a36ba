"""The diagram as a graph: groups (compose projects, namespaces, the host), nodes (the
components, the internet, host paths, the API server) and edges (what exposes, mounts,
shares or builds what), each edge tagged with the trust boundary it crosses.

Renderers (Mermaid in Markdown, SVG in HTML) only lay this graph out, so both show the same
picture. Only components a reviewer reasons about are drawn: services, workloads, entry
points, Dockerfiles and the host configuration; RBAC objects and NetworkPolicies stay in
the inventory and the matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

from stridescan.model import DEFAULT_NAMESPACE
from stridescan.threatmodel.components import IdAllocator, group_id, is_edge_service
from stridescan.threatmodel.report import (
    BoundaryKind,
    Component,
    ComponentKind,
    Diagram,
    DiagramEdge,
    DiagramGroup,
    DiagramNode,
    TrustBoundary,
)

INTERNET = "internet"
HOST_GROUP = "g_host"
HOST_KERNEL = "host_kernel"
API_SERVER = "k8s_api"

_DRAWN = (
    ComponentKind.COMPOSE_SERVICE,
    ComponentKind.KUBERNETES_WORKLOAD,
    ComponentKind.KUBERNETES_SERVICE,
    ComponentKind.INGRESS,
    ComponentKind.IMAGE,
    ComponentKind.DOCKER_DAEMON,
    ComponentKind.KUBELET,
)
_FIXED_GROUPS = {
    "g_images": ("Dockerfiles", "images"),
    HOST_GROUP: ("Host", "host"),
    "g_cluster": ("Cluster", "cluster"),
}


def build_diagram(components: Sequence[Component], boundaries: Sequence[TrustBoundary]) -> Diagram:
    drawn = [c for c in components if c.kind in _DRAWN]
    nodes: list[DiagramNode] = []
    edges: list[DiagramEdge] = []
    groups: dict[str, DiagramGroup] = {}
    networked = _split_networks(drawn)
    for component in drawn:
        if component.group is not None:
            groups.setdefault(component.group, _group(component))
        group = component.group
        if component.id in networked:
            network = networked[component.id]
            groups.setdefault(network.id, network)
            group = network.id
        nodes.append(
            DiagramNode(
                id=component.id,
                label=_label(component),
                kind=component.kind.value,
                group=group,
                severity=component.worst_severity,
                findings=component.findings,
            )
        )
    ids = IdAllocator()
    host_paths: dict[str, str] = {}
    by_id = {c.id: c for c in drawn}
    for component in drawn:
        for image in component.built_from:
            edges.append(
                DiagramEdge(source=image, target=component.id, label="builds", kind="builds")
            )
        for target in component.routes_to:
            edges.append(
                DiagramEdge(source=component.id, target=target, label="routes", kind="routes")
            )
    for boundary in boundaries:
        for crossing in boundary.crossings:
            if crossing.component not in by_id:
                continue  # RBAC objects and NetworkPolicies are not drawn
            source, target, label = _crossing_edge(
                boundary.kind, crossing.kind, crossing.component, by_id
            )
            if crossing.kind in ("host-mount", "runtime-socket"):
                mount = next(
                    m
                    for m in by_id[crossing.component].host_mounts
                    if m.evidence == crossing.evidence
                )
                if mount.host_path not in host_paths:
                    host_paths[mount.host_path] = ids.new("host_path", mount.host_path)
                    nodes.append(
                        DiagramNode(
                            id=host_paths[mount.host_path],
                            label=mount.host_path,
                            kind="host-path",
                            group=HOST_GROUP,
                        )
                    )
                target = host_paths[mount.host_path]
            edges.append(
                DiagramEdge(
                    source=source,
                    target=target,
                    label=label,
                    kind=crossing.kind,
                    boundary=boundary.id,
                )
            )
    targets = {e.target for e in edges} | {e.source for e in edges}
    if INTERNET in targets:
        nodes.append(DiagramNode(id=INTERNET, label="Internet", kind="internet", group=None))
    if HOST_KERNEL in targets:
        nodes.append(
            DiagramNode(
                id=HOST_KERNEL, label="host kernel and devices", kind="host", group=HOST_GROUP
            )
        )
    if API_SERVER in targets:
        nodes.append(
            DiagramNode(id=API_SERVER, label="Kubernetes API server", kind="api-server", group=None)
        )
    if any(node.group == HOST_GROUP for node in nodes):
        groups.setdefault(HOST_GROUP, _fixed(HOST_GROUP))
    unique_edges = list(dict.fromkeys(edges))
    return Diagram(
        groups=tuple(sorted(groups.values(), key=lambda g: (g.kind, g.label, g.id))),
        nodes=tuple(nodes),
        edges=tuple(unique_edges),
    )


def _split_networks(components: Sequence[Component]) -> dict[str, DiagramGroup]:
    """Compose services drawn inside their network, when their project uses several: the
    network group of each service that joins exactly one (a service on several networks
    stays in its project's box, its networks in the inventory)."""
    by_project: dict[str, list[Component]] = {}
    for component in components:
        if component.kind is ComponentKind.COMPOSE_SERVICE and component.group is not None:
            by_project.setdefault(component.group, []).append(component)
    placed: dict[str, DiagramGroup] = {}
    for project, services in by_project.items():
        if len({network for s in services for network in s.networks}) < 2:
            continue
        for service in services:
            if len(service.networks) == 1:
                (network,) = service.networks
                placed[service.id] = DiagramGroup(
                    id=group_id("net", f"{project}/{network}"),
                    label=f"network {network}",
                    kind="compose-network",
                    parent=project,
                )
    return placed


def _crossing_edge(
    boundary: BoundaryKind, kind: str, component_id: str, by_id: dict[str, Component]
) -> tuple[str, str, str]:
    """(source, target, label) of a crossing's edge; host mounts get their target later."""
    component = by_id[component_id]
    if boundary is BoundaryKind.NETWORK_EDGE:
        ports = ", ".join(p.label for p in component.published_ports)
        return (INTERNET, component_id, ports or kind)
    if boundary is BoundaryKind.CLUSTER_API:
        label = "RBAC grant" if kind == "rbac-grant" else "token"
        return (component_id, API_SERVER, label)
    if kind in ("host-mount", "runtime-socket"):
        return (component_id, "", "socket" if kind == "runtime-socket" else "mounts")
    if kind == "host-namespace":
        names = ", ".join(sorted(n.name for n in component.host_namespaces))
        return (component_id, HOST_KERNEL, f"host {names}")
    return (component_id, HOST_KERNEL, kind)


def _label(component: Component) -> str:
    if component.kind is ComponentKind.KUBERNETES_WORKLOAD:
        return f"{component.object_kind} {component.name}"
    if component.kind is ComponentKind.KUBERNETES_SERVICE:
        edge = " (edge)" if is_edge_service(component) else ""
        return f"Service {component.name}{edge}"
    return component.name


def _group(component: Component) -> DiagramGroup:
    assert component.group is not None
    if component.group in _FIXED_GROUPS:
        return _fixed(component.group)
    if component.kind is ComponentKind.COMPOSE_SERVICE:
        return DiagramGroup(
            id=component.group, label=f"compose {component.evidence.path}", kind="compose-project"
        )
    namespace = component.namespace or DEFAULT_NAMESPACE
    assert component.group == group_id("ns", namespace)
    return DiagramGroup(id=component.group, label=f"namespace {namespace}", kind="namespace")


def _fixed(group: str) -> DiagramGroup:
    label, kind = _FIXED_GROUPS[group]
    return DiagramGroup(id=group, label=label, kind=kind)
