"""
## What it flags
A container that runs without AppArmor confinement: Compose
`security_opt: [apparmor:unconfined]` (or `apparmor=unconfined`), Kubernetes
`securityContext.appArmorProfile.type: Unconfined` on the container or, inherited, on the
pod.

## Why it matters
Elevation of privilege. On hosts with AppArmor, the runtime's default profile denies writes
to `/proc` and `/sys` entries and mounts that are common first steps of a container escape;
unconfined removes that layer (Tampering with the host follows).

## Example
```yaml
services:
  app:
    image: registry.example.com/app:1.2.3
    security_opt:
      - apparmor:unconfined
```

## Fix
Remove the option so the default profile (`docker-default`, or the runtime's) applies, or
name a profile written for the workload.
```yaml
services:
  app:
    image: registry.example.com/app:1.2.3
    security_opt:
      - apparmor:docker-default
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E107",
    slug="apparmor-unconfined",
    title="AppArmor disabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.2", "cis-docker-1.2:5.1", "pss-baseline:apparmor"),
)
def check(container: Container) -> Iterator[Finding]:
    profile = container.apparmor_profile
    if profile is not None and profile.value == "unconfined":
        yield Finding(
            at=profile.location,
            message=f"{container_noun(container)} runs with AppArmor unconfined",
        )
