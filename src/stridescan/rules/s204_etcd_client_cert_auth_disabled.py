"""
## What it flags
An etcd static pod that does not demand client certificates: `--client-cert-auth` or
`--peer-client-cert-auth` not `true`, or that makes its own untrusted certificates with
`--auto-tls=true` / `--peer-auto-tls=true`.

## Why it matters
Spoofing. etcd holds the whole cluster state, Secrets included. Without client
certificate authentication anyone who reaches its port can read and rewrite it
(Information disclosure, Tampering); auto-TLS certificates are self-signed, so peers and
clients cannot tell the real etcd from an impostor.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: etcd
      image: registry.k8s.io/etcd:3.5.12-0
      command:
        - etcd
        - --cert-file=/etc/kubernetes/pki/etcd/server.crt
        - --auto-tls=true
        - --client-cert-auth=true
        - --peer-client-cert-auth=true
```

## Fix
Require client certificates signed by the etcd CA, for clients and peers alike.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: etcd
      image: registry.k8s.io/etcd:3.5.12-0
      command:
        - etcd
        - --cert-file=/etc/kubernetes/pki/etcd/server.crt
        - --client-cert-auth=true
        - --peer-client-cert-auth=true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import ETCD, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_REQUIRED = ("client-cert-auth", "peer-client-cert-auth")
_FORBIDDEN = ("auto-tls", "peer-auto-tls")


@rule(
    code="S204",
    slug="etcd-client-cert-auth-disabled",
    title="etcd does not authenticate clients by certificate",
    stride=(Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:2.2", "cis-k8s:2.3", "cis-k8s:2.5", "cis-k8s:2.6"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != ETCD:
        return
    for name in _REQUIRED:
        if not flags.is_true(name):
            yield Finding(at=flags.at(name).location, message=f"etcd does not set --{name}=true")
    for name in _FORBIDDEN:
        if flags.is_true(name):
            yield Finding(
                at=flags.at(name).location, message=f"etcd uses self-signed certificates (--{name})"
            )
