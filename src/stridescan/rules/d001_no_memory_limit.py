"""
## What it flags
A container without a memory limit: a Compose service with neither `mem_limit` nor
`deploy.resources.limits.memory`, or a Kubernetes container without
`resources.limits.memory`.

## Why it matters
Denial of service. A container without a limit can take all the memory of the host or node,
so a leak or a crafted request takes down every other workload there, and the kernel's OOM
killer may pick a neighbour instead of the culprit.

## Example
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
```

## Fix
Set a memory limit that fits the workload's peak use.
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    mem_limit: 512m
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="D001",
    slug="no-memory-limit",
    title="No memory limit",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.11", "cis-docker-1.2:5.10", "nsa-k8s:resource-policies"),
)
def check(container: Container) -> Iterator[Finding]:
    limit = container.resources.memory_limit
    if limit.is_set:
        return
    key = "mem_limit" if container.source_kind is SourceKind.COMPOSE else "resources.limits.memory"
    yield Finding(at=limit.location, message=f"{container_noun(container)} sets no {key}")
