"""
## What it flags
A Compose service whose logging driver is `none` (`logging: {driver: none}`).

## Why it matters
Repudiation. With no log driver, nothing the service prints is kept: neither
`docker logs` nor a log collector sees it, so an intrusion, a failed login or an
administrator's action leaves no trace to investigate or to hold anyone to.

## Example
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    logging:
      driver: none
```

## Fix
Use a driver that keeps logs, with rotation, or ship them to a central collector.
```yaml
services:
  api:
    image: registry.example.com/api:1.4.2
    logging:
      driver: json-file
      options:
        max-size: 10m
        max-file: "5"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="R101",
    slug="logging-disabled",
    title="Container logging disabled",
    stride=(Stride.REPUDIATION,),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:2.13", "cis-docker-1.2:2.12"),
)
def check(container: Container) -> Iterator[Finding]:
    driver = container.logging_driver
    if driver is not None and driver.value is not None and driver.value.strip() == "none":
        yield Finding(
            at=driver.location,
            message=f"{container_noun(container)} discards its logs (logging driver none)",
        )
