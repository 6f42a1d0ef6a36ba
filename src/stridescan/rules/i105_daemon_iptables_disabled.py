"""
## What it flags
A daemon.json with `"iptables": false`, which stops the daemon from writing the firewall
rules that isolate container networks and enforce `icc` and published ports.

docker-bench-security (check 2.4 of v1.6, 2.3 of v1.2) reads `--iptables` of the running
daemon; this rule reads the setting in the file.

## Why it matters
Information disclosure. Without the daemon's rules, networks that should be isolated can
reach each other and published ports follow whatever hand-written rules happen to exist,
which drift from the containers actually running (Tampering with traffic follows).

## Example
```json
{
  "iptables": false
}
```

## Fix
Let the daemon manage iptables (the default); add your own rules to the `DOCKER-USER` chain.
```json
{
  "iptables": true
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I105",
    slug="daemon-iptables-disabled",
    title="Docker not allowed to manage iptables",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.4", "cis-docker-1.2:2.3"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.iptables.value is False:
        yield Finding(
            at=daemon.iptables.location,
            message="the daemon may not write the firewall rules that isolate containers",
        )
