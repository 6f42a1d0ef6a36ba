"""
## What it flags
A Compose service whose `cap_drop` lists some capabilities (`NET_RAW` among them) but not
`ALL`, so it keeps the rest of Docker's default set: `CHOWN`, `DAC_OVERRIDE`, `FOWNER`,
`SETUID`, `SETGID`, `MKNOD`, ... A service that keeps `NET_RAW` is reported by S001 alone,
whose message already asks for `cap_drop: [ALL]`, so one `cap_drop` never gets two
findings.

## Why it matters
Elevation of privilege. Each default capability is a power a compromised process keeps:
`DAC_OVERRIDE` ignores file permissions, `SETUID`/`SETGID` switch to any user, `CHOWN` and
`FOWNER` take over files, `MKNOD` creates device nodes. Dropping a hand-picked few leaves
the others, and any capability Docker adds to its default set later.

## Example
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    cap_drop: [NET_RAW, MKNOD]
```

## Fix
Drop all capabilities and add back only those the process needs.
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E120",
    slug="capabilities-not-all-dropped",
    title="Capabilities dropped one by one instead of ALL",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.LOW,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.4", "cis-docker-1.2:5.3"),
)
def check(container: Container) -> Iterator[Finding]:
    capabilities = container.capabilities
    if any(cap.unresolved is not None for cap in capabilities.dropped):
        return
    dropped = {cap.value for cap in capabilities.dropped}
    added = {cap.value for cap in capabilities.added}
    net_raw_kept = "NET_RAW" not in dropped or added & {"NET_RAW", "ALL"}
    if dropped and "ALL" not in dropped and not net_raw_kept:
        yield Finding(
            at=capabilities.drop_location,
            message=f"{container_noun(container)} drops {', '.join(sorted(dropped))} but not ALL",
        )
