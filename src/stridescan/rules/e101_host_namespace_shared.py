"""
## What it flags
A workload that shares a namespace with the host: Compose `network_mode: host`, `pid: host`,
`ipc: host`, `uts: host` or `userns_mode: host`; Kubernetes `hostNetwork: true`,
`hostPID: true` or `hostIPC: true`. Each shared namespace is one finding.

## Why it matters
Elevation of privilege. A namespace is a wall between the container and the host: with the
host's PID namespace a process can see, signal and `ptrace` host processes; with the host's
network it can bind host ports and reach services listening on localhost (Spoofing and
Information disclosure); with the host's IPC it can read shared memory of host processes;
with the host's UTS it can rename the host; with the host's user namespace root in the
container is root on the host.

## Example
```yaml
services:
  monitor:
    image: registry.example.com/monitor:2.1.0
    pid: host
```

## Fix
Remove the host namespace setting; expose what the workload needs through ports, volumes or
an API instead.
```yaml
services:
  monitor:
    image: registry.example.com/monitor:2.1.0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Located, SourceKind, Workload
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_COMPOSE_KEYS = {
    "network": "network_mode",
    "PID": "pid",
    "IPC": "ipc",
    "UTS": "uts",
    "user": "userns_mode",
}
_KUBERNETES_KEYS = {"network": "hostNetwork", "PID": "hostPID", "IPC": "hostIPC"}


@rule(
    code="E101",
    slug="host-namespace-shared",
    title="Host namespace shared with a container",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.HIGH,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=(
        "cis-docker-1.6:5.10",
        "cis-docker-1.6:5.16",
        "cis-docker-1.6:5.17",
        "cis-docker-1.6:5.21",
        "cis-docker-1.6:5.31",
        "cis-docker-1.2:5.9",
        "cis-docker-1.2:5.15",
        "cis-docker-1.2:5.16",
        "cis-docker-1.2:5.20",
        "cis-docker-1.2:5.30",
        "pss-baseline:host-namespaces",
    ),
)
def check(workload: Workload) -> Iterator[Finding]:
    settings: dict[str, Located[bool | None]] = {
        "network": workload.host_network,
        "PID": workload.host_pid,
        "IPC": workload.host_ipc,
    }
    if workload.source_kind is SourceKind.COMPOSE:
        settings.update(UTS=workload.host_uts, user=workload.host_userns)
        keys, noun = _COMPOSE_KEYS, f"service {workload.name!r}"
    else:
        keys, noun = _KUBERNETES_KEYS, f"{workload.kind} {workload.name!r}"
    for namespace, setting in settings.items():
        if setting.value is True:
            yield Finding(
                at=setting.location,
                message=f"{noun} shares the host's {namespace} namespace ({keys[namespace]})",
            )
