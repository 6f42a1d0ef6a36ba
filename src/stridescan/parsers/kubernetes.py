"""Kubernetes manifests to workloads: one per object that holds a pod template.

Every workload kind keeps the same pod spec at a different depth, so the kind only decides
where to look; everything below the pod spec is read by one set of functions. Pod-level
security settings are merged into each container here, the way the kubelet merges them, so
rules see the setting that will be in force and never look at the pod themselves.

Kubernetes' own reader is YAML 1.1 and strict about types: `privileged: yes` is true, but
`privileged: "true"` is refused. We read the same way, so a manifest the API server would
reject is a parse problem here too, reported at the offending value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple, TypeVar

from stridescan._frozen import builder
from stridescan.diagnostics import ParseError, Problem
from stridescan.imageref import parse_image_ref
from stridescan.model import (
    Capabilities,
    Container,
    ContainerRole,
    ImageRef,
    Located,
    Location,
    Mount,
    Port,
    Resources,
    SourceKind,
    Variable,
    Volume,
    Workload,
)
from stridescan.parsers._nodes import (
    Reader,
    describe,
    key_location,
    new_located,
    new_location,
    scalar_text,
)
from stridescan.yamlsource import Mapping, Node, Scalar, Sequence

T = TypeVar("T")

_APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
HELM_HINT = "Helm charts must be rendered first: `helm template . | stridescan scan -`"
_TEMPLATE_MARKER = "{{"

# Where each workload kind keeps its pod spec, as keys from the object's root.
_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
}

_PROBE_HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")

_CONTAINER_LISTS = (
    ("containers", ContainerRole.CONTAINER),
    ("initContainers", ContainerRole.INIT),
    ("ephemeralContainers", ContainerRole.EPHEMERAL),
)

# The model objects of a pod, built the fast way (see `_frozen.builder`): a large scan makes
# several for every container.
_new_workload = builder(Workload)
_new_container = builder(Container)
_new_volume = builder(Volume)
_new_mount = builder(Mount)
_new_port = builder(Port)
_new_variable = builder(Variable)
_new_resources = builder(Resources)
_new_capabilities = builder(Capabilities)


def is_kubernetes_document(root: Node) -> bool:
    """True for a mapping with scalar `apiVersion` and `kind`: what every API object has."""
    if not isinstance(root, Mapping):
        return False
    api_version, kind = root.get("apiVersion"), root.get("kind")
    return _is_text(api_version) and _is_text(kind)


def parse_kubernetes(root: Mapping, path: str) -> tuple[list[Workload], list[Problem]]:
    """The workloads of one document; a bad item of a List is a Problem, not the end.

    A single object of the wrong shape raises ParseError at the offending value.
    """
    try:
        return _parse_item(root, path, "", None)
    except ParseError as error:
        raise _with_helm_hint(error, root) from None


def _parse_list(
    items: Sequence, path: str, list_kind: str, where: str
) -> tuple[list[Workload], list[Problem]]:
    """Parse each item on its own, so one broken item does not hide its neighbours.

    Items of a typed list (`PodList` from the API) carry no `kind`; it is the list's minus
    `List`. A plain `List` must name the kind of every item.
    """
    workloads: list[Workload] = []
    problems: list[Problem] = []
    item_kind = None if list_kind == "List" else list_kind.removesuffix("List")
    for index, item in enumerate(items.items):
        item_where = f"{where}[{index}]"
        try:
            found, nested = _parse_item(item, path, item_where, item_kind)
        except ParseError as error:
            problems.append(_with_helm_hint(error, item).to_problem(path))
            continue
        workloads.extend(found)
        problems.extend(nested)
    return workloads, problems


def _parse_item(
    item: Node, path: str, where: str, default_kind: str | None
) -> tuple[list[Workload], list[Problem]]:
    """One object, or the items of a list object (whose own bad items become Problems)."""
    if not isinstance(item, Mapping):
        raise ParseError(f"{where} must be a mapping, not {describe(item)}", item.line, item.column)
    kind = scalar_text(item.get("kind"), _join(where, "kind")) or default_kind
    if kind is None:
        named = f"{where} " if where else ""
        raise ParseError(f"the object {named}has no kind", item.line, item.column)
    items = None
    if kind.endswith("List"):
        items = Reader(path, item, _start(path, item), where).sequence_at("items")
    if items is None:
        return _parse_object(item, path, where, kind), []
    return _parse_list(items, path, kind, _join(where, "items"))


def _parse_object(root: Mapping, path: str, where: str, kind: str) -> list[Workload]:
    """The workload of one object, or none for kinds without a pod template.

    Kinds are matched only in built-in API groups (no dot in the group): a custom resource
    may reuse a name like `Job` with a different shape.
    """
    spec_path = _POD_SPEC_PATHS.get(kind)
    api_version = scalar_text(root.get("apiVersion"), _join(where, "apiVersion")) or ""
    group = api_version.rpartition("/")[0]
    if spec_path is None or "." in group:
        return []
    return [_workload(root, path, where, kind, spec_path)]


class _Pod(NamedTuple):
    """What every container of one pod needs from the pod around it."""

    path: str
    workload_name: str
    spec: Reader
    security: _PodSecurity
    volumes: dict[str, Volume]
    apparmor_annotations: dict[str, Located[str | None]]


class _PodSecurity(NamedTuple):
    """Pod-level securityContext settings a container inherits unless it sets its own.

    Read once per pod, so a bad value is reported even when no container inherits it.
    """

    run_as_user: Located[int | None]
    run_as_non_root: Located[bool | None]
    seccomp_profile: Located[str | None]
    apparmor_profile: Located[str | None]
    selinux: _SELinux
    host_process: Located[bool | None]

    @classmethod
    def read(cls, spec: Reader) -> _PodSecurity:
        security = spec.child("securityContext", owner=spec.owner)
        return cls(
            run_as_user=security.integer("runAsUser"),
            run_as_non_root=security.boolean("runAsNonRoot", yaml11=True),
            seccomp_profile=_profile_type(security, "seccompProfile"),
            apparmor_profile=_profile_type(security, "appArmorProfile"),
            selinux=_SELinux.read(security),
            host_process=_host_process(security),
        )


class _SELinux(NamedTuple):
    """`seLinuxOptions`: the kubelet takes the container's whole, or else the pod's."""

    written: bool
    type: Located[str | None]
    user: Located[str | None]
    role: Located[str | None]

    @classmethod
    def read(cls, security: Reader) -> _SELinux:
        options = _inner(security, "seLinuxOptions")
        if options is None:
            absent = security.absent
            return cls(False, absent, absent, absent)
        return cls(
            written=True,
            type=_text(options, "type"),
            user=_text(options, "user"),
            role=_text(options, "role"),
        )

    def over(self, pod: _SELinux) -> _SELinux:
        return self if self.written or not pod.written else pod


def _host_process(security: Reader) -> Located[bool | None]:
    options = _inner(security, "windowsOptions")
    return security.absent if options is None else options.boolean("hostProcess", yaml11=True)


def _inner(security: Reader, key: str) -> Reader | None:
    """The reader of the settings under `key`, absent values at the same owner; None when
    there are none (most containers set none of these: no reader to build then)."""
    if security.mapping_at(key) is None:
        return None
    return security.child(key, owner=security.owner)


def _workload(
    root: Mapping, path: str, where: str, kind: str, spec_path: tuple[str, ...]
) -> Workload:
    kind_key = root.key_node("kind")  # absent in the items of a typed list
    location = _start(path, kind_key if kind_key is not None else root)
    top = Reader(path, root, location, where)
    metadata = top.child("metadata", owner=location)
    name = metadata.text("name").value or kind
    template = _descend(top, spec_path[:-1])  # the pod template, or the Pod itself
    spec = template.child(spec_path[-1], owner=location)
    annotations = _annotations(metadata)
    pod_metadata = metadata
    if len(spec_path) > 1:
        pod_metadata = template.child("metadata", owner=location)
        annotations += _annotations(pod_metadata)
    volumes = _volumes(spec)
    apparmor = _apparmor_annotations(pod_metadata)
    pod = _Pod(path, name, spec, _PodSecurity.read(spec), volumes, apparmor)
    service_account = spec.text("serviceAccountName")
    if service_account.value is None:
        service_account = spec.text("serviceAccount")
    namespace = metadata.text("namespace")
    return _new_workload(
        name=name,
        kind=kind,
        source_kind=SourceKind.KUBERNETES,
        namespace=namespace.value,
        location=location,
        containers=_containers(pod),
        host_network=spec.boolean("hostNetwork", yaml11=True),
        host_pid=spec.boolean("hostPID", yaml11=True),
        host_ipc=spec.boolean("hostIPC", yaml11=True),
        host_uts=top.absent,
        host_userns=spec.boolean("hostUsers", yaml11=True),
        automount_service_account_token=spec.boolean("automountServiceAccountToken", yaml11=True),
        service_account=_unresolved_if_template(service_account),
        volumes=tuple(volumes.values()),
        annotations=annotations,
        sysctls=_sysctls(spec),
        namespace_setting=namespace,
        pod_labels=_labels(pod_metadata),
    )


def _descend(reader: Reader, keys: tuple[str, ...]) -> Reader:
    """The reader of a nested mapping; absent values anywhere below stay at the workload."""
    for key in keys:
        reader = reader.child(key, owner=reader.owner)
    return reader


def _labels(metadata: Reader) -> tuple[tuple[str, str], ...]:
    """The labels Services select pods by; context only, so a malformed one is left out
    rather than failing the workload (no rule reads labels)."""
    labels = metadata.node("labels")
    if not isinstance(labels, Mapping):
        return ()
    return tuple(
        (key, value.value)
        for key, (_, value) in sorted(labels.entries.items())
        if isinstance(value, Scalar)
    )


def _annotations(metadata: Reader) -> tuple[tuple[str, str], ...]:
    annotations = metadata.mapping_at("annotations")
    if annotations is None:
        return ()
    pairs: list[tuple[str, str]] = []
    for key, (_, value) in annotations.entries.items():
        if isinstance(value, Scalar):
            pairs.append((key, value.value if value.tag != "null" else ""))
        else:  # refused, with the user's name for the value
            scalar_text(value, f"{_join(metadata.where, 'annotations')}.{key}")
    return tuple(pairs)


def _apparmor_annotations(pod_metadata: Reader) -> dict[str, Located[str | None]]:
    """`container.apparmor.security.beta.kubernetes.io/<container>` values by container."""
    written = pod_metadata.mapping_at("annotations")
    if written is None or not any(key.startswith(_APPARMOR_ANNOTATION) for key in written.entries):
        return {}
    annotations = pod_metadata.child("annotations")
    return {
        key.removeprefix(_APPARMOR_ANNOTATION): _text(annotations, key)
        for key in written.entries
        if key.startswith(_APPARMOR_ANNOTATION)
    }


def _sysctls(spec: Reader) -> tuple[Located[str], ...]:
    security = spec.child("securityContext", owner=spec.owner)
    names: list[Located[str]] = []
    for reader, _ in _entries(security, "sysctls"):
        name = reader.text("name")
        if name.value is not None:
            names.append(Located(name.value, name.location))
    return tuple(names)


def _volumes(spec: Reader) -> dict[str, Volume]:
    """The pod's volumes by name, so mounts can find the host path they expose."""
    volumes: dict[str, Volume] = {}
    for index, (reader, location) in enumerate(_entries(spec, "volumes")):
        name = reader.text("name").value or f"<volume {index}>"
        volumes.setdefault(name, _volume(reader, name, location))
    return volumes


