"""
## What it flags
A daemon.json without `authorization-plugins`: every client that can reach the socket may
call every API.

docker-bench-security (check 2.12 of v1.6, 2.11 of v1.2) reads the daemon's plugins from
`docker info`; this rule reads the list in the file. Whether the plugin's policy is right is
out of reach of both.

## Why it matters
Elevation of privilege. Access to the Docker socket is all or nothing without an
authorization plugin: a CI job that may build images may also start privileged containers,
and nothing records who asked for what (Repudiation).

## Example
```json
{
  "icc": false
}
```

## Fix
Install an authorization plugin (Open Policy Agent, Casbin, ...) and name it here.
```json
{
  "icc": false,
  "authorization-plugins": ["opa-docker-authz"]
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E116",
    slug="daemon-no-authorization-plugin",
    title="No authorization plugin",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.REPUDIATION),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.12", "cis-docker-1.2:2.11"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if not daemon.authorization_plugins:
        yield Finding(
            at=daemon.location,
            message="the daemon lets every client call every API (no authorization-plugins)",
        )
