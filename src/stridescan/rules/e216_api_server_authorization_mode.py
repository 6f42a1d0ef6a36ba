"""
## What it flags
A kube-apiserver static pod whose `--authorization-mode` is missing (the default is
`AlwaysAllow`), includes `AlwaysAllow`, or lacks `Node` or `RBAC`.

## Why it matters
Elevation of privilege. `AlwaysAllow` lets every authenticated request do anything, so
any stolen token is cluster-admin. Without `Node`, kubelets are not confined to the pods
and secrets of their own node; without `RBAC`, the roles and bindings in the cluster are
not enforced at all.

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
        - --authorization-mode=AlwaysAllow
```

## Fix
Authorize with the Node authorizer and RBAC.
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
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import APISERVER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E216",
    slug="api-server-authorization-mode",
    title="API server authorization mode allows too much",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.2.6", "cis-k8s:1.2.7", "cis-k8s:1.2.8", "nsa-k8s:rbac"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != APISERVER:
        return
    modes = flags.listed("authorization-mode")
    at = flags.at("authorization-mode").location
    if not modes:
        yield Finding(at=at, message="kube-apiserver sets no --authorization-mode (AlwaysAllow)")
    elif "AlwaysAllow" in modes:
        yield Finding(at=at, message="kube-apiserver authorizes with AlwaysAllow")
    else:
        missing = [mode for mode in ("Node", "RBAC") if mode not in modes]
        if missing:
            yield Finding(
                at=at,
                message=f"kube-apiserver --authorization-mode lacks {' and '.join(missing)}",
            )
