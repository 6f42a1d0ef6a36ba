"""The scan-wide stage: rules over every scanned file at once (namespace isolation)."""

from __future__ import annotations

from pathlib import Path

from conftest import scan_paths
from stridescan.inventory import build_cluster, summarize
from stridescan.parsing import parse_source


def deployment(name: str, namespace: str | None, *, host_network: bool = False) -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    host = "      hostNetwork: true\n" if host_network else ""
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n{ns}spec:\n"
        f"  template:\n    spec:\n{host}      containers:\n        - name: {name}\n"
        f"          image: registry.example.com/{name}:1.0.0\n"
    )


def policy(namespace: str | None) -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    return (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
        f"  name: default-deny\n{ns}spec:\n  podSelector: {{}}\n"
    )


def isolation_findings(folder: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = scan_paths([folder / name for name in sorted(files)], root=folder)
    assert report.problems == ()
    return [f"{r.location} {r.message}" for r in report.results if r.rule.code == "I211"]


def test_a_policy_in_another_file_covers_the_namespace(tmp_path: Path) -> None:
    files = {"api.yaml": deployment("api", "shop"), "policies.yaml": policy("shop")}
    assert isolation_findings(tmp_path, files) == []


def test_without_the_policy_file_the_first_workload_in_path_order_is_flagged(
    tmp_path: Path,
) -> None:
    files = {"b-web.yaml": deployment("web", "shop"), "a-api.yaml": deployment("api", "shop")}
    assert isolation_findings(tmp_path, files) == [
        "a-api.yaml:2:1 namespace 'shop' has 2 workloads and no NetworkPolicy in the scanned "
        "files; add a default-deny policy"
    ]


def test_a_policy_of_another_namespace_does_not_count(tmp_path: Path) -> None:
    files = {"all.yaml": deployment("api", "shop") + "---\n" + policy("billing")}
    assert len(isolation_findings(tmp_path, files)) == 1


def test_objects_without_a_namespace_share_the_default_namespace(tmp_path: Path) -> None:
    covered = {"all.yaml": deployment("api", None) + "---\n" + policy("default")}
    assert isolation_findings(tmp_path, covered) == []
    bare = {"all.yaml": deployment("api", None)}
    assert [f.split(" has ")[0] for f in isolation_findings(tmp_path, bare)] == [
        "all.yaml:2:1 namespace 'default'"
    ]


def test_host_network_pods_and_scans_without_workloads_say_nothing(tmp_path: Path) -> None:
    files = {
        "agent.yaml": deployment("agent", "kube-system", host_network=True),
        "role.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n"
        "metadata:\n  name: reader\n  namespace: shop\nrules: []\n",
    }
    assert isolation_findings(tmp_path, files) == []


def test_no_cluster_is_built_from_files_without_kubernetes_objects() -> None:
    compose = parse_source("services:\n  web:\n    image: nginx:1.27\n", "compose.yaml", None)
    assert compose.workloads
    assert build_cluster([summarize(compose)]) is None


def test_the_cluster_groups_locations_by_namespace_in_path_order() -> None:
    first = parse_source(deployment("web", "shop") + "---\n" + policy(None), "b.yaml", None)
    second = parse_source(deployment("api", "shop"), "a.yaml", None)
    cluster = build_cluster([summarize(first), summarize(second)])
    assert cluster is not None
    assert cluster.location.path == "a.yaml"
    layout = {
        ns.name: ([str(w) for w in ns.workloads], [str(p) for p in ns.network_policies])
        for ns in cluster.namespaces
    }
    assert layout == {
        "default": ([], ["b.yaml:14:1"]),
        "shop": (["a.yaml:2:1", "b.yaml:2:1"], []),
    }


def test_a_comment_on_the_flagged_workload_silences_the_namespace(tmp_path: Path) -> None:
    text = deployment("api", "shop").replace(
        "kind: Deployment\n",
        "kind: Deployment  # stridescan: ignore[I211] policies in infra repo\n",
    )
    assert isolation_findings(tmp_path, {"api.yaml": text}) == []
