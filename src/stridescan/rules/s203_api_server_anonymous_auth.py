"""
## What it flags
A kube-apiserver static pod that does not start with `--anonymous-auth=false`: the API
server accepts unauthenticated requests unless told otherwise.

## Why it matters
Spoofing. Requests without credentials are served as the user `system:anonymous` in the
group `system:unauthenticated`; any binding to them, any RBAC mistake or any permissive
authorizer gives the whole network that access (Information disclosure: version, health
and discovery endpoints are open to it by default).

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
        - --authorization-mode=Node,RBAC
        - --enable-admission-plugins=NodeRestriction
```

## Fix
Turn anonymous requests off; health checks can use an authenticated probe or the
`/livez` endpoint through the kubelet.
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
    code="S203",
    slug="api-server-anonymous-auth",
    title="API server accepts anonymous requests",
    stride=(Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.2.1", "nsa-k8s:authentication"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != APISERVER or flags.is_false("anonymous-auth"):
        return
    yield Finding(
        at=flags.at("anonymous-auth").location,
        message="kube-apiserver accepts anonymous requests (set --anonymous-auth=false)",
    )
