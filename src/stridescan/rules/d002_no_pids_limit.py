"""
## What it flags
A Compose service without a process limit (`pids_limit`, or `deploy.resources.limits.pids`),
or with an unlimited one (`0` or `-1`).

Kubernetes has no per-container setting for this: the node's kubelet bounds processes per
pod with `podPidsLimit` in its KubeletConfiguration, so this rule does not look at manifests.

## Why it matters
Denial of service. A fork bomb or a runaway worker pool in one container exhausts the host's
process table, and then nothing on the host can start a process, sshd and the runtime
included.

## Example
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
```

## Fix
Set `pids_limit` to a bound above the workload's normal process and thread count.
```yaml
services:
  worker:
    image: registry.example.com/worker:3.0.1
    pids_limit: 200
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_UNLIMITED = ("0", "-1")


@rule(
    code="D002",
    slug="no-pids-limit",
    title="No process (PIDs) limit",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.COMPOSE,),
    references=("cis-docker-1.6:5.29", "cis-docker-1.2:5.28"),
)
def check(container: Container) -> Iterator[Finding]:
    limit = container.resources.pids_limit
    noun = container_noun(container)
    if not limit.is_set:
        yield Finding(at=limit.location, message=f"{noun} sets no pids_limit")
    elif limit.value is not None and limit.value.strip() in _UNLIMITED:
        yield Finding(at=limit.location, message=f"{noun} sets an unlimited pids_limit")
