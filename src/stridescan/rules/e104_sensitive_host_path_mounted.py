"""
## What it flags
A container that mounts a sensitive host directory, or a file under one: `/`, `/etc`,
`/proc`, `/sys`, `/boot`, `/dev`, `/root`, `/usr`, `/bin`, `/sbin`, `/lib*`, `/run`,
`/var/run`, `/var/lib/docker`, `/var/lib/containerd` or `/var/lib/kubelet`. Compose bind
mounts (short and long syntax) and Kubernetes `hostPath` volumes a container mounts are both
read. Runtime sockets are E002's; read-only mounts of `/etc/localtime`, `/etc/timezone` and
`/usr/share/zoneinfo` are not flagged.

## Why it matters
Elevation of privilege. Writing to these paths rewrites the host: its users and sudoers
(`/etc`), its binaries and libraries (`/usr`, `/lib`), its kernel settings (`/proc`, `/sys`)
or the state of other containers (`/var/lib/docker`). Even read-only, they disclose the
host's secrets, keys and process table (Information disclosure).

## Example
```yaml
services:
  agent:
    image: registry.example.com/agent:3.2.0
    volumes:
      - /etc:/host/etc
```

## Fix
Mount only the file or application directory the workload needs, read-only.
```yaml
services:
  agent:
    image: registry.example.com/agent:3.2.0
    volumes:
      - ./agent.conf:/etc/agent/agent.conf:ro
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._host_paths import sensitive_host_path
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E104",
    slug="sensitive-host-path-mounted",
    title="Sensitive host path mounted into a container",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.HIGH,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.6", "cis-docker-1.2:5.5", "pss-baseline:hostpath-volumes"),
)
def check(container: Container) -> Iterator[Finding]:
    for mount in container.mounts:
        host_path = mount.host_path.value
        if host_path is None:
            continue
        directory = sensitive_host_path(host_path, read_only=mount.read_only.value)
        if directory is None:
            continue
        access = "read-only" if mount.read_only.value is True else "writable"
        yield Finding(
            at=mount.host_path.location,
            message=f"{container_noun(container)} mounts host path {host_path!r} ({access})",
        )
