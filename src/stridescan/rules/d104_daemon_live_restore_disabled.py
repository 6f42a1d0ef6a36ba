"""
## What it flags
A daemon.json without `"live-restore": true`: every container stops when the daemon stops or
is upgraded.

docker-bench-security (check 2.15) reads `LiveRestoreEnabled` from `docker info`; this rule
reads the setting in the file.

## Why it matters
Denial of service. Without live restore, patching or restarting the daemon (or a daemon
crash) takes every container down with it, so security updates of the daemon get postponed.

## Example
```json
{
  "icc": false
}
```

## Fix
Enable live restore.
```json
{
  "icc": false,
  "live-restore": true
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="D104",
    slug="daemon-live-restore-disabled",
    title="Live restore not enabled",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.15", "cis-docker-1.2:2.13"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.live_restore.value is not True:
        yield Finding(
            at=daemon.live_restore.location,
            message="the daemon stops every container when it stops (live-restore not true)",
        )
