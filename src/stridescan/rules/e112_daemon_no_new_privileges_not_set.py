"""
## What it flags
A daemon.json without `"no-new-privileges": true`, so containers may gain privileges through
setuid binaries unless each one opts out.

docker-bench-security (check 2.14 of v1.6, 2.17 of v1.2) reads the daemon's security options
from `docker info`; this rule reads the setting in the file.

## Why it matters
Elevation of privilege. With the default on, a setuid binary in any image cannot raise a
process's privileges, whatever the Compose file or `docker run` says.

## Example
```json
{
  "icc": false
}
```

## Fix
Make no-new-privileges the default for every container.
```json
{
  "icc": false,
  "no-new-privileges": true
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E112",
    slug="daemon-no-new-privileges-not-set",
    title="Daemon does not default to no-new-privileges",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.14", "cis-docker-1.2:2.17"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.no_new_privileges.value is not True:
        yield Finding(
            at=daemon.no_new_privileges.location,
            message="the daemon does not set no-new-privileges for every container",
        )
