"""
## What it flags
A Compose port published on a privileged host port, below 1024 (`"80:8080"`,
`published: 443`), ranges included. Kubernetes `hostPort` is judged by the Kubernetes rules.

## Why it matters
Spoofing. Ports below 1024 are the ones clients trust to belong to the host's own services
(SSH, DNS, HTTP, SMTP). A container that takes one can impersonate such a service, and
publishing it needs the daemon's root privileges on the host (Elevation of privilege).

## Example
```yaml
services:
  web:
    image: registry.example.com/web:2.0.1
    ports:
      - "127.0.0.1:80:8080"
```

## Fix
Publish on a port of 1024 or above and let a load balancer or the host's proxy own the
well-known port.
```yaml
services:
  web:
    image: registry.example.com/web:2.0.1
    ports:
      - "127.0.0.1:8080:8080"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


def lowest_port(text: str) -> int | None:
    """The first port of `80` or `80-90`; None when it is not a number."""
    first = text.strip().split("-", 1)[0].strip()
    return int(first) if first.isascii() and first.isdigit() else None


@rule(
    code="S101",
    slug="privileged-host-port",
    title="Privileged host port published",
    stride=(Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE),
    severity=Severity.LOW,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.8", "cis-docker-1.2:5.7"),
)
def check(container: Container) -> Iterator[Finding]:
    for port in container.ports:
        written = port.host_port.value
        number = lowest_port(written) if written is not None else None
        if number is not None and 0 < number < 1024:
            yield Finding(
                at=port.host_port.location,
                message=f"{container_noun(container)} publishes privileged host port {written!r}",
            )
