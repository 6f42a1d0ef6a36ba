"""
## What it flags
A Compose service that sets `cgroup_parent`, placing the container in a control group of
the user's choosing instead of the one Docker manages.

## Why it matters
Elevation of privilege. The parent control group decides the container's resource limits
and device access; a container put under a host or shared cgroup escapes the limits Docker
would apply (Denial of service) and may share device rules meant for something else.

## Example
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    cgroup_parent: /system.slice
```

## Fix
Remove `cgroup_parent` and set the limits on the service itself.
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    cpus: 1
    mem_limit: 512m
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E111",
    slug="cgroup-parent-set",
    title="Container placed in a custom cgroup",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.25", "cis-docker-1.2:5.24"),
)
def check(container: Container) -> Iterator[Finding]:
    parent = container.cgroup_parent
    if parent is not None and parent.value is not None and parent.value.strip():
        yield Finding(
            at=parent.location,
            message=f"{container_noun(container)} sets cgroup_parent {parent.value!r}",
        )
