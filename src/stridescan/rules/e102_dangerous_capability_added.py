"""
## What it flags
Each dangerous Linux capability a container adds: `ALL`, `SYS_ADMIN`, `SYS_MODULE`,
`SYS_PTRACE`, `SYS_RAWIO`, `SYS_BOOT`, `DAC_READ_SEARCH`, `NET_ADMIN`, `BPF`, `PERFMON`,
`MAC_ADMIN`, `MAC_OVERRIDE` or `SYSLOG`, in Compose `cap_add` or Kubernetes
`securityContext.capabilities.add` (with or without the `CAP_` prefix). Other capabilities
beyond Docker's default set are E103's.

## Why it matters
Elevation of privilege. Each of these is a documented escape route: `SYS_ADMIN` mounts
filesystems and sets up cgroup release agents, `SYS_MODULE` loads kernel modules,
`SYS_PTRACE` injects code into other processes, `DAC_READ_SEARCH` opens host files by
handle (the "shocker" exploit), `NET_ADMIN` rewires the network (Tampering, Spoofing).

## Example
```yaml
services:
  vpn:
    image: registry.example.com/vpn:1.9.0
    cap_add: [SYS_ADMIN]
```

## Fix
Remove the capability; run the privileged step on the host or in a dedicated, isolated
component, and drop everything else.
```yaml
services:
  vpn:
    image: registry.example.com/vpn:1.9.0
    cap_drop: [ALL]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._capabilities import DANGEROUS_CAPABILITIES
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import CapabilityOptions
from stridescan.rules._registry import Finding, rule


@rule(
    code="E102",
    slug="dangerous-capability-added",
    title="Dangerous capability added",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.HIGH,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.4", "cis-docker-1.2:5.3", "pss-baseline:capabilities"),
    options=CapabilityOptions,
)
def check(container: Container, options: CapabilityOptions) -> Iterator[Finding]:
    allowed = options.allowed_names
    for capability in container.capabilities.added:
        name = capability.value
        if capability.unresolved is None and name in DANGEROUS_CAPABILITIES - allowed:
            yield Finding(
                at=capability.location,
                message=f"{container_noun(container)} adds capability {capability.value!r}",
            )