def _volume(reader: Reader, name: str, location: Location) -> Volume:
    # The API server defaults a volume that names no source to an emptyDir.
    kind = "emptyDir"
    for key in reader.entries:
        if key != "name":
            kind = key
            break
    host_path: Located[str | None] = reader.absent
    if kind == "hostPath":
        host_path = _text(reader.child("hostPath", owner=location), "path")
    return _new_volume(name=name, kind=kind, host_path=host_path, location=location)


def _containers(pod: _Pod) -> tuple[Container, ...]:
    containers: list[Container] = []
    for key, role in _CONTAINER_LISTS:
        for index, (reader, location) in enumerate(_entries(pod.spec, key)):
            containers.append(_container(pod, reader, location, role, index))
    return tuple(containers)


def _container(
    pod: _Pod, reader: Reader, location: Location, role: ContainerRole, index: int
) -> Container:
    assert reader.mapping is not None
    own = reader.child("securityContext", owner=location)
    security_location = key_location(pod.path, reader.mapping, "securityContext", location)
    allow_escalation = own.boolean("allowPrivilegeEscalation", yaml11=True)
    name = reader.text("name").value or f"<container {index}>"
    pod_security = pod.security
    selinux = _SELinux.read(own).over(pod_security.selinux)
    absent = reader.absent  # at the container: where a fix for this one container would go
    return _new_container(
        name=name,
        role=role,
        source_kind=SourceKind.KUBERNETES,
        location=location,
        workload_name=pod.workload_name,
        image=_image(reader),
        privileged=own.boolean("privileged", yaml11=True),
        no_new_privileges=_negated(allow_escalation),
        user=absent,
        run_as_user=_inherit(own.integer("runAsUser"), pod_security.run_as_user, absent),
        run_as_non_root=_inherit(
            own.boolean("runAsNonRoot", yaml11=True), pod_security.run_as_non_root, absent
        ),
        read_only_root_filesystem=own.boolean("readOnlyRootFilesystem", yaml11=True),
        capabilities=_capabilities(own, security_location),
        security_context=security_location,
        mounts=_mounts(reader, pod.volumes),
        ports=_ports(reader),
        environment=_environment(reader),
        resources=_resources(reader),
        seccomp_profile=_inherit(
            _profile_type(own, "seccompProfile"), pod_security.seccomp_profile, absent
        ),
        apparmor_profile=_inherit(
            _profile_type(own, "appArmorProfile"), pod_security.apparmor_profile, absent
        ),
        apparmor_annotation=pod.apparmor_annotations.get(name, absent),
        selinux_type=_inherit(selinux.type, absent, absent),
        selinux_user=_inherit(selinux.user, absent, absent),
        selinux_role=_inherit(selinux.role, absent, absent),
        proc_mount=_text(own, "procMount"),
        host_process=_inherit(_host_process(own), pod_security.host_process, absent),
        liveness_probe=_probe(reader, "livenessProbe"),
        readiness_probe=_probe(reader, "readinessProbe"),
        command=reader.texts("command"),
        args=reader.texts("args"),
        image_pull_policy=reader.text("imagePullPolicy"),
    )


