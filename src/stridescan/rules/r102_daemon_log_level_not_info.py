"""
## What it flags
A daemon.json whose `log-level` is anything but `info`: `warn`, `error` and `fatal` drop the
events an investigation needs; `debug` writes request bodies and environment values to the
log. An absent `log-level` is `info`.

docker-bench-security (check 2.3) reads `--log-level` of the running daemon; this rule reads
the same setting in the file.

## Why it matters
Repudiation. Below `info`, the daemon does not record container starts, pulls and API
errors, so nobody can reconstruct who did what; `debug` fills the log with secrets
(Information disclosure).

## Example
```json
{
  "log-level": "warn"
}
```

## Fix
Use the `info` level, or leave `log-level` out.
```json
{
  "log-level": "info"
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="R102",
    slug="daemon-log-level-not-info",
    title="Daemon log level other than info",
    stride=(Stride.REPUDIATION, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.3", "cis-docker-1.2:2.2"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    level = daemon.log_level
    if level.value is not None and level.value.strip().lower() != "info":
        yield Finding(
            at=level.location, message=f"the daemon logs at level {level.value!r}, not info"
        )
