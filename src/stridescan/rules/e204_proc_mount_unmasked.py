"""
## What it flags
A Kubernetes container with `securityContext.procMount: Unmasked`.

## Why it matters
Elevation of privilege. The runtime normally masks and makes read-only the parts of
`/proc` that reach into the node's kernel (`/proc/sys`, `/proc/sysrq-trigger`,
`/proc/kcore`, ...). Unmasked exposes them to the container, a known step towards tampering
with the node and escaping. The Pod Security Standards baseline allows only `Default`.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  hostUsers: false
  containers:
    - name: builder
      image: registry.example.com/builder:1.0.0
      securityContext:
        procMount: Unmasked
```

## Fix
Remove `procMount` (or set it to `Default`).
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  hostUsers: false
  containers:
    - name: builder
      image: registry.example.com/builder:1.0.0
      securityContext:
        procMount: Default
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E204",
    slug="proc-mount-unmasked",
    title="/proc mounted unmasked",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:proc-mount-type", "nsa-k8s:pod-security"),
)
def check(container: Container) -> Iterator[Finding]:
    proc_mount = container.proc_mount
    if proc_mount is None or proc_mount.value is None:
        return
    if proc_mount.value.strip() != "Default":
        yield Finding(
            at=proc_mount.location,
            message=f"{container_noun(container)} sets procMount: {proc_mount.value}",
        )
