"""
## What it flags
A daemon.json whose `seccomp-profile` is `unconfined`: every container runs without seccomp
unless it names a profile itself. A custom profile path is not flagged.

docker-bench-security (check 2.17 of v1.6, 2.15 of v1.2) reads the security options from
`docker info`; this rule reads `seccomp-profile` in the file.

## Why it matters
Elevation of privilege. The default seccomp profile blocks the system calls most kernel
exploits use; switching it off daemon-wide turns every kernel bug into a container escape
for every container on the host.

## Example
```json
{
  "seccomp-profile": "unconfined"
}
```

## Fix
Remove the setting to use the built-in profile, or point it at a reviewed custom profile.
```json
{
  "seccomp-profile": "/etc/docker/seccomp/default.json"
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E118",
    slug="daemon-seccomp-unconfined",
    title="Daemon default seccomp profile disabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.HIGH,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.17", "cis-docker-1.2:2.15"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    profile = daemon.seccomp_profile
    if profile.value is not None and profile.value.strip().lower() == "unconfined":
        yield Finding(
            at=profile.location, message="the daemon runs containers without seccomp by default"
        )
