"""
## What it flags
A kube-controller-manager static pod that does not set
`--use-service-account-credentials=true`.

## Why it matters
Elevation of privilege. Without it every controller acts with the controller manager's
own, very broad credentials, so a flaw in any one controller is all of their permissions,
and the audit log cannot tell which controller did what (Repudiation).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-controller-manager
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-controller-manager
      image: registry.k8s.io/kube-controller-manager:v1.30.2
      command:
        - kube-controller-manager
        - --bind-address=127.0.0.1
        - --profiling=false
```

## Fix
Give each controller its own service account credentials.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-controller-manager
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-controller-manager
      image: registry.k8s.io/kube-controller-manager:v1.30.2
      command:
        - kube-controller-manager
        - --bind-address=127.0.0.1
        - --profiling=false
        - --use-service-account-credentials=true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import CONTROLLER_MANAGER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E218",
    slug="controller-manager-shared-credentials",
    title="Controllers share the controller manager's credentials",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.REPUDIATION),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.3.3",),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != CONTROLLER_MANAGER:
        return
    if not flags.is_true("use-service-account-credentials"):
        yield Finding(
            at=flags.at("use-service-account-credentials").location,
            message="kube-controller-manager does not set --use-service-account-credentials=true",
        )
