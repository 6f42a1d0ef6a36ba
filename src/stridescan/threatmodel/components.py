"""The system inventory: one `Component` per object of the linked model.

Compose services and Kubernetes workloads carry the facts a reviewer asks about first (what
is published, what of the host is mounted, which secrets go in); Dockerfiles, Services,
RBAC objects, kubelet and daemon configurations are components too, so every finding has a
row of its own in the matrix. Ids are assigned in path and line order, so they are stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from stridescan.model import (
    DEFAULT_NAMESPACE,
    Container,
    DaemonConfig,
    Image,
    Ingress,
    KubeletConfig,
    Location,
    NetworkPolicy,
    Role,
    RoleBinding,
    Service,
    SourceKind,
    Workload,
)
from stridescan.parsing import ParsedFile
from stridescan.rules._host_paths import runtime_socket
from stridescan.rules._service_accounts import token_mounted
from stridescan.threatmodel.report import (
    Component,
    ComponentKind,
    ContainerInfo,
    Evidence,
    HostMount,
    HostNamespace,
    PublishedPort,
    SecretRef,
)

#: Rebases a scan-relative path to the report's paths (repository-relative).
PathMap = Callable[[str], str]

_UNSAFE = re.compile(r"[^a-z0-9]+")
_EDGE_SERVICE_TYPES = ("NodePort", "LoadBalancer")


class IdAllocator:
    """Safe, unique identifiers (`[a-z][a-z0-9_]*`) from arbitrary user text."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def new(self, prefix: str, *parts: str) -> str:
        slug = "_".join(s for s in (_UNSAFE.sub("_", p.lower()).strip("_") for p in parts) if s)
        base = f"{prefix}_{slug}" if slug else prefix
        candidate, number = base, 1
        while candidate in self._taken:
            number += 1
            candidate = f"{base}_{number}"
        self._taken.add(candidate)
        return candidate


@dataclass(slots=True)
class Inventory:
    """Components in report order, and the anchors findings are mapped by."""

    components: list[Component] = field(default_factory=list)
    # path -> [(first line, component id)]; line 0 claims the whole file.
    anchors: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    image_ids: dict[str, str] = field(default_factory=dict)  # Dockerfile path -> id
    # For routing, by component id: (namespace, pod labels) of workloads, (namespace,
    # selector) of Services, (namespace, backend Service names) of Ingresses.
    pod_labels: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)
    selectors: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)
    backends: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # What the files could not tell, for the report's coverage section.
    limitations: list[str] = field(default_factory=list)

    def add(self, component: Component, anchor_path: str, anchor_line: int) -> None:
        self.components.append(component)
        self.anchors.setdefault(anchor_path, []).append((anchor_line, component.id))


def evidence(location: Location, paths: PathMap, text: str = "") -> Evidence:
    return Evidence(
        path=paths(location.path), line=location.line, column=location.column, text=text
    )


def build_inventory(files: Iterable[ParsedFile], paths: PathMap) -> Inventory:
    """Every component of the scanned files; the anchors use the scan's own paths."""
    ids, found = IdAllocator(), Inventory()
    ordered = sorted(files, key=lambda f: f.path)
    images = {image.path: image for file in ordered for image in file.images}
    for file in ordered:
        for image in file.images:
            _add_image(found, ids, image, paths)
    # Dockerfiles read only through a compose `build:` are components too.
    for file in ordered:
        for workload in file.workloads:
            for container in workload.containers:
                built = container.built_image
                if built is not None and built.path not in images:
                    images[built.path] = built
                    _add_image(found, ids, built, paths)
    grants = _grants(ordered, paths)
    for file in ordered:
        for workload in sorted(file.workloads, key=lambda w: _order(w.location)):
            _add_workload(found, ids, workload, paths, grants)
        for obj in sorted(file.cluster_objects, key=lambda o: _order(o.location)):
            _add_cluster_object(found, ids, obj, paths)
        for rbac in sorted(file.rbac, key=lambda o: _order(o.location)):
            _add_rbac(found, ids, rbac, paths)
        for daemon in file.daemons:
            _add_daemon(found, ids, daemon, paths)
    for anchors in found.anchors.values():
        anchors.sort()
    found.components = _routed(found)
    return found


Account = tuple[str, str]  # (namespace, service account name)


def _grants(files: Iterable[ParsedFile], paths: PathMap) -> dict[Account, list[Evidence]]:
    """Where each service account is granted a role, by the bindings in the scanned set."""
    grants: dict[Account, list[Evidence]] = {}
    for file in files:
        for binding in file.rbac:
            if not isinstance(binding, RoleBinding):
                continue
            granted = f"{binding.kind} {binding.name} grants {binding.role_kind} "
            granted += binding.role_name.value or "?"
            for subject in binding.subjects:
                name = subject.name.value
                if subject.kind == "ServiceAccount" and name:
                    namespace = subject.namespace or binding.namespace or DEFAULT_NAMESPACE
                    grants.setdefault((namespace, name), []).append(
                        evidence(subject.location, paths, granted)
                    )
    return grants


