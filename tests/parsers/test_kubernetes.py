from __future__ import annotations

import pytest

from stridescan.diagnostics import ParseError
from stridescan.model import ContainerRole, Location, SourceKind, Workload
from stridescan.parsers.kubernetes import HELM_HINT, is_kubernetes_document, parse_kubernetes
from stridescan.yamlsource import Mapping, Node, load_documents

PATH = "deploy/app.yaml"


def _root(text: str) -> Node:
    document = next(load_documents(text))
    assert document.root is not None, document.error
    return document.root


def _mapping(text: str) -> Mapping:
    root = _root(text)
    assert isinstance(root, Mapping)
    return root


def _workloads(text: str) -> list[Workload]:
    workloads, problems = parse_kubernetes(_mapping(text), PATH)
    assert problems == []
    return workloads


def _only(text: str) -> Workload:
    (workload,) = _workloads(text)
    return workload


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_kubernetes(_mapping(text), PATH)
    return caught.value


def _at(location: Location) -> tuple[int, int]:
    return location.line, location.column


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: app
      image: registry.example.com/shop/web:1.4.2
"""

DEPLOYMENT_LIKE = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
"""

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
"""

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: web
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: app
              image: nginx:1.25
"""

POD_TEMPLATE = """\
apiVersion: v1
kind: PodTemplate
metadata:
  name: web
template:
  spec:
    containers:
      - name: app
        image: nginx:1.25
"""

REPLICATION_CONTROLLER = """\
apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
"""


def test_pod_is_a_workload_located_at_its_kind_key() -> None:
    workload = _only(POD)
    assert workload.name == "web"
    assert workload.kind == "Pod"
    assert workload.namespace == "shop"
    assert workload.source_kind is SourceKind.KUBERNETES
    assert workload.location == Location(path=PATH, line=2, column=1)
    (container,) = workload.containers
    assert container.name == "app"
    assert container.workload_name == "web"
    assert container.role is ContainerRole.CONTAINER
    assert container.source_kind is SourceKind.KUBERNETES
    assert container.location == Location(path=PATH, line=8, column=7)
    assert container.image.value is not None
    assert container.image.value.registry == "registry.example.com"
    assert container.image.value.repository == "shop/web"
    assert container.image.value.tag == "1.4.2"
    assert _at(container.image.location) == (9, 7)


@pytest.mark.parametrize(
    ("text", "kind", "container_line"),
    [
        (DEPLOYMENT_LIKE.format(kind="Deployment"), "Deployment", 9),
        (DEPLOYMENT_LIKE.format(kind="StatefulSet"), "StatefulSet", 9),
        (DEPLOYMENT_LIKE.format(kind="DaemonSet"), "DaemonSet", 9),
        (DEPLOYMENT_LIKE.format(kind="ReplicaSet"), "ReplicaSet", 9),
        (REPLICATION_CONTROLLER, "ReplicationController", 10),
        (JOB, "Job", 9),
        (CRONJOB, "CronJob", 12),
        (POD_TEMPLATE, "PodTemplate", 8),
    ],
)
def test_every_workload_kind_finds_containers_in_its_pod_template(
    text: str, kind: str, container_line: int
) -> None:
    workload = _only(text)
    assert (workload.name, workload.kind) == ("web", kind)
    assert _at(workload.location) == (2, 1)
    (container,) = workload.containers
    assert container.name == "app"
    assert container.location.line == container_line
    assert container.image.value is not None
    assert container.image.value.repository == "nginx"


def test_workload_without_a_name_is_named_after_its_kind() -> None:
    workload = _only("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: nginx\n")
    assert workload.name == "Pod"
    assert workload.namespace is None
    assert workload.containers[0].name == "<container 0>"
    assert workload.containers[0].workload_name == "Pod"


def test_workload_without_a_spec_has_no_containers() -> None:
    workload = _only("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")
    assert workload.containers == ()
    assert workload.host_network.value is None


