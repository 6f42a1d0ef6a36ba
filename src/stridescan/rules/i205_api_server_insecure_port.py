"""
## What it flags
A kube-apiserver static pod that opens the insecure port: `--insecure-port` set to
anything but 0, or an `--insecure-bind-address` (API servers before 1.20 served plain
HTTP on it without authentication or authorization).

## Why it matters
Information disclosure. The insecure port skips authentication and authorization: anyone
who reaches it is cluster-admin (Elevation of privilege, Tampering), and nothing they do
is tied to an identity in the audit log.

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
      image: registry.k8s.io/kube-apiserver:v1.19.16
      command:
        - kube-apiserver
        - --anonymous-auth=false
        - --authorization-mode=Node,RBAC
        - --insecure-port=8080
```

## Fix
Close the insecure port and use the secure port with client certificates or tokens.
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
      image: registry.k8s.io/kube-apiserver:v1.19.16
      command:
        - kube-apiserver
        - --anonymous-auth=false
        - --authorization-mode=Node,RBAC
        - --insecure-port=0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import APISERVER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I205",
    slug="api-server-insecure-port",
    title="API server insecure port open",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.CRITICAL,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:control-plane",),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != APISERVER:
        return
    port = flags.get("insecure-port")
    if port is not None and port.value.strip() != "0":
        yield Finding(
            at=port.location,
            message=f"kube-apiserver serves unauthenticated HTTP on --insecure-port={port.value}",
        )
    address = flags.get("insecure-bind-address")
    if address is not None and (port is None or port.value.strip() != "0"):
        yield Finding(
            at=address.location,
            message=f"kube-apiserver binds its insecure port to {address.value}",
        )
