"""
## What it flags
A container whose root filesystem is writable: a Compose service without `read_only: true`,
or a Kubernetes container without `securityContext.readOnlyRootFilesystem: true`.

## Why it matters
Tampering. An attacker who gets code execution can replace binaries, libraries and
configuration inside the container, hide tools there and persist until the container is
recreated; a read-only root filesystem confines writes to the volumes you chose.

## Example
```yaml
services:
  web:
    image: nginx:1.27.2
```

## Fix
Make the root filesystem read-only and give the paths that must be written a tmpfs or a
volume.
```yaml
services:
  web:
    image: nginx:1.27.2
    read_only: true
    tmpfs: [/var/cache/nginx, /var/run]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="T001",
    slug="writable-root-filesystem",
    title="Root filesystem is writable",
    stride=(Stride.TAMPERING, Stride.ELEVATION_OF_PRIVILEGE),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.13", "cis-docker-1.2:5.12", "nsa-k8s:immutable-filesystems"),
)
def check(container: Container) -> Iterator[Finding]:
    setting = container.read_only_root_filesystem
    if setting.value is True or setting.unresolved is not None:
        return
    noun = container_noun(container)
    if container.source_kind is SourceKind.COMPOSE:
        key, home = "read_only", setting.location
    else:
        key, home = "readOnlyRootFilesystem", container.security_context
    if setting.value is False:
        yield Finding(at=setting.location, message=f"{noun} sets {key}: false")
    else:
        yield Finding(at=home, message=f"{noun} does not set {key}: true")
