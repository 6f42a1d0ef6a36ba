"""
## What it flags
A Kubernetes container (init containers too) whose CPU or memory request is neither set
in `resources.requests` nor implied by a limit: Kubernetes copies a limit into a missing
request, so only a resource with neither is flagged. Ephemeral containers cannot have
resources and are not judged.

## Why it matters
Denial of service. The scheduler places pods by their requests: a container without them
counts as needing nothing, so nodes are overcommitted, and under pressure its pod (QoS class
BestEffort) is the first the kubelet evicts. Teams that leave CPU limits off on purpose
still need CPU requests for their pods to get their share.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
    - name: worker
      image: registry.example.com/worker:3.0.1
      resources:
        limits:
          memory: 512Mi
```

## Fix
Request what the container uses at its ordinary load.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
    - name: worker
      image: registry.example.com/worker:3.0.1
      resources:
        requests:
          cpu: 250m
        limits:
          memory: 512Mi
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, ContainerRole, Located
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="D201",
    slug="no-resource-requests",
    title="No CPU or memory request",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:resource-policies",),
)
def check(container: Container) -> Iterator[Finding]:
    if container.role is ContainerRole.EPHEMERAL:
        return
    resources = container.resources
    missing = [
        (name, request)
        for name, request, limit in (
            ("cpu", resources.cpu_request, resources.cpu_limit),
            ("memory", resources.memory_request, resources.memory_limit),
        )
        if not _given(request) and not _given(limit)
    ]
    if missing:
        names = " or ".join(name for name, _ in missing)
        yield Finding(
            at=missing[0][1].location,
            message=f"{container_noun(container)} requests no {names} (resources.requests)",
        )


def _given(value: Located[str | None]) -> bool:
    return value.is_set
