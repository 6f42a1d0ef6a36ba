"""
## What it flags
A daemon.json that does not set `"icc": false`: containers on the default bridge network can
reach every port of each other.

docker-bench-security (check 2.2) reads `--icc` of the running daemon; this rule reads the
same setting in the file that will configure it, before deployment.

## Why it matters
Information disclosure. With inter-container communication on, one compromised container on
the default bridge can reach the databases, admin ports and metadata services of all the
others, and spoof traffic to them (Spoofing).

## Example
```json
{
  "log-level": "info"
}
```

## Fix
Set `icc` to false and connect containers that must talk through user-defined networks.
```json
{
  "icc": false
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I104",
    slug="daemon-icc-enabled",
    title="Inter-container communication not disabled",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.MEDIUM,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.2", "cis-docker-1.2:2.1"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.icc.value is False:
        return
    yield Finding(
        at=daemon.icc.location,
        message="the daemon lets containers on the default bridge talk to each other (icc)",
    )
