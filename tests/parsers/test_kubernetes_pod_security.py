"""The pod-security settings the Kubernetes parser reads for the PSS rules."""

from __future__ import annotations

from stridescan.model import Workload
from stridescan.parsers.kubernetes import parse_kubernetes
from stridescan.yamlsource import Mapping, load_documents


def _workload(text: str) -> Workload:
    root = next(load_documents(text)).root
    assert isinstance(root, Mapping)
    (workload,) = parse_kubernetes(root, "pod.yaml")[0]
    return workload


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: agent
  annotations:
    container.apparmor.security.beta.kubernetes.io/own: unconfined
spec:
  securityContext:
    seLinuxOptions: {type: spc_t, user: system_u}
    windowsOptions: {hostProcess: true}
    sysctls:
      - {name: kernel.msgmax, value: "1"}
  containers:
    - name: own
      image: registry.example.com/a:1
      securityContext:
        seLinuxOptions: {level: "s0:c1"}
        windowsOptions: {hostProcess: false}
        procMount: Unmasked
      livenessProbe:
        exec: {command: [true]}
    - name: inherits
      image: registry.example.com/b:1
"""


def test_selinux_options_come_whole_from_the_container_or_else_from_the_pod() -> None:
    own, inherits = _workload(POD).containers
    assert own.selinux_type is not None and own.selinux_type.value is None
    assert own.selinux_user is not None and own.selinux_user.value is None
    assert inherits.selinux_type is not None and inherits.selinux_user is not None
    assert (inherits.selinux_type.value, inherits.selinux_type.location.line) == ("spc_t", 9)
    assert inherits.selinux_user.value == "system_u"


def test_host_process_of_the_container_overrides_the_pod() -> None:
    own, inherits = _workload(POD).containers
    assert own.host_process is not None and own.host_process.value is False
    assert inherits.host_process is not None
    assert (inherits.host_process.value, inherits.host_process.location.line) == (True, 10)


def test_apparmor_annotation_belongs_to_the_container_it_names() -> None:
    own, inherits = _workload(POD).containers
    assert own.apparmor_annotation is not None
    assert (own.apparmor_annotation.value, own.apparmor_annotation.location.line) == (
        "unconfined",
        6,
    )
    assert inherits.apparmor_annotation is not None
    assert inherits.apparmor_annotation.value is None


def test_sysctls_proc_mount_and_probes_are_read_where_written() -> None:
    workload = _workload(POD)
    assert [(s.value, s.location.line) for s in workload.sysctls] == [("kernel.msgmax", 12)]
    own, inherits = workload.containers
    assert own.proc_mount is not None and own.proc_mount.value == "Unmasked"
    assert own.liveness_probe is not None
    assert (own.liveness_probe.value, own.liveness_probe.location.line) == ("exec", 20)
    assert inherits.liveness_probe is not None and inherits.liveness_probe.value is None
    assert inherits.liveness_probe.location.line == 22


def test_the_pod_template_annotations_of_a_deployment_count_not_its_own() -> None:
    workload = _workload(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n"
        "    container.apparmor.security.beta.kubernetes.io/web: unconfined\n"
        "spec:\n  template:\n    metadata:\n      annotations:\n"
        "        container.apparmor.security.beta.kubernetes.io/web: runtime/default\n"
        "    spec:\n      containers:\n        - name: web\n          image: x:1\n"
    )
    (web,) = workload.containers
    assert web.apparmor_annotation is not None
    assert (web.apparmor_annotation.value, web.apparmor_annotation.location.line) == (
        "runtime/default",
        11,
    )