def _probe(container: Reader, key: str) -> Located[str | None]:
    """The handler a probe uses, at the probe's key; absent at the container."""
    probe = container.mapping_at(key)
    if probe is None:
        return container.absent
    entries = probe.entries
    for handler in _PROBE_HANDLERS:
        if handler in entries:
            return new_located(handler, container.location(key))
    return new_located("unknown", container.location(key))


def _profile_type(security: Reader, key: str) -> Located[str | None]:
    """`seccompProfile.type` / `appArmorProfile.type` in lower case (`unconfined`, ...)."""
    profile = _inner(security, key)
    if profile is None:
        return security.absent
    written = _text(profile, "type")
    if written.value is None:
        return written
    return new_located(written.value.lower(), written.location)


def _entries(reader: Reader, key: str) -> Iterator[tuple[Reader, Location]]:
    """Readers of the mappings listed under `key`, each owning its own absent values."""
    items = reader.sequence_at(key)
    if items is None:
        return
    path = reader.path
    where = _join(reader.where, key)
    for index, item in enumerate(items.items):
        if not isinstance(item, Mapping):
            raise ParseError(
                f"{where}[{index}] must be a mapping, not {describe(item)}", item.line, item.column
            )
        location = new_location(path=path, line=item.line, column=item.column)
        yield Reader(path, item, location, f"{where}[{index}]"), location


