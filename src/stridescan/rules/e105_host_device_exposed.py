"""
## What it flags
Each host device passed into a Compose service with `devices` (`/dev/sda:/dev/xvda:rwm`,
or the long syntax's `source`). Kubernetes has no such setting: a device there is a
`hostPath` under `/dev`, which E104 reports.

## Why it matters
Elevation of privilege. A container with a raw disk, `/dev/mem`, `/dev/kmsg` or a GPU
device node talks to the host's hardware below every namespace: it can read and write the
host's filesystems block by block (Tampering, Information disclosure) or crash the host.

## Example
```yaml
services:
  backup:
    image: registry.example.com/backup:5.1.0
    devices:
      - /dev/sda:/dev/sda
```

## Fix
Remove the device; give the container a volume or a network service that exposes only the
data it needs.
```yaml
services:
  backup:
    image: registry.example.com/backup:5.1.0
    volumes:
      - backup-data:/data
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E105",
    slug="host-device-exposed",
    title="Host device exposed to a container",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.HIGH,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.18", "cis-docker-1.2:5.17"),
)
def check(container: Container) -> Iterator[Finding]:
    for device in container.devices:
        host = device.value.split(":", 1)[0]
        if "$" in host:  # a variable: the device cannot be known
            continue
        yield Finding(
            at=device.location,
            message=f"{container_noun(container)} gets host device {host!r}",
        )
