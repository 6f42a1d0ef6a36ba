"""Building the threat model from a real scan: what it covers, where findings land, what
crosses which boundary, and that it comes out the same every time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO
from stridescan.rules._meta import Stride
from stridescan.rules._registry import all_rules
from stridescan.scanner import ScanReport, ScanRequest, scan
from stridescan.threatmodel.build import build_threat_model
from stridescan.threatmodel.markdown import render
from stridescan.threatmodel.report import STRIDE_ORDER, ComponentKind, ThreatModel

DEMO = REPO / "fixtures" / "demo"


def scan_model(paths: list[Path], root: Path) -> tuple[ScanReport, ThreatModel]:
    request = ScanRequest(
        paths=tuple(str(p) for p in paths), root=root, rules=all_rules(), keep_model=True
    )
    report = scan(request)
    return report, build_threat_model(report)


def model_of(tmp_path: Path, files: dict[str, str]) -> tuple[ScanReport, ThreatModel]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return scan_model([tmp_path], tmp_path)


@pytest.fixture(scope="module")
def demo() -> tuple[ScanReport, ThreatModel]:
    return scan_model([DEMO], REPO)


def _documents(path: Path) -> list[dict[str, object]]:
    return [doc for doc in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if doc]


def _walk(node: object) -> list[dict[str, object]]:
    """Every mapping in a YAML tree."""
    if isinstance(node, dict):
        return [node, *(m for value in node.values() for m in _walk(value))]
    if isinstance(node, list):
        return [m for item in node for m in _walk(item)]
    return []


def _demo_ports_and_mounts() -> tuple[set[tuple[str, str]], set[str]]:
    """What the demo's own files publish and mount from the host, read with a YAML
    library rather than stridescan: (host port, container port) pairs and host paths."""
    ports: set[tuple[str, str]] = set()
    mounts: set[str] = set()
    compose = _documents(DEMO / "compose.yaml")[0]
    for service in compose["services"].values():  # type: ignore[attr-defined]
        for port in service.get("ports", []):
            host, _, container = str(port).rpartition(":")
            ports.add((host, container))
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith(("/", ".")):
                mounts.add(source)
    for manifest in sorted((DEMO / "k8s").glob("*.yaml")):
        for doc in _documents(manifest):
            spec = doc.get("spec")
            if doc["kind"] == "Service" and isinstance(spec, dict):
                if spec.get("type") in ("LoadBalancer", "NodePort"):
                    for port in spec["ports"]:
                        outside = (
                            port["port"] if spec["type"] == "LoadBalancer" else port["nodePort"]
                        )
                        ports.add((str(outside), str(port.get("targetPort", port["port"]))))
                continue
            for mapping in _walk(doc):
                if "hostPort" in mapping:
                    ports.add((str(mapping["hostPort"]), str(mapping["containerPort"])))
                host_path = mapping.get("hostPath")
                if isinstance(host_path, dict):
                    mounts.add(str(host_path["path"]))
    return ports, mounts


def test_demo_report_covers_all_six_stride_categories(demo: tuple[ScanReport, ThreatModel]) -> None:
    _, model = demo
    assert [section.category for section in model.categories] == list(Stride)
    for section in model.categories:
        assert section.meaning
        assert section.threats or section.checked, section.title


def test_every_published_port_and_host_mount_of_the_demo_appears(
    demo: tuple[ScanReport, ThreatModel],
) -> None:
    _, model = demo
    ports, mounts = _demo_ports_and_mounts()
    assert ports and mounts
    published = {
        (p.host_port, p.container_port) for c in model.components for p in c.published_ports
    }
    assert published == ports
    mounted = {m.host_path for c in model.components for m in c.host_mounts}
    assert mounted == mounts
    markdown = render(model)
    for component in model.components:
        for port in component.published_ports:
            assert f"{port.evidence.path}:{port.evidence.line}" in markdown
    for path in mounts:
        assert path in markdown


def test_matrix_counts_equal_the_scan_counts(demo: tuple[ScanReport, ThreatModel]) -> None:
    report, model = demo
    assert sum(row.total for row in model.matrix) == len(report.results)
    for index, category in enumerate(STRIDE_ORDER):
        expected = sum(1 for r in report.results if category in r.rule.stride)
        assert sum(row.cells[index].count for row in model.matrix) == expected, category


def test_each_category_lists_every_rule_tagged_with_it_as_checked(
    demo: tuple[ScanReport, ThreatModel],
) -> None:
    report, model = demo
    for section in model.categories:
        expected = sorted(r.code for r in report.rules if section.category in r.stride)
        assert [rule.code for rule in section.checked] == expected


def test_findings_belong_to_the_object_declared_above_them(tmp_path: Path) -> None:
    report, model = model_of(
        tmp_path,
        {
            "compose.yaml": "services:\n  quiet:\n    image: a:1\n"
            "  loud:\n    image: b:1\n    privileged: true\n",
            "deploy.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: first}\nspec:\n"
            "  containers: [{name: c, image: 'a:1'}]\n---\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {name: second}\nspec:\n"
            "  hostPID: true\n  containers: [{name: c, image: 'a:1'}]\n",
        },
    )
    by_name = {c.name: c.id for c in model.components}
    threats = {t.code: t for s in model.categories for t in s.threats if t.primary}
    assert {o.component for o in threats["E001"].occurrences} == {by_name["loud"]}
    host_pid = [o for o in threats["E101"].occurrences if "hostPID" in o.evidence.text]
    assert host_pid and {o.component for o in host_pid} == {by_name["second"]}
    counted = Counter(
        o.component for s in model.categories for t in s.threats if t.primary for o in t.occurrences
    )
    assert sum(counted.values()) == len(report.results)


def test_suppressed_findings_appear_as_accepted_risks_with_their_reasons(tmp_path: Path) -> None:
    _, model = model_of(
        tmp_path,
        {
            "compose.yaml": "services:\n  gpu:\n    image: a:1\n"
            "    privileged: true  # stridescan: ignore[E001] needs the host's GPU (SEC-9)\n",
        },
    )
    (risk,) = [r for r in model.accepted_risks if r.code == "E001"]
    assert risk.reason == "needs the host's GPU (SEC-9)"
    assert risk.evidence.line == 4
    assert risk.component == next(c.id for c in model.components if c.name == "gpu")
    assert all(t.code != "E001" for s in model.categories for t in s.threats)
    assert "needs the host's GPU (SEC-9)" in render(model)


def test_output_is_the_same_whatever_the_run_and_the_order_of_paths() -> None:
    paths = [DEMO / "k8s", DEMO / "compose.yaml", DEMO / "app", DEMO / "backup"]
    _, first = scan_model(paths, REPO)
    _, again = scan_model(list(reversed(paths)), REPO)
    assert first == again
    assert render(first) == render(again)


ROUTED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: n}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: web}}
    spec:
      containers: [{name: api, image: 'a:1'}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, namespace: n}
spec:
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: o, image: 'a:1'}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: n}
spec:
  type: NodePort
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: edge, namespace: n}
spec:
  rules:
    - host: api.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: api, port: {number: 80}}}
"""