def _image(reader: Reader) -> Located[ImageRef | None]:
    raw = reader.text("image")
    if raw.value is None:
        return Located(None, raw.location)
    image = parse_image_ref(raw.value)
    if _TEMPLATE_MARKER in raw.value:
        image = dataclasses.replace(image, resolved=False)
        return Located(image, raw.location, unresolved=raw.value)
    return Located(image, raw.location)


def _negated(value: Located[bool | None]) -> Located[bool | None]:
    """`allowPrivilegeEscalation: false` is `no_new_privileges: true`, at the same place."""
    if value.value is None:
        return value
    return new_located(not value.value, value.location)


def _inherit(
    own: Located[T | None], pod: Located[T | None], absent: Located[T | None]
) -> Located[T | None]:
    """The container's own setting wins over the pod's, as in the kubelet.

    Neither set: `absent`, at the container, where a fix for this one container would go.
    """
    if own.is_set:
        return own
    return pod if pod.is_set else absent


def _capabilities(security: Reader, security_location: Location) -> Capabilities:
    capabilities = security.child("capabilities", owner=security.owner)
    return _new_capabilities(
        added=capabilities.texts("add", _capability_name),
        dropped=capabilities.texts("drop", _capability_name),
        add_location=_capability_key(capabilities, "add", security_location),
        drop_location=_capability_key(capabilities, "drop", security_location),
    )


