"""
## What it flags
A Compose port published on every host interface: a `ports` entry without a host IP
(`"8080:80"`, `"80"`) or with `0.0.0.0` / `::`, in the short or long syntax. Kubernetes
`hostPort` is judged by the Kubernetes rules.

## Why it matters
Information disclosure. Docker publishes such a port on every address of the host and
inserts its own firewall rules ahead of the host's, so a database or admin port meant for
the machine itself is reachable from the network (Spoofing and Tampering follow when the
service trusts its callers).

## Example
```yaml
services:
  db:
    image: postgres:17.2
    ports:
      - "5432:5432"
```

## Fix
Bind the port to the interface that needs it, usually loopback, or do not publish it and
reach the service over the compose network.
```yaml
services:
  db:
    image: postgres:17.2
    ports:
      - "127.0.0.1:5432:5432"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_ALL_INTERFACES = ("0.0.0.0", "::", "[::]")


@rule(
    code="I101",
    slug="port-on-all-interfaces",
    title="Port published on all host interfaces",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.14", "cis-docker-1.2:5.13"),
)
def check(container: Container) -> Iterator[Finding]:
    for port in container.ports:
        host_ip = port.host_ip
        if host_ip.unresolved is not None or port.container_port.unresolved is not None:
            continue
        if host_ip.value is None or host_ip.value.strip() in _ALL_INTERFACES:
            shown = port.container_port.value
            yield Finding(
                at=port.location,
                message=f"{container_noun(container)} publishes port {shown!r} on all interfaces",
            )
