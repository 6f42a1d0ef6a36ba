"""
## What it flags
A container that runs without a seccomp profile: Compose `security_opt: [seccomp:unconfined]`
(or `seccomp=unconfined`), Kubernetes `securityContext.seccompProfile.type: Unconfined` on
the container or, inherited, on the pod.

## Why it matters
Elevation of privilege. The default seccomp profile blocks about 50 system calls that
containers do not need and most kernel exploits do (`keyctl`, `unshare`, `bpf`, `ptrace` on
old kernels, ...). Without it, a kernel bug is a container escape.

## Example
```yaml
services:
  app:
    image: registry.example.com/app:1.2.3
    security_opt:
      - seccomp:unconfined
```

## Fix
Remove the option so the runtime's default profile applies, or write a custom profile that
allows the one extra call the workload needs.
```yaml
services:
  app:
    image: registry.example.com/app:1.2.3
    security_opt:
      - no-new-privileges:true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E106",
    slug="seccomp-unconfined",
    title="Seccomp disabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.HIGH,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.22", "cis-docker-1.2:5.21", "pss-baseline:seccomp"),
)
def check(container: Container) -> Iterator[Finding]:
    profile = container.seccomp_profile
    if profile is not None and profile.value == "unconfined":
        yield Finding(
            at=profile.location,
            message=f"{container_noun(container)} runs with seccomp unconfined",
        )
