"""
## What it flags
A kube-apiserver static pod without `--encryption-provider-config`: Secrets are stored in
etcd in plain text.

## Why it matters
Information disclosure. Anyone who reads etcd's data directory, a snapshot or a backup
reads every Secret of the cluster, service account signing material included (Spoofing).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --anonymous-auth=false
        - --authorization-mode=Node,RBAC
```

## Fix
Encrypt Secrets at rest with an EncryptionConfiguration (a KMS provider, or `aescbc` /
`secretbox` with a key kept off the etcd hosts).
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --anonymous-auth=false
        - --authorization-mode=Node,RBAC
        - --encryption-provider-config=/etc/kubernetes/enc/encryption.yaml
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import APISERVER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I207",
    slug="secrets-encryption-not-configured",
    title="Secrets not encrypted at rest",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.2.28", "nsa-k8s:secrets"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != APISERVER:
        return
    if flags.get("encryption-provider-config") is None:
        yield Finding(
            at=flags.where.location,
            message="kube-apiserver has no --encryption-provider-config: Secrets are not encrypted",
        )
