from __future__ import annotations

from stridescan.model import KubeletConfig
from stridescan.parsers.kubelet_config import parse_kubelet_config
from stridescan.parsing import parse_source
from stridescan.yamlsource import Mapping, load_documents


def _configs(text: str) -> list[KubeletConfig]:
    root = next(load_documents(text)).root
    assert isinstance(root, Mapping)
    return parse_kubelet_config(root, "nodes/kubelet.yaml")


def test_settings_are_read_where_written_and_absent_ones_sit_at_the_kind() -> None:
    (config,) = _configs(
        "apiVersion: kubelet.config.k8s.io/v1beta1\n"
        "kind: KubeletConfiguration\n"
        "authentication:\n  anonymous:\n    enabled: true\n"
        "authorization:\n  mode: AlwaysAllow\n"
        "readOnlyPort: 10255\n"
        "streamingConnectionIdleTimeout: 0s\n"
    )
    assert (config.anonymous_auth.value, config.anonymous_auth.location.line) == (True, 5)
    assert (config.authorization_mode.value, config.authorization_mode.location.line) == (
        "AlwaysAllow",
        7,
    )
    assert (config.read_only_port.value, config.streaming_connection_idle_timeout.value) == (
        10255,
        "0s",
    )
    assert config.rotate_certificates.value is None
    assert config.rotate_certificates.location.line == 2
    assert config.protect_kernel_defaults.location.line == 2


def test_other_kinds_and_groups_are_not_kubelet_configurations() -> None:
    assert _configs("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n") == []
    assert _configs("apiVersion: example.com/v1\nkind: KubeletConfiguration\n") == []


def test_a_kubeadm_stream_yields_its_kubelet_configuration() -> None:
    parsed = parse_source(
        "apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n---\n"
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
        "readOnlyPort: 0\n",
        "kubeadm.yaml",
        None,
    )
    assert parsed.problems == ()
    (config,) = parsed.cluster_objects
    assert isinstance(config, KubeletConfig)
    assert (config.read_only_port.value, config.location.line) == (0, 5)