def _routed(found: Inventory) -> list[Component]:
    """Services joined to the workloads their selector matches, Ingresses to the Services
    they name, and each workload to the entry points that reach it."""
    services_by_name = {
        (c.namespace, c.name): c.id
        for c in found.components
        if c.kind is ComponentKind.KUBERNETES_SERVICE
    }
    names = {c.id: f"{c.object_kind} {c.namespace}/{c.name}" for c in found.components}
    routes: dict[str, list[str]] = {}
    for service, (namespace, selector) in found.selectors.items():
        wanted = set(selector)
        if not wanted:
            found.limitations.append(
                f"{names[service]} has no selector: its endpoints are managed elsewhere"
            )
        routes[service] = [
            workload
            for workload, (pod_namespace, labels) in found.pod_labels.items()
            if wanted and pod_namespace == namespace and wanted <= set(labels)
        ]
    for ingress, (namespace, backends) in found.backends.items():
        routes[ingress] = sorted(
            {
                services_by_name[(namespace, n)]
                for n in backends
                if (namespace, n) in services_by_name
            }
        )
        for missing in sorted({n for n in backends if (namespace, n) not in services_by_name}):
            found.limitations.append(
                f"{names[ingress]} routes to Service {missing}, which is not in the scanned files"
            )
    reached_by: dict[str, list[str]] = {}
    for entry, targets in routes.items():
        for target in targets:
            reached_by.setdefault(target, []).append(entry)
    built_into: dict[str, list[str]] = {}
    for component in found.components:
        for image in component.built_from:
            built_into.setdefault(image, []).append(component.id)
    return [
        replace(
            c,
            routes_to=tuple(routes.get(c.id, ())),
            entry_points=tuple(sorted(reached_by.get(c.id, ()))),
            built_into=tuple(built_into.get(c.id, ())),
        )
        for c in found.components
    ]


def _order(location: Location) -> tuple[int, int]:
    return (location.line, location.column)


def _add_image(found: Inventory, ids: IdAllocator, image: Image, paths: PathMap) -> None:
    stage = image.final_stage
    user = stage.user.value if stage is not None else None
    base = stage.base.value.raw if stage is not None and stage.base.value else None
    notes = [f"final stage FROM {base}" if base else "no FROM"]
    notes.append(f"USER {user}" if user else "no USER: runs as the base image's user")
    component = Component(
        id=ids.new("img", image.path.removesuffix("/Dockerfile").rsplit("/", 1)[-1], "image"),
        name=paths(image.path),
        kind=ComponentKind.IMAGE,
        object_kind="Dockerfile",
        evidence=evidence(image.location, paths),
        group="g_images",
        notes=tuple(notes),
    )
    found.image_ids[image.path] = component.id
    found.add(component, image.path, 0)


def _add_workload(
    found: Inventory,
    ids: IdAllocator,
    workload: Workload,
    paths: PathMap,
    grants: dict[Account, list[Evidence]],
) -> None:
    compose = workload.source_kind is SourceKind.COMPOSE
    namespace = None if compose else (workload.namespace or DEFAULT_NAMESPACE)
    prefix = "svc" if compose else "wl"
    component_id = ids.new(prefix, *(() if compose else (namespace or "",)), workload.name)
    containers = tuple(_container_info(c, paths) for c in workload.containers)
    built_from = tuple(
        sorted(
            {
                found.image_ids[c.build.dockerfile]
                for c in workload.containers
                if c.build is not None and c.build.dockerfile in found.image_ids
            }
        )
    )
    token: bool | None = None
    account: str | None = None
    granted: list[Evidence] = []
    if not compose:
        account = workload.service_account.value or "default"
        token = token_mounted(workload)
        granted = grants.get((namespace or DEFAULT_NAMESPACE, account), [])
        found.pod_labels[component_id] = (namespace or DEFAULT_NAMESPACE, workload.pod_labels)
    notes: list[str] = []
    if workload.network_mode is not None and workload.network_mode.value:
        notes.append(f"network_mode: {workload.network_mode.value}")
    component = Component(
        id=component_id,
        name=workload.name,
        kind=ComponentKind.COMPOSE_SERVICE if compose else ComponentKind.KUBERNETES_WORKLOAD,
        object_kind=workload.kind,
        evidence=evidence(workload.location, paths),
        namespace=namespace,
        group=_group_of(workload, paths),
        containers=containers,
        published_ports=tuple(_published_ports(workload, paths)),
        host_mounts=tuple(_host_mounts(workload, paths)),
        host_namespaces=tuple(_host_namespaces(workload, paths)),
        privileged=any(c.privileged.value is True for c in workload.containers),
        service_account=account,
        service_account_token=token,
        api_access=workload.api_access or bool(granted),
        api_grants=tuple(granted),
        networks=tuple(n.value for n in workload.networks)
        or (("default",) if compose and not _network_mode(workload) else ()),
        secrets=tuple(_secrets(workload, paths)),
        built_from=built_from,
        notes=tuple(notes),
    )
    found.add(component, workload.location.path, workload.location.line)