def test_init_and_ephemeral_containers_follow_the_containers_with_their_roles() -> None:
    workload = _only(
        """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  ephemeralContainers:
    - name: debug
      image: busybox
  initContainers:
    - name: migrate
      image: migrate:1
  containers:
    - name: app
      image: app:1
"""
    )
    roles = [(c.name, c.role, c.location.line) for c in workload.containers]
    assert roles == [
        ("app", ContainerRole.CONTAINER, 13),
        ("migrate", ContainerRole.INIT, 10),
        ("debug", ContainerRole.EPHEMERAL, 7),
    ]


SECURITY = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsUser: 1000
    runAsNonRoot: true
  containers:
    - name: own
      image: app:1
      securityContext:
        runAsUser: 0
        privileged: false
    - name: inherits
      image: app:1
"""


def test_container_security_context_wins_over_the_pod_level_one() -> None:
    own, _ = _only(SECURITY).containers
    assert own.run_as_user.value == 0
    assert own.run_as_user.location == Location(
        path=PATH, line=13, column=9, end_line=13, end_column=21
    )
    assert own.run_as_non_root.value is True
    assert _at(own.run_as_non_root.location) == (8, 5)
    assert own.security_context == Location(path=PATH, line=12, column=7)


def test_container_without_security_context_inherits_pod_settings_at_the_pod_lines() -> None:
    _, inherits = _only(SECURITY).containers
    assert inherits.run_as_user.value == 1000
    assert _at(inherits.run_as_user.location) == (7, 5)
    assert inherits.run_as_non_root.value is True
    assert _at(inherits.run_as_non_root.location) == (8, 5)
    assert inherits.security_context == inherits.location
    # Container-only settings are never taken from the pod.
    assert inherits.privileged.value is None


def test_absent_container_settings_are_located_at_the_container() -> None:
    workload = _only(POD)
    (container,) = workload.containers
    here = container.location
    for value in (
        container.privileged,
        container.no_new_privileges,
        container.user,
        container.run_as_user,
        container.run_as_non_root,
        container.read_only_root_filesystem,
        container.resources.memory_limit,
        container.resources.memory_request,
        container.resources.cpu_limit,
        container.resources.cpu_request,
        container.resources.pids_limit,
    ):
        assert value.value is None
        assert value.location == here
    assert container.capabilities.added == ()
    assert container.capabilities.add_location == here
    assert container.capabilities.drop_location == here
    assert container.security_options == ()
    for value in (workload.host_network, workload.host_pid, workload.host_uts):
        assert value.value is None
        assert value.location == workload.location


def test_container_only_security_settings_are_read_with_yaml_1_1_booleans() -> None:
    workload = _only(
        """\
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      image: app:1
      securityContext:
        privileged: yes
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: on
        capabilities:
          add: [cap_sys_admin, NET_RAW]
"""
    )
    (container,) = workload.containers
    assert container.privileged.value is True
    assert _at(container.privileged.location) == (8, 9)
    assert container.no_new_privileges.value is True
    assert _at(container.no_new_privileges.location) == (9, 9)
    assert container.read_only_root_filesystem.value is True
    assert [(c.value, _at(c.location)) for c in container.capabilities.added] == [
        ("SYS_ADMIN", (12, 17)),
        ("NET_RAW", (12, 32)),
    ]
    assert _at(container.capabilities.add_location) == (12, 11)
    # No `drop:`: a fix goes into the securityContext.
    assert _at(container.capabilities.drop_location) == (7, 7)


def test_allowed_privilege_escalation_means_no_new_privileges_is_false() -> None:
    (container,) = _only(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n"
        "      securityContext: {allowPrivilegeEscalation: true}\n"
    ).containers
    assert container.no_new_privileges.value is False
    assert container.no_new_privileges.location.line == 6


def test_pod_level_host_namespaces_and_service_account_are_read() -> None:
    workload = _only(
        """\
