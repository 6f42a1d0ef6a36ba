"""
## What it flags
A kube-controller-manager or kube-scheduler static pod whose `--bind-address` is missing
(the default is 0.0.0.0) or is not a loopback address.

## Why it matters
Information disclosure. Their secure ports serve health, metrics and, with profiling on,
debug endpoints; bound to every interface of a host-network pod they are reachable from
the whole node network, a needless surface for probing and attack (Denial of service).

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
        - --profiling=false
```

## Fix
Bind to loopback; scrape metrics through a local proxy if needed.
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
        - --profiling=false
        - --bind-address=127.0.0.1
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import CONTROLLER_MANAGER, SCHEDULER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@rule(
    code="I208",
    slug="control-plane-bound-to-all-interfaces",
    title="Controller manager or scheduler listens beyond loopback",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.3.7", "cis-k8s:1.4.2"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component not in (CONTROLLER_MANAGER, SCHEDULER):
        return
    address = flags.value("bind-address")
    if address not in _LOOPBACK:
        shown = address or "0.0.0.0 (the default)"
        yield Finding(
            at=flags.at("bind-address").location,
            message=f"{flags.component} listens on {shown} (set --bind-address=127.0.0.1)",
        )
