"""The threat model as data: what every form (Markdown, HTML, JSON) renders.

The forms only lay this out; every decision (which component a finding belongs to, what
crosses a trust boundary, the order of everything) is taken once, in `build.py`, so the
three forms cannot disagree. Everything here is frozen and holds tuples in a stable order
(by path, line, code), so two runs over the same files give equal objects and a committed
report diffs only where the deployment changed.

Interface notes for the renderers (field names are stable; fields may be added):
- `Component.id`, `DiagramNode.id`, `DiagramGroup.id` are safe identifiers
  (`[a-z][a-z0-9_]*`), unique within one model; node ids of components equal their
  component ids. Labels and names are the user's text, unescaped: escape them on output.
- Severities are `Severity` and categories `Stride` (both `str` enums from
  `stridescan.rules._meta`); `None` severity means "no finding".
- `DiagramNode.group` may differ from `Component.group`: compose services are drawn inside
  a network group (`DiagramGroup.parent` = the project) when their project has several.

Changes since the first version (none renamed): added `Component.api_grants`; Ingresses are
components (`ComponentKind.INGRESS`); Services carry `published_ports` and `routes_to`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stridescan.rules._meta import Severity, Stride

#: Bumped when a field of the JSON form changes meaning or goes away (adding one does not).
SCHEMA_VERSION = 1

#: The STRIDE categories in the order every form shows them.
STRIDE_ORDER: tuple[Stride, ...] = tuple(Stride)


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """A place in a scanned file, with what is written or found there.

    `path` is relative as in `scan` (to the repository root when the scan ran below one, so
    `path#Lline` links work in a pull request).
    """

    path: str
    line: int
    column: int = 1
    text: str = ""


class ComponentKind(str, enum.Enum):
    """What a row of the inventory is."""

    COMPOSE_SERVICE = "compose-service"
    KUBERNETES_WORKLOAD = "kubernetes-workload"
    KUBERNETES_SERVICE = "kubernetes-service"  # an entry point: how workloads are reached
    INGRESS = "ingress"
    IMAGE = "image"  # a Dockerfile
    DOCKER_DAEMON = "docker-daemon"
    RBAC = "rbac"  # a Role, ClusterRole or binding
    KUBELET = "kubelet"
    NETWORK_POLICY = "network-policy"
    OTHER = "other"  # findings tied to no object of the model (a whole file, the scan)


#: Components through which traffic enters (Services and Ingresses).
ENTRY_KINDS = (ComponentKind.KUBERNETES_SERVICE, ComponentKind.INGRESS)
_NAMESPACED_KINDS = (ComponentKind.KUBERNETES_WORKLOAD, *ENTRY_KINDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedPort:
    """A port reachable from outside the container's network: compose `ports`, a Kubernetes
    `hostPort`, or a port of a NodePort / LoadBalancer Service."""

    host_ip: str | None  # None: all interfaces
    host_port: str | None  # None: an ephemeral port chosen by the runtime
    container_port: str | None
    protocol: str
    evidence: Evidence

    @property
    def label(self) -> str:
        """`0.0.0.0:80->80/tcp` style text, as `docker ps` shows it."""
        host = f"{self.host_ip}:" if self.host_ip else ""
        published = f"{host}{self.host_port}" if self.host_port else f"{host}(ephemeral)"
        return f"{published}->{self.container_port or '?'}/{self.protocol}"


@dataclass(frozen=True, slots=True, kw_only=True)
class HostMount:
    """A path of the host inside a container: a bind mount or a hostPath volume."""

    host_path: str
    target: str | None
    read_only: bool
    runtime_socket: bool  # docker.sock, containerd.sock, crio.sock ...
    container: str  # the container (or compose service) that mounts it
    evidence: Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class HostNamespace:
    """A namespace shared with the host: `network`, `pid`, `ipc`, `uts` or `user`."""

    name: str
    evidence: Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretRef:
    """A secret a component receives: `via` is `env` (secretKeyRef), `volume` (a Secret
    volume), `file` (compose `secrets:`), or `env-file-path` (a `*_FILE` variable)."""

    name: str
    via: str
    evidence: Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class ContainerInfo:
    """One container of a component (a compose service is its own single container)."""

    name: str
    role: str  # service, container, init, ephemeral
    image: str | None  # as written; None when built without an image name
    dockerfile: str | None  # the Dockerfile it is built from, when in the tree
    user: str | None  # effective user as far as the files say (incl. the image's USER)
    privileged: bool
    capabilities_added: tuple[str, ...]
    capabilities_dropped: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A row of the system inventory and of the STRIDE matrix."""

    id: str
    name: str
    kind: ComponentKind
    # `Deployment`, `ComposeService`, `Dockerfile`, `Service`, `ClusterRole` ...
    object_kind: str
    evidence: Evidence  # where the object is declared
    # The compose project or Kubernetes namespace; None for files outside both.
    namespace: str | None = None
    networks: tuple[str, ...] = ()
    group: str | None = None  # the DiagramGroup it is drawn in
    containers: tuple[ContainerInfo, ...] = ()
    published_ports: tuple[PublishedPort, ...] = ()
    host_mounts: tuple[HostMount, ...] = ()
    host_namespaces: tuple[HostNamespace, ...] = ()
    privileged: bool = False
    service_account: str | None = None
    # None: not Kubernetes; True/False: whether the API token is mounted (default True).
    service_account_token: bool | None = None
    api_access: bool = False  # its service account is bound to a role in the scanned set
    # The bindings that grant its service account a role (`text`: what they grant).
    api_grants: tuple[Evidence, ...] = ()
    secrets: tuple[SecretRef, ...] = ()
    # Ids of entry-point components (Services, Ingresses) that route to this one, or for an
    # entry point, the components it routes to.
    entry_points: tuple[str, ...] = ()
    routes_to: tuple[str, ...] = ()
    # Image components: ids of the services built from this Dockerfile.
    built_into: tuple[str, ...] = ()
    # Workloads and services: ids of the image components they are built from.
    built_from: tuple[str, ...] = ()
    # Service type, ingress hosts, and similar one-line facts, as text.
    notes: tuple[str, ...] = ()
    worst_severity: Severity | None = None
    findings: int = 0

    @property
    def title(self) -> str:
        """The name a reader knows the component by, the same in every form."""
        if self.kind in _NAMESPACED_KINDS:
            return f"{self.object_kind} {self.namespace}/{self.name}"
        if self.kind is ComponentKind.COMPOSE_SERVICE:
            return f"service {self.name}"
        if self.kind is ComponentKind.RBAC:
            scope = f"{self.namespace}/" if self.namespace else ""
            return f"{self.object_kind} {scope}{self.name}"
        return self.name


