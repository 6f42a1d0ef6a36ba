"""
## What it flags
A Kubernetes pod that sets a sysctl outside the Pod Security Standards' safe set in
`securityContext.sysctls`. Safe: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
`net.ipv4.ip_local_reserved_ports`, `net.ipv4.ip_unprivileged_port_start`,
`net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, `net.ipv4.tcp_keepalive_time`,
`net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl` and
`net.ipv4.tcp_keepalive_probes` (names with `/` separators count the same).

## Why it matters
Elevation of privilege. Sysctls outside the safe set are not isolated per pod, or let a pod
weaken the kernel for its neighbours: they change the whole node's behaviour (Tampering)
or starve it of memory, sockets or process IDs (Denial of service).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  securityContext:
    sysctls:
      - name: kernel.msgmax
        value: "65536"
  containers:
    - name: cache
      image: registry.example.com/cache:2.1.0
```

## Fix
Keep to the safe sysctls; tune the others on the nodes and schedule the pod there with a
node selector or taint.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  securityContext:
    sysctls:
      - name: net.ipv4.ip_local_port_range
        value: "1024 65535"
  containers:
    - name: cache
      image: registry.example.com/cache:2.1.0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Workload
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

SAFE_SYSCTLS = frozenset(
    (
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    )
)


@rule(
    code="E205",
    slug="unsafe-sysctl",
    title="Pod sets an unsafe sysctl",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.DENIAL_OF_SERVICE),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:sysctls", "nsa-k8s:pod-security"),
)
def check(workload: Workload) -> Iterator[Finding]:
    for sysctl in workload.sysctls:
        name = sysctl.value.strip()
        if name.replace("/", ".") not in SAFE_SYSCTLS:
            yield Finding(
                at=sysctl.location,
                message=f"unsafe sysctl {name} set in {workload.kind} {workload.name!r}",
            )
