"""
## What it flags
A container that runs privileged: `privileged: true` in a Compose service, or
`securityContext.privileged: true` in a Kubernetes container (init and ephemeral included).

## Why it matters
Elevation of privilege. A privileged container gets every Linux capability, every host
device and no seccomp or AppArmor confinement: code execution inside it is control of the
host (Tampering with the host and every other container follows).

## Example
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    privileged: true
```

## Fix
Remove `privileged: true` and add back only the capabilities or devices the workload
really needs.
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E001",
    slug="privileged-container",
    title="Container runs privileged",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.CRITICAL,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.5", "cis-docker-1.2:5.4", "pss-baseline:privileged"),
)
def check(container: Container) -> Iterator[Finding]:
    if container.privileged.value is True:
        yield Finding(
            at=container.privileged.location,
            message=f"{container_noun(container)} runs privileged",
        )