apiVersion: v1
kind: Pod
spec:
  hostNetwork: true
  hostPID: false
  hostIPC: true
  hostUsers: false
  automountServiceAccountToken: false
  serviceAccount: legacy
  containers: []
"""
    )
    assert workload.host_network.value is True
    assert workload.host_network.location == Location(
        path=PATH, line=4, column=3, end_line=4, end_column=20
    )
    assert workload.host_pid.value is False
    assert workload.host_ipc.value is True
    assert workload.host_userns.value is False
    assert _at(workload.host_userns.location) == (7, 3)
    assert workload.automount_service_account_token.value is False
    assert workload.service_account.value == "legacy"
    assert _at(workload.service_account.location) == (9, 3)


def test_service_account_name_wins_over_the_deprecated_field() -> None:
    workload = _only(
        "apiVersion: v1\nkind: Pod\nspec:\n  serviceAccount: old\n  serviceAccountName: new\n"
    )
    assert workload.service_account.value == "new"
    assert workload.service_account.location.line == 5


def test_annotations_of_object_and_pod_template_are_both_kept() -> None:
    workload = _only(
        """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    team: shop
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/app: unconfined
        replicas: 3
    spec:
      containers: []
"""
    )
    assert workload.annotations == (
        ("team", "shop"),
        ("container.apparmor.security.beta.kubernetes.io/app", "unconfined"),
        ("replicas", "3"),
    )


HOST_PATH = """\
apiVersion: v1
kind: Pod
spec:
  volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
        type: Socket
    - name: scratch
      emptyDir: {}
    - name: bare
  containers:
    - name: app
      image: app:1
      volumeMounts:
        - name: docker
          mountPath: /var/run/docker.sock
          readOnly: true
          mountPropagation: HostToContainer
        - name: scratch
          mountPath: /tmp
        - name: missing
          mountPath: /data
"""


def test_pod_volumes_record_their_source_kind_and_host_path() -> None:
    docker, scratch, bare = _only(HOST_PATH).volumes
    assert (docker.name, docker.kind, docker.host_path.value) == (
        "docker",
        "hostPath",
        "/var/run/docker.sock",
    )
    assert docker.host_path.location == Location(
        path=PATH, line=7, column=9, end_line=7, end_column=35
    )
    assert _at(docker.location) == (5, 7)
    assert (scratch.kind, scratch.host_path.value) == ("emptyDir", None)
    assert scratch.host_path.location == scratch.location
    # The API server defaults a volume without a source to an emptyDir.
    assert bare.kind == "emptyDir"


def test_host_path_mount_is_located_at_the_volume_path_line() -> None:
    (container,) = _only(HOST_PATH).containers
    docker, scratch, missing = container.mounts
    assert docker.kind == "hostPath"
    assert docker.source.value == "docker"
    assert _at(docker.source.location) == (16, 11)
    assert docker.target.value == "/var/run/docker.sock"
    assert docker.host_path.value == "/var/run/docker.sock"
    assert _at(docker.host_path.location) == (7, 9)
    assert docker.read_only.value is True
    assert docker.propagation.value == "HostToContainer"
    assert _at(docker.location) == (16, 11)
    assert scratch.kind == "emptyDir"
    assert scratch.host_path.value is None
    assert scratch.host_path.location == scratch.location
    assert scratch.read_only.value is None
    assert missing.kind == "unknown"
    assert missing.host_path.value is None


def test_environment_marks_values_taken_from_secrets() -> None:
    (container,) = _only(
        """\
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      env:
        - name: MODE
          value: production
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
        - name: HOST
          valueFrom:
            fieldRef: {fieldPath: status.hostIP}
"""
    ).containers
    summary = [(v.name, v.value, v.from_secret, _at(v.location)) for v in container.environment]
    assert summary == [
        ("MODE", "production", False, (7, 11)),
        ("DB_PASSWORD", None, True, (9, 11)),
        ("HOST", None, False, (12, 11)),
    ]


def test_ports_and_resources_are_kept_as_text() -> None:
    (container,) = _only(
        """\
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      ports:
        - containerPort: 8080
          hostPort: 80
          hostIP: 0.0.0.0
          protocol: UDP
        - containerPort: 9090
      resources:
        limits:
          memory: 512Mi
          cpu: 1
        requests:
          cpu: 0.25