def _capability_key(capabilities: Reader, key: str, fallback: Location) -> Location:
    if capabilities.mapping is None:
        return fallback
    return key_location(capabilities.path, capabilities.mapping, key, fallback)


def _capability_name(text: str) -> str:
    """Names as compose writes them too: upper case, no `CAP_` prefix."""
    return text.upper().removeprefix("CAP_")


def _mounts(container: Reader, volumes: dict[str, Volume]) -> tuple[Mount, ...]:
    return tuple([_mount(mount, at, volumes) for mount, at in _entries(container, "volumeMounts")])


def _ports(container: Reader) -> tuple[Port, ...]:
    return tuple([_port(port, at) for port, at in _entries(container, "ports")])


def _environment(container: Reader) -> tuple[Variable, ...]:
    return tuple([_variable(env, at) for env, at in _entries(container, "env")])


def _mount(reader: Reader, location: Location, volumes: dict[str, Volume]) -> Mount:
    """A volumeMount, with the host path of the hostPath volume it names, if any."""
    source = reader.text("name")
    volume = volumes.get(source.value) if source.value is not None else None
    host_path: Located[str | None] = reader.absent
    if volume is not None and volume.kind == "hostPath":
        host_path = volume.host_path
    return _new_mount(
        kind=volume.kind if volume is not None else "unknown",
        source=source,
        target=_text(reader, "mountPath"),
        host_path=host_path,
        read_only=reader.boolean("readOnly", yaml11=True),
        propagation=_text(reader, "mountPropagation"),
        location=location,
    )


def _port(reader: Reader, location: Location) -> Port:
    protocol = reader.text("protocol").value or "TCP"
    return _new_port(
        container_port=_number_text(reader.integer("containerPort"), reader.absent),
        host_port=_number_text(reader.integer("hostPort"), reader.absent),
        host_ip=_text(reader, "hostIP"),
        protocol=protocol.lower(),
        location=location,
    )


def _number_text(value: Located[int | None], absent: Located[str | None]) -> Located[str | None]:
    """The number as text; `absent` (located where `value` is) when it is not written."""
    if value.value is None:
        return absent
    return new_located(str(value.value), value.location)


def _variable(reader: Reader, location: Location) -> Variable:
    name = reader.text("name").value
    if name is None:
        raise ParseError(f"{reader.where} has no name", location.line, location.column)
    value_from = reader.child("valueFrom", owner=location)
    return _new_variable(
        name=name,
        value=reader.text("value").value,
        location=location,
        from_secret=value_from.mapping_at("secretKeyRef") is not None,
    )


def _resources(reader: Reader) -> Resources:
    """Limits and requests; everything absent is located at the container (`reader.owner`)."""
    resources = reader.child("resources", owner=reader.owner)
    limits = resources.child("limits", owner=reader.owner)
    requests = resources.child("requests", owner=reader.owner)
    return _new_resources(
        memory_limit=_text(limits, "memory"),
        memory_request=_text(requests, "memory"),
        cpu_limit=_text(limits, "cpu"),
        cpu_request=_text(requests, "cpu"),
        pids_limit=reader.absent,
    )


def _text(reader: Reader, key: str) -> Located[str | None]:
    return _unresolved_if_template(reader.text(key))


def _unresolved_if_template(value: Located[str | None]) -> Located[str | None]:
    """An unrendered `{{ ... }}` is written but unknown: set, yet no rule may judge it."""
    if value.value is None or _TEMPLATE_MARKER not in value.value:
        return value
    return new_located(None, value.location, unresolved=value.value)


def _with_helm_hint(error: ParseError, root: Node) -> ParseError:
    """Point users at `helm template` when the bad value is an unrendered template."""
    if error.hint or error.line is None or not _template_on_line(root, error.line):
        return error
    return ParseError(error.message, error.line, error.column, HELM_HINT)


def _template_on_line(root: Node, line: int) -> bool:
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Scalar):
            if node.line <= line <= node.end_line and _TEMPLATE_MARKER in node.value:
                return True
        elif isinstance(node, Sequence):
            pending.extend(node.items)
        elif isinstance(node, Mapping):
            for key, value in node.entries.values():
                pending.extend((key, value))
    return False


def _is_text(node: Node | None) -> bool:
    return isinstance(node, Scalar) and node.tag != "null"


def _start(path: str, node: Node) -> Location:
    return new_location(path=path, line=node.line, column=node.column)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
