"""
## What it flags
A mount with shared propagation: Compose `:shared` / `:rshared` in the short syntax or
`bind.propagation: shared|rshared`, and Kubernetes `mountPropagation: Bidirectional`.

## Why it matters
Tampering. With shared propagation, mounts the container makes under that path appear on
the host and in every other container sharing it: a compromised container can mount over
host directories or expose devices to its neighbours (Elevation of privilege).

## Example
```yaml
services:
  storage:
    image: registry.example.com/storage:1.0.4
    volumes:
      - /mnt/data:/data:rshared
```

## Fix
Use the default private propagation (or `rslave` when the container must see host mounts).
```yaml
services:
  storage:
    image: registry.example.com/storage:1.0.4
    volumes:
      - /mnt/data:/data:rslave
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_SHARED = ("shared", "rshared", "bidirectional")


@rule(
    code="T102",
    slug="shared-mount-propagation",
    title="Mount propagation set to shared",
    stride=(Stride.TAMPERING, Stride.ELEVATION_OF_PRIVILEGE),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.20", "cis-docker-1.2:5.19"),
)
def check(container: Container) -> Iterator[Finding]:
    for mount in container.mounts:
        propagation = mount.propagation.value
        if propagation is not None and propagation.strip().lower() in _SHARED:
            noun = container_noun(container)
            target = mount.target.value or "a path"
            yield Finding(
                at=mount.propagation.location,
                message=f"{noun} mounts {target!r} with propagation {propagation.strip()}",
            )
