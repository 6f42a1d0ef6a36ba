"""
## What it flags
A container without a CPU limit: a Compose service with none of `cpus`,
`deploy.resources.limits.cpus` or `cpu_quota`, or a Kubernetes container without
`resources.limits.cpu`.

## Why it matters
Denial of service. Without a limit, one busy or compromised container can take every CPU of
the host or node, starving its neighbours and the node's own agents.

## Example
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
```

## Fix
Set a CPU limit that fits the workload's peak use.
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    cpus: 1.5
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="D101",
    slug="no-cpu-limit",
    title="No CPU limit",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.12", "cis-docker-1.2:5.11", "nsa-k8s:resource-policies"),
)
def check(container: Container) -> Iterator[Finding]:
    limit = container.resources.cpu_limit
    if limit.is_set:
        return
    key = "cpus" if container.source_kind is SourceKind.COMPOSE else "resources.limits.cpu"
    yield Finding(at=limit.location, message=f"{container_noun(container)} sets no {key}")