def test_services_and_ingresses_route_to_what_they_select(tmp_path: Path) -> None:
    _, model = model_of(
        tmp_path,
        {
            "app.yaml": ROUTED,
        },
    )
    ids = {(c.kind, c.name): c for c in model.components}
    api = ids[(ComponentKind.KUBERNETES_WORKLOAD, "api")]
    other = ids[(ComponentKind.KUBERNETES_WORKLOAD, "other")]
    service = ids[(ComponentKind.KUBERNETES_SERVICE, "api")]
    ingress = ids[(ComponentKind.INGRESS, "edge")]
    assert service.routes_to == (api.id,)
    assert ingress.routes_to == (service.id,)
    assert api.entry_points == (service.id,) and other.entry_points == ()
    assert [(p.host_port, p.container_port) for p in service.published_ports] == [("30080", "8080")]
    edge = {c.component: c.kind for b in model.boundaries for c in b.crossings}
    assert edge[service.id] in ("node-port", "published-port")
    assert edge[ingress.id] == "ingress"


def test_a_role_binding_to_a_workloads_account_crosses_the_cluster_api(tmp_path: Path) -> None:
    _, model = model_of(
        tmp_path,
        {
            "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: ci, namespace: build}\n"
            "spec:\n  serviceAccountName: runner\n  containers: [{name: c, image: 'a:1'}]\n",
            "rbac.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
            "metadata: {name: runner-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, "
            "kind: ClusterRole, name: cluster-admin}\n"
            "subjects: [{kind: ServiceAccount, name: runner, namespace: build}]\n",
        },
    )
    pod = next(c for c in model.components if c.name == "ci")
    assert pod.api_access
    (api,) = [b for b in model.boundaries if b.id == "cluster-api"]
    grants = [c for c in api.crossings if c.kind == "rbac-grant"]
    assert [(g.component, g.evidence.path) for g in grants] == [(pod.id, "rbac.yaml")]
    assert "cluster-admin" in grants[0].description


def test_token_crossings_follow_the_rules_idea_of_a_mounted_token(tmp_path: Path) -> None:
    """A control-plane static pod gets no token (the kubelet runs it outside the API), nor
    does a pod with automount off; a plain pod does: the same predicate the rules use."""
    static_pod = (REPO / "fixtures/rules/E217-node-restriction-disabled/pod.ok.yaml").read_text()
    _, model = model_of(
        tmp_path,
        {
            "apiserver.yaml": static_pod,
            "app.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: shop}\n"
            "spec:\n  containers: [{name: c, image: 'a:1'}]\n",
            "quiet.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: quiet, namespace: shop}\n"
            "spec:\n  automountServiceAccountToken: false\n"
            "  containers: [{name: c, image: 'a:1'}]\n",
        },
    )
    tokens = {c.name: c.service_account_token for c in model.components}
    assert tokens["kube-apiserver-cp-1"] is False
    assert tokens["quiet"] is False
    assert tokens["app"] is True
    (api,) = [b for b in model.boundaries if b.id == "cluster-api"]
    crossing_names = {
        model.component(c.component).name
        for c in api.crossings
        if c.kind == "service-account-token"
    }
    assert crossing_names == {"app"}


