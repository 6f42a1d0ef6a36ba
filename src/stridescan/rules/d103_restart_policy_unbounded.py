"""
## What it flags
A Compose service restarted without a bound: `restart: always`, `restart: unless-stopped`,
`restart: on-failure` without a maximum (`on-failure:5` is fine), or Swarm's
`deploy.restart_policy` with condition `any` or `on-failure` (the default is `any`) and no
`max_attempts`.

## Why it matters
Denial of service. A container that crashes at start is restarted forever: each attempt
burns CPU, fills logs and disks, and hides the failure from monitoring that watches for
stopped containers. A crash loop triggered by an attacker's input repeats without end.

## Example
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    restart: always
```

## Fix
Bound the retries so a crash loop stops and is noticed.
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    restart: on-failure:5
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_UNBOUNDED = ("always", "unless-stopped", "on-failure", "any")


@rule(
    code="D103",
    slug="restart-policy-unbounded",
    title="Restart policy without a retry limit",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.15", "cis-docker-1.2:5.14"),
)
def check(container: Container) -> Iterator[Finding]:
    policy = container.restart_policy
    if policy is None or policy.value is None:
        return
    condition, _, attempts = policy.value.strip().strip("\"'").partition(":")
    bounded = attempts.strip().isdigit() and int(attempts) > 0
    if condition.strip().lower() in _UNBOUNDED and not bounded:
        yield Finding(
            at=policy.location,
            message=f"{container_noun(container)} restarts without a limit ({policy.value!r})",
        )