def _network_mode(workload: Workload) -> str | None:
    setting = workload.network_mode
    return setting.value if setting is not None else None


def _group_of(workload: Workload, paths: PathMap) -> str:
    """The diagram group id; build.py declares the groups from the same function."""
    if workload.source_kind is SourceKind.COMPOSE:
        return group_id("compose", paths(workload.location.path))
    return group_id("ns", workload.namespace or DEFAULT_NAMESPACE)


def group_id(kind: str, name: str) -> str:
    """A group's id from its kind and name; names that slug alike share a hash suffix."""
    slug = _UNSAFE.sub("_", name.lower()).strip("_")
    digest = sum((index + 1) * ord(char) for index, char in enumerate(name)) % 99991
    return f"g_{kind}_{slug}_{digest}"


def _container_info(container: Container, paths: PathMap) -> ContainerInfo:
    image = container.image.value.raw if container.image.value is not None else None
    built = container.built_image
    return ContainerInfo(
        name=container.name,
        role=container.role.value,
        image=image or container.image.unresolved,
        dockerfile=paths(container.build.dockerfile) if container.build is not None else None,
        user=_effective_user(container, built),
        privileged=container.privileged.value is True,
        capabilities_added=tuple(sorted({c.value for c in container.capabilities.added})),
        capabilities_dropped=tuple(sorted({c.value for c in container.capabilities.dropped})),
        evidence=evidence(container.location, paths),
    )


def _effective_user(container: Container, built: Image | None) -> str | None:
    if container.user.value:
        return container.user.value
    if container.run_as_user.value is not None:
        return str(container.run_as_user.value)
    stage = built.final_stage if built is not None else None
    if stage is not None and stage.user.value:
        return stage.user.value
    return None


def _published_ports(workload: Workload, paths: PathMap) -> Iterator[PublishedPort]:
    compose = workload.source_kind is SourceKind.COMPOSE
    for container in workload.containers:
        for port in container.ports:
            # Every compose `ports` entry is published (without a host port, on an
            # ephemeral one); a Kubernetes containerPort is published only by a hostPort.
            if not compose and not port.host_port.is_set:
                continue
            yield PublishedPort(
                host_ip=port.host_ip.value,
                host_port=port.host_port.value or port.host_port.unresolved,
                container_port=port.container_port.value or port.container_port.unresolved,
                protocol=port.protocol,
                evidence=evidence(port.location, paths, container.name),
            )


def _host_mounts(workload: Workload, paths: PathMap) -> Iterator[HostMount]:
    for container in workload.containers:
        for mount in container.mounts:
            host_path = mount.host_path.value or mount.host_path.unresolved
            if not host_path:
                continue
            yield HostMount(
                host_path=host_path,
                target=mount.target.value,
                read_only=mount.read_only.value is True,
                runtime_socket=runtime_socket(host_path) is not None,
                container=container.name,
                evidence=evidence(mount.location, paths, host_path),
            )


def _host_namespaces(workload: Workload, paths: PathMap) -> Iterator[HostNamespace]:
    for name, setting in (
        ("network", workload.host_network),
        ("pid", workload.host_pid),
        ("ipc", workload.host_ipc),
        ("uts", workload.host_uts),
        ("user", workload.host_userns),
    ):
        if setting.value is True:
            yield HostNamespace(name=name, evidence=evidence(setting.location, paths))


def _secrets(workload: Workload, paths: PathMap) -> Iterator[SecretRef]:
    for secret in workload.secrets:
        yield SecretRef(name=secret.value, via="file", evidence=evidence(secret.location, paths))
    for container in workload.containers:
        for variable in container.environment:
            if variable.from_secret:
                yield SecretRef(
                    name=variable.name, via="env", evidence=evidence(variable.location, paths)
                )
            elif variable.name.endswith("_FILE") and (variable.value or "").startswith(
                "/run/secrets/"
            ):
                yield SecretRef(
                    name=(variable.value or "").removeprefix("/run/secrets/"),
                    via="env-file-path",
                    evidence=evidence(variable.location, paths),
                )
        for mount in container.mounts:
            if mount.kind == "secret":
                yield SecretRef(
                    name=mount.source.value or "?",
                    via="volume",
                    evidence=evidence(mount.location, paths),
                )


