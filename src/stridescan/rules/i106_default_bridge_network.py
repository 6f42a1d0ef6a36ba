"""
## What it flags
A Compose service with `network_mode: bridge`, which puts it on Docker's default bridge
`docker0` instead of the project network Compose creates.

## Why it matters
Information disclosure. Every container started with `docker run` on the host shares
`docker0` with this one: they can reach its ports and it can reach theirs, with no name
resolution or isolation per project, and ARP spoofing among them is possible unless
inter-container communication is disabled daemon-wide (Spoofing).

## Example
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    network_mode: bridge
```

## Fix
Remove `network_mode` so the service joins the project's own network, or name a
user-defined network.
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    networks: [backend]
networks:
  backend: {}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Workload
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I106",
    slug="default-bridge-network",
    title="Service on Docker's default bridge network",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.LOW,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.30", "cis-docker-1.2:5.29"),
)
def check(workload: Workload) -> Iterator[Finding]:
    mode = workload.network_mode
    if mode is not None and mode.value is not None and mode.value.strip() == "bridge":
        yield Finding(
            at=mode.location,
            message=f"service {workload.name!r} joins the default bridge docker0 (network_mode)",
        )