def test_host_crossings_name_the_socket_namespaces_and_privileged_containers(
    tmp_path: Path,
) -> None:
    _, model = model_of(
        tmp_path,
        {
            "compose.yaml": "services:\n  agent:\n    image: a:1\n    pid: host\n"
            "    network_mode: host\n    privileged: true\n"
            "    volumes: ['/var/run/docker.sock:/var/run/docker.sock']\n",
        },
    )
    (host,) = [b for b in model.boundaries if b.id == "host"]
    kinds = sorted(c.kind for c in host.crossings)
    assert kinds == ["host-namespace", "host-namespace", "privileged", "runtime-socket"]
    agent = next(c for c in model.components if c.name == "agent")
    assert sorted(n.name for n in agent.host_namespaces) == ["network", "pid"]


def test_a_file_without_findings_gives_an_empty_matrix_and_plan(tmp_path: Path) -> None:
    _, model = model_of(tmp_path, {"notes.yaml": "just: text\n"})
    assert model.matrix == () and model.hardening_plan == ()
    assert all(section.threats == () for section in model.categories)


def test_hardening_plan_puts_the_fixes_that_remove_most_critical_findings_first(
    demo: tuple[ScanReport, ThreatModel],
) -> None:
    report, model = demo
    plan = model.hardening_plan
    assert 0 < len(plan) <= 10
    keys = [(-s.critical, -s.high, -s.total, s.code) for s in plan]
    assert keys == sorted(keys)
    by_rule = Counter(r.rule.code for r in report.results)
    assert all(step.total == by_rule[step.code] for step in plan)
    ranked_out = set(by_rule) - {s.code for s in plan}
    worst_left = max(
        (
            (sum(r.severity.value == "critical" for r in report.results if r.rule.code == c))
            for c in ranked_out
        ),
        default=0,
    )
    assert plan[-1].critical >= worst_left


def test_paths_are_relative_to_the_repository_when_the_scan_runs_below_it(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    service = tmp_path / "services" / "api"
    service.mkdir(parents=True)
    (service / "compose.yaml").write_text(
        "services:\n  api:\n    image: a:1\n    privileged: true\n    ports: ['8080:80']\n",
        encoding="utf-8",
    )
    _, model = scan_model([service], service)
    api = next(c for c in model.components if c.name == "api")
    assert api.evidence.path == "services/api/compose.yaml"
    assert api.published_ports[0].evidence.path == "services/api/compose.yaml"
    (e001,) = [t for s in model.categories for t in s.threats if t.code == "E001" and t.primary]
    assert [(o.evidence.path, o.component) for o in e001.occurrences] == [
        ("services/api/compose.yaml", api.id)
    ]


def test_coverage_says_what_the_files_could_not_tell(tmp_path: Path) -> None:
    _, model = model_of(
        tmp_path,
        {
            "edge.yaml": "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
            "metadata: {name: edge, namespace: n}\nspec:\n"
            "  defaultBackend: {service: {name: elsewhere, port: {number: 80}}}\n---\n"
            "apiVersion: v1\nkind: Service\nmetadata: {name: manual, namespace: n}\n"
            "spec:\n  ports: [{port: 80}]\n",
        },
    )
    assert model.coverage.limitations == (
        "Service n/manual has no selector: its endpoints are managed elsewhere",
        "Ingress n/edge routes to Service elsewhere, which is not in the scanned files",
    )


def test_daemon_rbac_and_dockerfile_findings_get_rows_of_their_own(tmp_path: Path) -> None:
    report, model = model_of(
        tmp_path,
        {
            "daemon.json": '{\n  "icc": true,\n  "insecure-registries": ["10.0.0.1:5000"]\n}\n',
            "rbac.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
            "metadata: {name: everything}\nrules:\n"
            "  - {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n",
            "img/Dockerfile": "FROM alpine:3.20\nRUN apk add curl\n",
        },
    )
    kinds = {model.component(row.component).kind for row in model.matrix}
    assert kinds == {ComponentKind.DOCKER_DAEMON, ComponentKind.RBAC, ComponentKind.IMAGE}
    for row in model.matrix:
        component = model.component(row.component)
        owned = [r for r in report.results if r.location.path == component.evidence.path]
        assert row.total == len(owned) > 0, component.name


def test_a_scan_that_kept_no_model_is_refused() -> None:
    report = scan(ScanRequest(paths=(str(DEMO),), root=REPO, rules=all_rules()))
    with pytest.raises(ValueError, match="keep_model"):
        build_threat_model(report)


def test_a_host_port_is_published_and_a_bare_container_port_is_not(tmp_path: Path) -> None:
    _, model = model_of(
        tmp_path,
        {
            "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "    - name: c\n      image: 'a:1'\n      ports:\n"
            "        - {containerPort: 443, hostPort: 8443}\n        - {containerPort: 9090}\n",
        },
    )
    (pod,) = [c for c in model.components if c.name == "p"]
    assert [(p.host_port, p.container_port, p.evidence.line) for p in pod.published_ports] == [
        ("8443", "443", 9)
    ]