def _add_cluster_object(
    found: Inventory,
    ids: IdAllocator,
    obj: KubeletConfig | Service | NetworkPolicy | Ingress,
    paths: PathMap,
) -> None:
    location = obj.location
    if isinstance(obj, Service):
        namespace = obj.namespace or DEFAULT_NAMESPACE
        service_type = obj.type.value or "ClusterIP"
        component = Component(
            id=ids.new("svc_k8s", namespace, obj.name),
            name=obj.name,
            kind=ComponentKind.KUBERNETES_SERVICE,
            object_kind="Service",
            evidence=evidence(location, paths),
            namespace=namespace,
            group=group_id("ns", namespace),
            published_ports=tuple(_service_ports(obj, service_type, paths)),
            notes=(f"type: {service_type}",),
        )
        found.selectors[component.id] = (namespace, obj.selector)
    elif isinstance(obj, Ingress):
        namespace = obj.namespace or DEFAULT_NAMESPACE
        hosts = ", ".join(h.value for h in obj.hosts) or "any host"
        component = Component(
            id=ids.new("ing", namespace, obj.name),
            name=obj.name,
            kind=ComponentKind.INGRESS,
            object_kind="Ingress",
            evidence=evidence(location, paths),
            namespace=namespace,
            group=group_id("ns", namespace),
            notes=(f"hosts: {hosts}", "TLS" if obj.tls else "no TLS"),
        )
        found.backends[component.id] = (namespace, tuple(b.value for b in obj.backends))
    elif isinstance(obj, NetworkPolicy):
        namespace = obj.namespace or DEFAULT_NAMESPACE
        component = Component(
            id=ids.new("netpol", namespace, obj.name),
            name=obj.name,
            kind=ComponentKind.NETWORK_POLICY,
            object_kind=obj.kind,
            evidence=evidence(location, paths),
            namespace=namespace,
            group=group_id("ns", namespace),
        )
    else:
        component = Component(
            id=ids.new("kubelet", obj.name),
            name=obj.name,
            kind=ComponentKind.KUBELET,
            object_kind="KubeletConfiguration",
            evidence=evidence(location, paths),
            group="g_host",
        )
    found.add(component, location.path, location.line)


def is_edge_service(component: Component) -> bool:
    return component.kind is ComponentKind.KUBERNETES_SERVICE and any(
        note.removeprefix("type: ") in _EDGE_SERVICE_TYPES for note in component.notes
    )


def _add_rbac(found: Inventory, ids: IdAllocator, obj: Role | RoleBinding, paths: PathMap) -> None:
    namespace = obj.namespace if obj.kind in ("Role", "RoleBinding") else None
    notes: tuple[str, ...] = ()
    if isinstance(obj, RoleBinding):
        notes = (f"grants {obj.role_kind} {obj.role_name.value or '?'}",)
    component = Component(
        id=ids.new("rbac", obj.kind, namespace or "", obj.name),
        name=obj.name,
        kind=ComponentKind.RBAC,
        object_kind=obj.kind,
        evidence=evidence(obj.location, paths),
        namespace=namespace or (DEFAULT_NAMESPACE if obj.kind in ("Role", "RoleBinding") else None),
        group=group_id("ns", namespace or DEFAULT_NAMESPACE)
        if obj.kind in ("Role", "RoleBinding")
        else "g_cluster",
        notes=notes,
    )
    found.add(component, obj.location.path, obj.location.line)


def _add_daemon(found: Inventory, ids: IdAllocator, daemon: DaemonConfig, paths: PathMap) -> None:
    component = Component(
        id=ids.new("daemon", daemon.path),
        name=paths(daemon.path),
        kind=ComponentKind.DOCKER_DAEMON,
        object_kind="daemon.json",
        evidence=evidence(daemon.location, paths),
        group="g_host",
    )
    found.add(component, daemon.path, 0)


def _service_ports(service: Service, service_type: str, paths: PathMap) -> Iterator[PublishedPort]:
    """The ports a NodePort or LoadBalancer Service opens outside the cluster."""
    if service_type not in _EDGE_SERVICE_TYPES:
        return
    for port in service.ports:
        outside = port.port if service_type == "LoadBalancer" else port.node_port
        yield PublishedPort(
            host_ip=None,
            host_port=outside,
            container_port=port.target_port or port.port,
            protocol=port.protocol,
            evidence=evidence(port.location, paths, service_type),
        )
