"""
## What it flags
A kube-apiserver static pod whose `--enable-admission-plugins` does not include
`NodeRestriction`, or whose `--disable-admission-plugins` does.

## Why it matters
Elevation of privilege. Without the NodeRestriction admission plugin a kubelet's
credentials can modify every Node and Pod object, label its own node to attract sensitive
workloads and read their secrets: one compromised node becomes many.

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
Enable the NodeRestriction admission plugin (with the Node authorizer).
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
        - --enable-admission-plugins=NodeRestriction
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import APISERVER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E217",
    slug="node-restriction-disabled",
    title="NodeRestriction admission plugin not enabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.2.15", "nsa-k8s:authorization"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != APISERVER:
        return
    if "NodeRestriction" in flags.listed("disable-admission-plugins"):
        yield Finding(
            at=flags.at("disable-admission-plugins").location,
            message="kube-apiserver disables the NodeRestriction admission plugin",
        )
    elif "NodeRestriction" not in flags.listed("enable-admission-plugins"):
        yield Finding(
            at=flags.at("enable-admission-plugins").location,
            message="kube-apiserver does not enable the NodeRestriction admission plugin",
        )
