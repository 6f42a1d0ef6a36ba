"""The intermediate model every parser fills and every rule reads.

Compose and Kubernetes spell the same ideas differently; the parsers absorb that, so one rule
covers both. Every value a rule can look at is `Located`: it carries where it was written, or,
when it is absent, where it would have to be written (the service, container or stage that
lacks it), so rules never compute positions.
"""

from __future__ import annotations

import enum
from typing import Generic, TypeVar

from stridescan._frozen import dataclass  # dataclasses' own, built faster (start-up time)

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A place in a scanned file: `path` relative to the scan root, POSIX, 1-based line/col."""

    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A value and where it is written.

    `value is None` means absent (located at the owner), unless `unresolved` holds the text
    that was written but could not be known (an unset `${VAR}`): such a value is set, yet no
    rule may decide on its content. That is how a value that cannot be known never produces
    a finding by itself.
    """

    value: T
    location: Location
    unresolved: str | None = None

    @property
    def is_set(self) -> bool:
        """Written in the file, whether or not its value could be resolved."""
        return self.value is not None or self.unresolved is not None


# Parsers create these two by the hundred thousand in a large scan. A frozen dataclass's
# `__init__` sets each field through `object.__setattr__`; writing the slots directly
# through their descriptors builds them about twice as fast, with the same signature and
# the same immutability afterwards.
_LOCATION_SLOTS = tuple(
    Location.__dict__[name].__set__ for name in ("path", "line", "column", "end_line", "end_column")
)
_LOCATED_SLOTS = tuple(
    Located.__dict__[name].__set__ for name in ("value", "location", "unresolved")
)


def _location_init(
    self: Location,
    *,
    path: str,
    line: int,
    column: int = 1,
    end_line: int | None = None,
    end_column: int | None = None,
) -> None:
    set_path, set_line, set_column, set_end_line, set_end_column = _LOCATION_SLOTS
    set_path(self, path)
    set_line(self, line)
    set_column(self, column)
    set_end_line(self, end_line)
    set_end_column(self, end_column)


def _located_init(
    self: Located[T], value: T, location: Location, unresolved: str | None = None
) -> None:
    set_value, set_location, set_unresolved = _LOCATED_SLOTS
    set_value(self, value)
    set_location(self, location)
    set_unresolved(self, unresolved)


setattr(Location, "__init__", _location_init)  # noqa: B010 (mypy refuses a method assignment)
setattr(Located, "__init__", _located_init)  # noqa: B010


class SourceKind(str, enum.Enum):
    DOCKERFILE = "dockerfile"
    COMPOSE = "compose"
    KUBERNETES = "kubernetes"
    DAEMON = "daemon"