class BoundaryKind(str, enum.Enum):
    HOST = "host"
    NETWORK_EDGE = "network-edge"
    CLUSTER_API = "cluster-api"


@dataclass(frozen=True, slots=True, kw_only=True)
class Crossing:
    """One way a component reaches across a trust boundary."""

    component: str  # component id
    kind: str  # host-mount, runtime-socket, host-namespace, privileged, published-port,
    # node-port, load-balancer, ingress, service-account-token, rbac-grant, device
    description: str
    evidence: Evidence


@dataclass(frozen=True, slots=True, kw_only=True)
class TrustBoundary:
    id: str  # the BoundaryKind's value
    kind: BoundaryKind
    title: str
    description: str
    crossings: tuple[Crossing, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixCell:
    """Findings of one component in one category (a finding counts in every category its
    rule is tagged with)."""

    count: int = 0
    worst: Severity | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixRow:
    component: str  # component id
    cells: tuple[MatrixCell, ...]  # in STRIDE_ORDER
    total: int  # distinct findings of the component
    worst: Severity | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    id: str  # `cis-docker-1.6:5.5`
    title: str  # `CIS Docker Benchmark v1.6.0, 5.5`


@dataclass(frozen=True, slots=True, kw_only=True)
class Occurrence:
    """One finding of a threat."""

    evidence: Evidence  # `text` is the finding's message
    component: str | None  # component id
    severity: Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class Threat:
    """One rule's findings, as they bear on one STRIDE category."""

    code: str
    slug: str
    title: str
    severity: Severity  # the worst of its occurrences
    primary: bool  # the category is the rule's primary one (its code's letter)
    categories: tuple[Stride, ...]
    components: tuple[str, ...]  # component ids, sorted
    occurrences: tuple[Occurrence, ...]
    mitigation: str
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedRule:
    code: str
    slug: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CategorySection:
    category: Stride
    title: str  # "Spoofing"
    meaning: str  # what the category means for containers, one sentence
    threats: tuple[Threat, ...]  # primary ones first, then by worst severity and code
    checked: tuple[CheckedRule, ...]  # every rule run that is tagged with the category


@dataclass(frozen=True, slots=True, kw_only=True)
class HardeningStep:
    rank: int  # 1-based
    code: str
    slug: str
    title: str
    fix: str
    severity: Severity
    critical: int
    high: int
    total: int
    components: tuple[str, ...]
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptedRisk:
    """A suppressed finding: the risk someone decided to accept, and why."""

    code: str
    slug: str
    title: str
    severity: Severity
    categories: tuple[Stride, ...]
    evidence: Evidence  # `text` is the finding's message
    component: str | None
    kind: str  # inSource (a comment or annotation) or external (the baseline)
    reason: str
    suppressed_at: Evidence | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagramGroup:
    id: str
    label: str
    kind: str  # compose-project, namespace, host, images, cluster, outside
    parent: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagramNode:
    id: str
    label: str
    # component kinds' values, or `internet`, `host-path`, `host-namespace`, `port`
    kind: str
    group: str | None
    severity: Severity | None = None
    findings: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagramEdge:
    source: str
    target: str
    label: str
    kind: str  # exposes, routes, mounts, shares, builds, api
    boundary: str | None = None  # the TrustBoundary id it crosses


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagram:
    groups: tuple[DiagramGroup, ...]
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanProblem:
    """A file or part of one that could not be read: its threats are unknown."""

    path: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    files_scanned: int
    rules_run: int
    findings: int
    suppressed: int
    problems: tuple[ScanProblem, ...] = ()
    # What the model could not tell, so a reviewer knows what to check by hand.
    limitations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatModel:
    tool_version: str
    title: str
    components: tuple[Component, ...]
    boundaries: tuple[TrustBoundary, ...]
    matrix: tuple[MatrixRow, ...]
    categories: tuple[CategorySection, ...]  # all six, in STRIDE_ORDER
    hardening_plan: tuple[HardeningStep, ...]
    accepted_risks: tuple[AcceptedRisk, ...]
    diagram: Diagram
    coverage: Coverage
    schema_version: int = SCHEMA_VERSION

    def component(self, component_id: str) -> Component:
        return components_by_id(self)[component_id]


def components_by_id(model: ThreatModel) -> dict[str, Component]:
    """Components by id, built once per model: a report links components thousands of times
    in a large repository, and a search of the tuple each time would be quadratic."""
    global _INDEX
    if _INDEX is None or _INDEX[0] is not model:
        _INDEX = (model, {component.id: component for component in model.components})
    return _INDEX[1]


_INDEX: tuple[ThreatModel, dict[str, Component]] | None = None


#: What each category means for containers, in one sentence.
MEANINGS: dict[Stride, str] = {
    Stride.SPOOFING: (
        "Something pretends to be what it is not: a container reaching the network with raw "
        "sockets, a pod using a shared service-account identity, a port on an interface "
        "nobody meant to expose."
    ),
    Stride.TAMPERING: (
        "Code or data changes without authority: a writable root filesystem, a host path "
        "mounted read-write, an image that can change under the same tag."
    ),
    Stride.REPUDIATION: (
        "Actions cannot be traced to who did them: missing logs, shared identities and "
        "shared credentials."
    ),
    Stride.INFORMATION_DISCLOSURE: (
        "Secrets or data reach someone who should not see them: credentials in images or "
        "environment variables, open ports, unrestricted traffic between pods."
    ),
    Stride.DENIAL_OF_SERVICE: (
        "One container starves the others or the host: no memory, CPU or process limits, "
        "no health checks to restart what hangs."
    ),
    Stride.ELEVATION_OF_PRIVILEGE: (
        "A process gains rights it was not given: root users, privileged containers, added "
        "capabilities, the container runtime's socket, host namespaces."
    ),
}
