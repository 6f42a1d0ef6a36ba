"""
## What it flags
A daemon.json whose default `log-driver` keeps container logs on the host only: absent
(`json-file`), `json-file`, `local` or `none`.

docker-bench-security (check 2.13 of v1.6, 2.12 of v1.2) reads the logging driver from
`docker info`; this rule reads `log-driver` in the file.

## Why it matters
Repudiation. Logs that stay on the host are lost with it and can be erased by whoever
compromises it: an attacker who gets root wipes the evidence of how.

## Example
```json
{
  "log-driver": "json-file"
}
```

## Fix
Ship container logs to a central collector with a remote logging driver.
```json
{
  "log-driver": "syslog",
  "log-opts": {"syslog-address": "tcp://logs.internal:514"}
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="R103",
    slug="daemon-no-remote-logging",
    title="No centralized logging driver",
    stride=(Stride.REPUDIATION,),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.13", "cis-docker-1.2:2.12"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    driver = daemon.log_driver
    if driver.value is None or driver.value.strip().lower() in ("json-file", "local", "none"):
        shown = driver.value or "json-file"
        yield Finding(
            at=driver.location,
            message=f"the daemon keeps container logs on the host only (log-driver {shown!r})",
        )