class ContainerRole(str, enum.Enum):
    """What a container is to its workload."""

    SERVICE = "service"  # a compose service
    CONTAINER = "container"
    INIT = "init"
    EPHEMERAL = "ephemeral"


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageRef:
    """A parsed image reference: `registry/repository:tag@digest`."""

    raw: str
    registry: str | None = None
    repository: str = ""
    tag: str | None = None
    digest: str | None = None
    # False when the reference holds a variable that could not be resolved.
    resolved: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Variable:
    """An ENV/ARG name and value in a Dockerfile, or an environment entry of a container."""

    name: str
    value: str | None
    location: Location
    # True when the value comes from a secret store (secretKeyRef, compose `secrets:`),
    # False for a literal written in the file.
    from_secret: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Instruction:
    """One Dockerfile instruction, continuation lines joined, heredoc bodies attached."""

    keyword: str  # upper case: RUN, COPY, ...
    arguments: str  # the text after the keyword, variables not substituted
    location: Location  # start line; end_line covers continuations and heredocs
    # Heredoc bodies (`RUN <<EOF ... EOF`), in order, with their names.
    heredocs: tuple[tuple[str, str], ...] = ()
    # Exec (JSON) form arguments, when the instruction was written as a JSON array.
    exec_form: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """One `FROM` of a Dockerfile and the instructions under it."""

    index: int
    name: str | None  # the `AS name`
    base: Located[ImageRef]
    # Index of an earlier stage this one is built on (`FROM builder`), else None.
    parent_stage: int | None
    location: Location  # the FROM line
    instructions: tuple[Instruction, ...] = ()
    # The USER in force at the end of this stage, following the parent-stage chain;
    # value None when no USER was ever set (the base image's default applies), located at
    # the FROM line. A USER whose variables cannot be resolved keeps its raw text.
    user: Located[str | None]
    # The HEALTHCHECK in force (CMD text, or "NONE"), following the parent-stage chain.
    healthcheck: Located[str | None]
    env: tuple[Variable, ...] = ()
    args: tuple[Variable, ...] = ()
    exposed_ports: tuple[Located[str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    """A Dockerfile: its stages; the last one is what runs."""

    path: str
    location: Location  # line 1 of the file
    stages: tuple[Stage, ...]
    global_args: tuple[Variable, ...] = ()

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Mount:
    """A filesystem mount of a container.

    `host_path` is set for bind mounts (compose) and hostPath volumes (Kubernetes), and is
    located where the host path is written (for Kubernetes, in the pod's `volumes`).
    """

    kind: str  # bind, volume, tmpfs, hostPath, emptyDir, secret, configMap, ...
    source: Located[str | None]
    target: Located[str | None]
    host_path: Located[str | None]
    read_only: Located[bool | None]
    propagation: Located[str | None]
    location: Location  # the entry in the container's volume list


@dataclass(frozen=True, slots=True, kw_only=True)
class Port:
    container_port: Located[str | None]
    host_port: Located[str | None]
    host_ip: Located[str | None]
    protocol: str = "tcp"
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Resources:
    memory_limit: Located[str | None]
    memory_request: Located[str | None]
    cpu_limit: Located[str | None]
    cpu_request: Located[str | None]
    pids_limit: Located[str | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """Capability names normalised to upper case without the `CAP_` prefix."""

    added: tuple[Located[str], ...]
    dropped: tuple[Located[str], ...]
    # Where `cap_add` / `capabilities.add` is written, or the container when absent.
    add_location: Location
    drop_location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildRef:
    """A compose `build:`: the context directory and Dockerfile, relative to the scan root."""

    context: str
    dockerfile: str
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Container:
    """A container as it will run: a compose service or a Kubernetes container.

    Settings that Kubernetes allows at pod level (runAsUser, runAsNonRoot, seccomp, ...) are
    already merged here with the container's own winning, exactly as the kubelet does.
    """

    name: str
    role: ContainerRole
    source_kind: SourceKind
    location: Location  # the service key / the container's `name:` entry
    workload_name: str
    image: Located[ImageRef | None]
    privileged: Located[bool | None]
    # Compose `no-new-privileges:true` and Kubernetes `allowPrivilegeEscalation: false`
    # are both `no_new_privileges == True`.
    no_new_privileges: Located[bool | None]
    user: Located[str | None]  # compose `user`, as written ("1000:1000", "root")
    run_as_user: Located[int | None]
    run_as_non_root: Located[bool | None]
    read_only_root_filesystem: Located[bool | None]
    capabilities: Capabilities
    security_context: Location  # where securityContext/security_opt is, or the container
    security_options: tuple[Located[str], ...] = ()
    mounts: tuple[Mount, ...] = ()
    ports: tuple[Port, ...] = ()
    environment: tuple[Variable, ...] = ()
    resources: Resources
    build: BuildRef | None = None
    # The Image this container runs, when it is built from a Dockerfile in the tree.
    built_image: Image | None = None
    devices: tuple[Located[str], ...] = ()  # host devices passed in (compose `devices`)
    # Profiles as written, lower case ("unconfined", "runtimedefault", a path); None when
    # the format has no such setting. Kubernetes pod-level values are merged in.
    seccomp_profile: Located[str | None] | None = None
    apparmor_profile: Located[str | None] | None = None
    # Compose-only settings; None for formats without them.
    healthcheck: Located[str | None] | None = None  # the test as written, "NONE" if disabled
    # `no`, `always`, `unless-stopped`, `on-failure`, `on-failure:N` (Swarm's `any` is always).
    restart_policy: Located[str | None] | None = None
    logging_driver: Located[str | None] | None = None
    cgroup_parent: Located[str | None] | None = None
    # Kubernetes-only settings; None for formats without them. SELinux options are taken
    # whole from the container when it sets any, else from the pod, as the kubelet does.
    apparmor_annotation: Located[str | None] | None = None  # the legacy per-container form
    selinux_type: Located[str | None] | None = None
    selinux_user: Located[str | None] | None = None
    selinux_role: Located[str | None] | None = None
    proc_mount: Located[str | None] | None = None
    host_process: Located[bool | None] | None = None  # windowsOptions.hostProcess
    # The probe's handler as written (`httpGet`, `exec`, `tcpSocket`, `grpc`).
    liveness_probe: Located[str | None] | None = None
    readiness_probe: Located[str | None] | None = None
    # Kubernetes `command` and `args`, each item where it is written (control-plane flags).
    command: tuple[Located[str], ...] = ()
    args: tuple[Located[str], ...] = ()
    # Kubernetes `imagePullPolicy` as written; None when the format has no such setting.
    image_pull_policy: Located[str | None] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Volume:
    """A pod-level Kubernetes volume (or a compose top-level volume)."""

    name: str
    kind: str  # hostPath, emptyDir, secret, ...
    host_path: Located[str | None]
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload:
    """A compose service or a Kubernetes object that holds a pod template."""

    name: str
    kind: str  # "ComposeService", "Pod", "Deployment", "CronJob", ...
    source_kind: SourceKind
    namespace: str | None
    location: Location  # the service key / the object's `kind:` line
    containers: tuple[Container, ...]
    host_network: Located[bool | None]
    host_pid: Located[bool | None]
    host_ipc: Located[bool | None]
    host_uts: Located[bool | None]
    host_userns: Located[bool | None]
    automount_service_account_token: Located[bool | None]
    service_account: Located[str | None]
    volumes: tuple[Volume, ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()
    sysctls: tuple[Located[str], ...] = ()  # pod securityContext.sysctls names
    # `metadata.namespace` where written (Kubernetes); `namespace` above is its value.
    namespace_setting: Located[str | None] | None = None
    # Compose `network_mode` as written (`bridge`, `host`, `service:db`); None elsewhere.
    network_mode: Located[str | None] | None = None
    # Compose `extends`: the service it builds on and the file holding it (None: this file).
    extends: tuple[str, str | None] | None = None
    # Kubernetes: True when a RoleBinding or ClusterRoleBinding anywhere in the scanned set
    # grants a role to this workload's service account, so it talks to the API server.
    api_access: bool = False
    # Kubernetes: the pod template's labels, which Services select (threat-model routing).
    pod_labels: tuple[tuple[str, str], ...] = ()
    # Compose: the networks the service joins (`networks:`), and the `secrets:` it receives.
    networks: tuple[Located[str], ...] = ()
    secrets: tuple[Located[str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyRule:
    """One entry of a Role's or ClusterRole's `rules`, each name where it is written."""

    api_groups: tuple[Located[str], ...]
    resources: tuple[Located[str], ...]  # with subresources as written: `pods/exec`
    verbs: tuple[Located[str], ...]
    resource_names: tuple[Located[str], ...] = ()
    non_resource_urls: tuple[Located[str], ...] = ()
    location: Location  # the entry in `rules`


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """A Kubernetes Role or ClusterRole."""

    name: str
    kind: str  # "Role" or "ClusterRole"
    source_kind: SourceKind
    namespace: str | None
    location: Location  # the object's `kind:` line
    rules: tuple[PolicyRule, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """Who a binding grants to: a User, Group or ServiceAccount."""

    kind: str
    name: Located[str | None]
    namespace: str | None
    location: Location  # the entry in `subjects`


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleBinding:
    """A Kubernetes RoleBinding or ClusterRoleBinding."""

    name: str
    kind: str  # "RoleBinding" or "ClusterRoleBinding"
    source_kind: SourceKind
    namespace: str | None
    location: Location
    role_kind: str  # roleRef.kind: "Role" or "ClusterRole"
    role_name: Located[str | None]  # roleRef.name
    subjects: tuple[Subject, ...] = ()


#: Kubernetes access-control objects, which hold no containers.
RbacObject = Role | RoleBinding


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """A Kubernetes Service: how its workloads are reachable."""

    name: str
    source_kind: SourceKind
    namespace: str | None
    location: Location  # the object's `kind:` line
    type: Located[str | None]  # spec.type; absent means ClusterIP
    source_ranges: tuple[Located[str], ...] = ()  # spec.loadBalancerSourceRanges
    annotations: tuple[tuple[str, str], ...] = ()
    selector: tuple[tuple[str, str], ...] = ()  # spec.selector: the pod labels it routes to
    ports: tuple[ServicePort, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ServicePort:
    """One entry of a Service's `spec.ports`; numbers as written."""

    port: str | None
    target_port: str | None
    node_port: str | None
    protocol: str
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Ingress:
    """A Kubernetes Ingress: the HTTP entry point routing hosts and paths to Services."""

    name: str
    source_kind: SourceKind
    namespace: str | None
    location: Location  # the object's `kind:` line
    hosts: tuple[Located[str], ...] = ()  # spec.rules[].host
    # Backend Service names (spec.defaultBackend and every rule path), where written.
    backends: tuple[Located[str], ...] = ()
    tls: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class KubeletConfig:
    """A `KubeletConfiguration` file (kubelet.config.k8s.io), as operators keep it in git.

    Values as written; absent ones are located at the object's `kind:` line. The rules know
    the file's defaults, which differ from the kubelet's command-line defaults.
    """

    name: str
    source_kind: SourceKind
    location: Location
    anonymous_auth: Located[bool | None]  # authentication.anonymous.enabled
    authorization_mode: Located[str | None]  # authorization.mode
    read_only_port: Located[int | None]
    protect_kernel_defaults: Located[bool | None]
    make_iptables_util_chains: Located[bool | None]
    streaming_connection_idle_timeout: Located[str | None]
    rotate_certificates: Located[bool | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonConfig:
    """A Docker daemon configuration file (`/etc/docker/daemon.json`).

    Absent settings are located at the file's opening brace, where a fix would be added.
    """

    path: str
    source_kind: SourceKind
    location: Location
    icc: Located[bool | None]
    log_level: Located[str | None]
    live_restore: Located[bool | None]
    no_new_privileges: Located[bool | None]
    userns_remap: Located[str | None]
    insecure_registries: tuple[Located[str], ...]
    userland_proxy: Located[bool | None]
    hosts: tuple[Located[str], ...]
    tls_verify: Located[bool | None]
    authorization_plugins: tuple[Located[str], ...]
    log_driver: Located[str | None]
    experimental: Located[bool | None]
    seccomp_profile: Located[str | None]
    iptables: Located[bool | None]
    storage_driver: Located[str | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkPolicy:
    """A Kubernetes NetworkPolicy (or Calico's or Cilium's namespaced equivalent)."""

    name: str
    kind: str  # "NetworkPolicy", "CiliumNetworkPolicy"
    source_kind: SourceKind
    namespace: str | None
    location: Location  # the object's `kind:` line
    # spec.podSelector.matchLabels; empty with `selects_all_pods` for `podSelector: {}`.
    pod_selector: tuple[tuple[str, str], ...] = ()
    selects_all_pods: bool = False


#: Other Kubernetes objects the rules read: node configuration and how workloads are exposed.
ClusterObject = KubeletConfig | Service | NetworkPolicy | Ingress

#: Namespace assumed for objects without `metadata.namespace` (where kubectl puts them).
DEFAULT_NAMESPACE = "default"


@dataclass(frozen=True, slots=True, kw_only=True)
class NamespaceInventory:
    """What the scanned set holds in one namespace; locations sorted by path and line."""

    name: str
    workloads: tuple[Location, ...]  # `kind:` lines of workloads whose pods NetworkPolicy sees
    network_policies: tuple[Location, ...] = ()
    services: tuple[Location, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """Every Kubernetes object of one scan, by namespace: built after all files are parsed,
    for rules whose answer depends on objects in other files (a namespace's NetworkPolicy)."""

    source_kind: SourceKind
    location: Location  # the first Kubernetes object in path order
    namespaces: tuple[NamespaceInventory, ...]


#: Everything a parser can hand to the rule engine.
ModelObject = (
    Image
    | Workload
    | Container
    | Role
    | RoleBinding
    | KubeletConfig
    | Service
    | NetworkPolicy
    | Ingress
    | DaemonConfig
    | Cluster
)
