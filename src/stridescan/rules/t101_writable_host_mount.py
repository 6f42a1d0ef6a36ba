"""
## What it flags
A host directory or file mounted into a container without read-only: a Compose bind mount
without `:ro` (or `read_only: true` in the long syntax), or a Kubernetes `volumeMount` of a
`hostPath` volume without `readOnly: true`. Mounts that E002 (runtime sockets) or E104
(sensitive host paths) already report are left to them.

## Why it matters
Tampering. A writable host mount lets a compromised container plant files the host or the
next container trusts: scripts, configuration, binaries, cron jobs. It is also a way to
persist across container restarts that image rebuilds do not clean up.

## Example
```yaml
services:
  web:
    image: registry.example.com/web:2.0.1
    volumes:
      - ./config:/etc/web
```

## Fix
Mount host paths read-only; keep data the container writes in a named volume.
```yaml
services:
  web:
    image: registry.example.com/web:2.0.1
    volumes:
      - ./config:/etc/web:ro
      - web-data:/var/lib/web
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._host_paths import runtime_socket, sensitive_host_path
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="T101",
    slug="writable-host-mount",
    title="Host path mounted writable",
    stride=(Stride.TAMPERING,),
    severity=Severity.LOW,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.6", "cis-docker-1.2:5.5", "pss-baseline:hostpath-volumes"),
)
def check(container: Container) -> Iterator[Finding]:
    fix = ":ro" if container.source_kind is SourceKind.COMPOSE else "readOnly: true"
    for mount in container.mounts:
        host_path = mount.host_path.value
        if host_path is None or mount.read_only.value is True or mount.read_only.unresolved:
            continue
        if runtime_socket(host_path) or sensitive_host_path(host_path):
            continue
        yield Finding(
            at=mount.location,
            message=f"{container_noun(container)} mounts host path {host_path!r} without {fix}",
        )
