"""How control-plane static pods are recognised and their flags read."""

from __future__ import annotations

from stridescan.model import Container
from stridescan.parsers.kubernetes import parse_kubernetes
from stridescan.rules._control_plane import control_plane_flags
from stridescan.yamlsource import Mapping, load_documents


def _container(spec: str) -> Container:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n" + spec
    root = next(load_documents(text)).root
    assert isinstance(root, Mapping)
    ((workload,), _) = parse_kubernetes(root, "pod.yaml")
    (container,) = workload.containers
    return container


def test_flags_are_read_in_both_forms_from_command_and_args() -> None:
    flags = control_plane_flags(
        _container(
            "    - name: api\n      image: registry.k8s.io/kube-apiserver:v1.30.2\n"
            "      command: [/usr/local/bin/kube-apiserver, --profiling, --secure-port=6443]\n"
            "      args:\n        - --authorization-mode\n        - Node,RBAC\n"
        )
    )
    assert flags is not None and flags.component == "kube-apiserver"
    assert flags.value("profiling") == "true"
    assert flags.value("secure-port") == "6443"
    assert flags.listed("authorization-mode") == ["Node", "RBAC"]
    assert flags.at("authorization-mode").location.line == 10
    assert flags.at("anonymous-auth").location.line == 8  # absent: the binary


def test_a_container_without_command_is_recognised_by_its_image() -> None:
    flags = control_plane_flags(
        _container(
            "    - name: s\n      image: registry.k8s.io/kube-scheduler:v1.30.2\n"
            "      args: [--bind-address=0.0.0.0]\n"
        )
    )
    assert flags is not None and flags.component == "kube-scheduler"
    assert flags.where.location.line == 7
    assert flags.value("bind-address") == "0.0.0.0"


def test_hyperkube_names_the_component_it_runs() -> None:
    flags = control_plane_flags(
        _container(
            "    - name: cm\n      image: registry.example.com/hyperkube:v1.18.20\n"
            "      command: [/hyperkube, kube-controller-manager, --profiling=false]\n"
        )
    )
    assert flags is not None and flags.component == "kube-controller-manager"
    assert flags.is_false("profiling")


def test_other_containers_are_not_control_plane_components() -> None:
    shell = _container(
        "    - name: b\n      image: registry.example.com/etcd-backup:1.0\n"
        "      command: [/bin/sh, -c, etcd --version]\n"
    )
    plain = _container("    - name: w\n      image: registry.example.com/web:1.0\n")
    assert control_plane_flags(shell) is None
    assert control_plane_flags(plain) is None
