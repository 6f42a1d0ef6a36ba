"""`KubeletConfiguration` files to the model: the node settings the CIS benchmark checks.

Operators keep the kubelet's configuration file in git beside their manifests (kubeadm's
`KubeletConfiguration` document, node images, Cluster API templates). It has `apiVersion`
and `kind` like any manifest, so it reaches us through the Kubernetes parser's documents.
"""

from __future__ import annotations

from stridescan.model import KubeletConfig, Location, SourceKind
from stridescan.parsers._nodes import Reader, key_location, scalar_text
from stridescan.yamlsource import Mapping

_GROUP = "kubelet.config.k8s.io"


def parse_kubelet_config(root: Mapping, path: str) -> list[KubeletConfig]:
    """The configuration one document holds, or none for any other kind."""
    kind = scalar_text(root.get("kind"), "kind")
    api_version = scalar_text(root.get("apiVersion"), "apiVersion") or ""
    if kind != "KubeletConfiguration" or api_version.rpartition("/")[0] != _GROUP:
        return []
    location = key_location(path, root, "kind", Location(path=path, line=root.line))
    top = Reader(path, root, location, "")
    authentication = top.child("authentication", owner=location)
    anonymous = authentication.child("anonymous", owner=location)
    authorization = top.child("authorization", owner=location)
    return [
        KubeletConfig(
            name=path.rsplit("/", 1)[-1],
            source_kind=SourceKind.KUBERNETES,
            location=location,
            anonymous_auth=anonymous.boolean("enabled"),
            authorization_mode=authorization.text("mode"),
            read_only_port=top.integer("readOnlyPort"),
            protect_kernel_defaults=top.boolean("protectKernelDefaults"),
            make_iptables_util_chains=top.boolean("makeIPTablesUtilChains"),
            streaming_connection_idle_timeout=top.text("streamingConnectionIdleTimeout"),
            rotate_certificates=top.boolean("rotateCertificates"),
        )
    ]
