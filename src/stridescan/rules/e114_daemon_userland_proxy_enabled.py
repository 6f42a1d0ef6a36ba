"""
## What it flags
A daemon.json that does not set `"userland-proxy": false`: each published port gets a
`docker-proxy` process running as root.

docker-bench-security (check 2.16 of v1.6, 2.14 of v1.2) looks for `docker-proxy` processes
and the daemon flag; this rule reads the setting in the file.

## Why it matters
Elevation of privilege. Every `docker-proxy` is one more root process that parses traffic
from the network; hairpin NAT does the same job in the kernel.

## Example
```json
{
  "icc": false
}
```

## Fix
Disable the userland proxy.
```json
{
  "icc": false,
  "userland-proxy": false
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E114",
    slug="daemon-userland-proxy-enabled",
    title="Userland proxy enabled",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.16", "cis-docker-1.2:2.14"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.userland_proxy.value is not False:
        yield Finding(
            at=daemon.userland_proxy.location,
            message="the daemon runs a root docker-proxy per published port (userland-proxy)",
        )
