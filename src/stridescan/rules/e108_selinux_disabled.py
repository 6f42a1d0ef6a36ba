"""
## What it flags
A Compose service that turns SELinux labelling off: `security_opt: [label:disable]` (or
`label=disable`). Kubernetes has no such switch; its `seLinuxOptions` are checked by the
Pod Security Standards rules.

## Why it matters
Elevation of privilege. On SELinux hosts (RHEL, Fedora, CentOS Stream), the container's
label is what stops it from touching host files and other containers' files even when it
runs as root or a mount exposes them; without it, one escape or writable mount reaches the
whole host (Tampering).

## Example
```yaml
services:
  app:
    image: registry.example.com/app:1.2.3
    security_opt:
      - label:disable
```

## Fix
Remove the option; relabel the host paths the service mounts with `:z` or `:Z` instead.
```yaml
services:
  app:
    image: registry.example.com/app:1.2.3
    volumes:
      - ./data:/data:Z
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_LABEL_DISABLE = re.compile(r"^\s*label\s*[:=]\s*disable\s*$", re.IGNORECASE)


@rule(
    code="E108",
    slug="selinux-disabled",
    title="SELinux labelling disabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.3", "cis-docker-1.2:5.2"),
)
def check(container: Container) -> Iterator[Finding]:
    for option in container.security_options:
        if _LABEL_DISABLE.match(option.value):
            yield Finding(
                at=option.location,
                message=f"{container_noun(container)} disables SELinux with {option.value!r}",
            )
