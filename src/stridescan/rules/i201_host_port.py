"""
## What it flags
A Kubernetes container port with a `hostPort` other than 0, on any container of any
workload kind (init and ephemeral containers too).

## Why it matters
Information disclosure. A hostPort opens the port on the node's own network interfaces,
past Services and NetworkPolicies, so the workload is reachable by anyone who can reach the
node; it also pins the pod to nodes where the port is free. A pod that takes a port other
pods or the node expect can intercept their traffic (Spoofing). The Pod Security Standards
baseline forbids host ports.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:2.0.1
      ports:
        - containerPort: 8080
          hostPort: 8080
```

## Fix
Remove `hostPort` and expose the pod through a Service (or an Ingress).
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web:2.0.1
      ports:
        - containerPort: 8080
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I201",
    slug="host-port",
    title="Container port bound on the node (hostPort)",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:host-ports", "cis-k8s:5.2.13", "nsa-k8s:network-separation"),
)
def check(container: Container) -> Iterator[Finding]:
    for port in container.ports:
        host_port = port.host_port
        if host_port.value is None or host_port.value == "0":
            continue
        yield Finding(
            at=host_port.location,
            message=f"{container_noun(container)} binds hostPort {host_port.value} on the node",
        )
