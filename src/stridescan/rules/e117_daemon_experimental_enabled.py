"""
## What it flags
A daemon.json with `"experimental": true`.

docker-bench-security (check 2.18 of v1.6, 2.16 of v1.2) reads `Experimental` from `docker
version`; this rule reads the setting in the file.

## Why it matters
Elevation of privilege. Experimental features are untested code paths in a daemon that runs
as root; their bugs are bugs in the host's most privileged process and can crash it (Denial
of service).

## Example
```json
{
  "experimental": true
}
```

## Fix
Turn experimental features off on production hosts.
```json
{
  "experimental": false
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E117",
    slug="daemon-experimental-enabled",
    title="Experimental daemon features enabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.18", "cis-docker-1.2:2.16"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.experimental.value is True:
        yield Finding(
            at=daemon.experimental.location, message="the daemon enables experimental features"
        )
