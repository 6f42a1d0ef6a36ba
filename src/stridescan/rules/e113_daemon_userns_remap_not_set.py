"""
## What it flags
A daemon.json without `userns-remap`: root in a container is uid 0 on the host.

docker-bench-security (check 2.9 of v1.6, 2.8 of v1.2) reads the running daemon's security
options; this rule reads the setting in the file.

## Why it matters
Elevation of privilege. With remapping, uid 0 in a container is an unprivileged uid on the
host, so a container escape or a writable host mount does not hand out root on the host.

## Example
```json
{
  "icc": false
}
```

## Fix
Remap container users to a subordinate uid range (`default` creates the `dockremap` user).
```json
{
  "icc": false,
  "userns-remap": "default"
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E113",
    slug="daemon-userns-remap-not-set",
    title="User namespace remapping not enabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.9", "cis-docker-1.2:2.8"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    remap = daemon.userns_remap
    if remap.value is None or not remap.value.strip():
        yield Finding(
            at=remap.location, message="the daemon does not remap container users (userns-remap)"
        )
