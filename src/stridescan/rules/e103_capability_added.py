"""
## What it flags
Each capability a container adds beyond Docker's default set (AUDIT_WRITE, CHOWN,
DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, NET_RAW, SETFCAP, SETGID,
SETPCAP, SETUID, SYS_CHROOT, which is also the Pod Security Standards baseline list) that is
not one of the dangerous ones E102 reports: `SYS_TIME`, `SYS_NICE`, `SYS_RESOURCE`,
`IPC_LOCK`, `LINUX_IMMUTABLE`, `WAKE_ALARM`, ... Adding back a default capability after
`cap_drop: [ALL]` is not flagged.

## Why it matters
Elevation of privilege. Every capability outside the default set widens what a compromised
process may do to the host kernel: set the host clock (`SYS_TIME`), starve neighbours of
CPU (`SYS_NICE`, `SYS_RESOURCE`, Denial of service), pin memory (`IPC_LOCK`).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ntp
spec:
  containers:
    - name: ntp
      image: registry.example.com/ntp:4.2.8
      securityContext:
        capabilities:
          add: [SYS_TIME]
```

## Fix
Remove the capability, or give the task to a host service that already holds it.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ntp
spec:
  containers:
    - name: ntp
      image: registry.example.com/ntp:4.2.8
      securityContext:
        capabilities:
          drop: [ALL]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._capabilities import DANGEROUS_CAPABILITIES, DEFAULT_CAPABILITIES
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import CapabilityOptions
from stridescan.rules._registry import Finding, rule


@rule(
    code="E103",
    slug="capability-added",
    title="Capability added beyond the default set",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.4", "cis-docker-1.2:5.3", "pss-baseline:capabilities"),
    options=CapabilityOptions,
)
def check(container: Container, options: CapabilityOptions) -> Iterator[Finding]:
    allowed = options.allowed_names
    for capability in container.capabilities.added:
        name = capability.value
        if capability.unresolved is not None or name in DEFAULT_CAPABILITIES | allowed:
            continue
        if name not in DANGEROUS_CAPABILITIES:
            yield Finding(
                at=capability.location,
                message=f"{container_noun(container)} adds non-default capability {name!r}",
            )