"""
    ).containers
    first, second = container.ports
    assert (first.container_port.value, first.host_port.value) == ("8080", "80")
    assert (first.host_ip.value, first.protocol) == ("0.0.0.0", "udp")
    assert _at(first.location) == (7, 11)
    assert second.host_port.value is None
    assert second.host_port.location == second.location
    assert second.protocol == "tcp"
    resources = container.resources
    assert resources.memory_limit.value == "512Mi"
    assert _at(resources.memory_limit.location) == (14, 11)
    assert resources.cpu_limit.value == "1"
    assert resources.cpu_request.value == "0.25"
    assert resources.memory_request.value is None
    assert resources.memory_request.location == container.location


def test_list_with_one_bad_item_reports_it_and_parses_the_others() -> None:
    workloads, problems = parse_kubernetes(
        _mapping(
            """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: good}
    spec:
      containers: [{name: app, image: "app:1"}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: bad}
    spec:
      containers:
        - name: app
          securityContext:
            privileged: maybe
  - apiVersion: v1
    kind: Service
    metadata: {name: svc}
  - just text
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
"""
        ),
        PATH,
    )
    assert [(w.name, w.kind, w.location.line) for w in workloads] == [
        ("good", "Pod", 5),
        ("agent", "DaemonSet", 22),
    ]
    assert [(p.path, p.line, p.column, p.message) for p in problems] == [
        (
            PATH,
            16,
            25,
            "items[1].spec.containers[0].securityContext.privileged must be true or false, "
            "not the string 'maybe'",
        ),
        (PATH, 20, 5, "items[3] must be a mapping, not the string 'just text'"),
    ]


def test_typed_list_items_take_their_kind_from_the_list() -> None:
    workloads, problems = parse_kubernetes(
        _mapping(
            """\
apiVersion: v1
kind: PodList
items:
  - metadata: {name: one}
    spec: {containers: [{name: app}]}
  - metadata: {name: two}
"""
        ),
        PATH,
    )
    assert problems == []
    assert [(w.name, w.kind, w.location.line) for w in workloads] == [
        ("one", "Pod", 4),
        ("two", "Pod", 6),
    ]


def test_plain_list_item_without_a_kind_is_a_problem() -> None:
    workloads, problems = parse_kubernetes(
        _mapping("apiVersion: v1\nkind: List\nitems:\n  - metadata: {name: x}\n"), PATH
    )
    assert workloads == []
    assert [(p.line, p.message) for p in problems] == [(4, "the object items[0] has no kind")]


def test_list_items_that_are_not_a_list_make_the_document_fail() -> None:
    error = _error("apiVersion: v1\nkind: List\nitems: {a: b}\n")
    assert error.message == "items must be a list, not a mapping"
    assert (error.line, error.column) == (3, 8)


def test_wrong_boolean_is_a_readable_error_at_the_value() -> None:
    error = _error(
        """\
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      securityContext:
        privileged: "true"
"""
    )
    assert error.message == (
        "spec.containers[0].securityContext.privileged must be true or false, not the string 'true'"
    )
    assert (error.line, error.column) == (7, 21)
    assert error.hint == ""


def test_wrong_shapes_are_errors_naming_the_full_path() -> None:
    containers = _error(
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      containers: {name: app}\n"
    )
    assert containers.message == ("spec.template.spec.containers must be a list, not a mapping")
    assert (containers.line, containers.column) == (6, 19)
    item = _error("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - 3\n")
    assert item.message == "spec.containers[0] must be a mapping, not the number 3"
    assert item.line == 5
    user = _error("apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    runAsUser: root\n")
    assert user.message == (
        "spec.securityContext.runAsUser must be a whole number, not the string 'root'"
    )
    assert (user.line, user.column) == (5, 16)


def test_unrendered_helm_value_is_an_error_with_a_rendering_hint() -> None:
    error = _error(
        """\
