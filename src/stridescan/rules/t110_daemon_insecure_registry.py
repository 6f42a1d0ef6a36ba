"""
## What it flags
Each entry of `insecure-registries` in a daemon.json: registries the daemon talks to without
TLS verification.

docker-bench-security (check 2.5 of v1.6, 2.4 of v1.2) reads the registry configuration of
`docker info`; this rule reads the list in the file, at each entry.

## Why it matters
Tampering. Without TLS, anyone on the network path can serve a different image for the same
name and tag, which then runs on this host.

## Example
```json
{
  "insecure-registries": ["registry.internal:5000"]
}
```

## Fix
Serve the registry over TLS with a certificate the daemon trusts
(`/etc/docker/certs.d/<registry>/ca.crt`).
```json
{
  "registry-mirrors": ["https://registry.internal:5000"]
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="T110",
    slug="daemon-insecure-registry",
    title="Insecure registry allowed",
    stride=(Stride.TAMPERING, Stride.SPOOFING),
    severity=Severity.HIGH,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.5", "cis-docker-1.2:2.4"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    for registry in daemon.insecure_registries:
        yield Finding(
            at=registry.location,
            message=f"the daemon pulls from {registry.value!r} without TLS verification",
        )
