"""
## What it flags
A kube-apiserver, kube-controller-manager or kube-scheduler static pod that does not
start with `--profiling=false` (profiling is on by default).

## Why it matters
Information disclosure. The `/debug/pprof` endpoints reveal the component's memory,
goroutines and timing to whoever may read them, and heavy profiling requests load the
control plane (Denial of service). Production control planes do not need them.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-scheduler
      image: registry.k8s.io/kube-scheduler:v1.30.2
      command:
        - kube-scheduler
        - --bind-address=127.0.0.1
```

## Fix
Turn profiling off.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-scheduler
      image: registry.k8s.io/kube-scheduler:v1.30.2
      command:
        - kube-scheduler
        - --bind-address=127.0.0.1
        - --profiling=false
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import (
    APISERVER,
    CONTROLLER_MANAGER,
    SCHEDULER,
    control_plane_flags,
)
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I206",
    slug="profiling-enabled",
    title="Control-plane profiling enabled",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.2.16", "cis-k8s:1.3.2", "cis-k8s:1.4.1"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component not in (APISERVER, CONTROLLER_MANAGER, SCHEDULER):
        return
    if not flags.is_false("profiling"):
        yield Finding(
            at=flags.at("profiling").location,
            message=f"{flags.component} has profiling on (set --profiling=false)",
        )