apiVersion: v1
kind: Pod
spec:
  hostNetwork: "{{ .Values.hostNetwork }}"
"""
    )
    assert error.line == 4
    assert "{{ .Values.hostNetwork }}" in error.message
    assert error.hint == HELM_HINT
    assert "helm template . | stridescan scan -" in error.hint


def test_unrendered_helm_text_is_set_but_unresolved() -> None:
    (container,) = _only(
        """\
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      image: "{{ .Values.image }}"
      resources:
        limits:
          memory: "{{ .Values.memory }}"
"""
    ).containers
    assert container.image.unresolved == "{{ .Values.image }}"
    assert container.image.value is not None
    assert container.image.value.resolved is False
    memory = container.resources.memory_limit
    assert (memory.value, memory.unresolved, memory.is_set) == (
        None,
        "{{ .Values.memory }}",
        True,
    )


def test_unrendered_helm_value_in_a_list_item_is_a_problem_with_the_hint() -> None:
    workloads, problems = parse_kubernetes(
        _mapping(
            """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    spec:
      containers:
        - name: app
          ports:
            - containerPort: "{{ .Values.port }}"
"""
        ),
        PATH,
    )
    assert workloads == []
    (problem,) = problems
    assert (problem.line, problem.hint) == (10, HELM_HINT)
    assert problem.message.startswith("items[0].spec.containers[0].ports[0].containerPort must be")


def test_json_manifest_is_read_with_exact_positions() -> None:
    workload = _only(
        """\
{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "api", "namespace": "prod"},
  "spec": {
    "template": {
      "spec": {
        "hostPID": true,
        "containers": [
          {"name": "api", "image": "api:2", "securityContext": {"privileged": true}}
        ]
      }
    }
  }
}
"""
    )
    assert (workload.name, workload.kind, workload.namespace) == ("api", "Deployment", "prod")
    assert _at(workload.location) == (3, 3)
    assert workload.host_pid.value is True
    assert workload.host_pid.location.line == 8
    (container,) = workload.containers
    assert _at(container.location) == (10, 11)
    assert container.privileged.value is True
    assert _at(container.privileged.location) == (10, 65)


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n",
        "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules: []\n",
        "apiVersion: v1\nkind: ServiceList\nitems:\n  - metadata: {name: web}\n",
        # A custom resource that reuses a built-in kind name has its own shape.
        "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nspec:\n  tasks: []\n",
    ],
)
def test_kinds_without_a_pod_template_give_no_workloads(text: str) -> None:
    assert parse_kubernetes(_mapping(text), PATH) == ([], [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("apiVersion: v1\nkind: Pod\n", True),
        ('{"apiVersion": "v1", "kind": "List", "items": []}', True),
        ("apiVersion: v1\n", False),
        ("kind: Pod\n", False),
        ("apiVersion: v1\nkind:\n", False),
        ("apiVersion: v1\nkind: [Pod]\n", False),
        ("services:\n  web: {image: nginx}\n", False),
        ("- apiVersion: v1\n  kind: Pod\n", False),
        ("just text\n", False),
    ],
)
def test_is_kubernetes_document_needs_scalar_api_version_and_kind(
    text: str, expected: bool
) -> None:
    assert is_kubernetes_document(_root(text)) is expected


def test_image_pull_policy_is_read_where_it_is_written() -> None:
    root = _mapping(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: c\n      image: a:1\n      imagePullPolicy: IfNotPresent\n"
        "    - name: d\n      image: a:1\n"
    )
    (workload,), _ = parse_kubernetes(root, PATH)
    first, second = workload.containers
    assert first.image_pull_policy is not None
    assert first.image_pull_policy.value == "IfNotPresent"
    assert first.image_pull_policy.location.line == 8
    assert second.image_pull_policy is not None and second.image_pull_policy.value is None
