"""
## What it flags
A container that keeps the `NET_RAW` capability: neither `NET_RAW` nor `ALL` is in Compose
`cap_drop` or Kubernetes `securityContext.capabilities.drop`, or it is added back with
`cap_add` / `capabilities.add`. Docker and containerd grant NET_RAW by default.

## Why it matters
Spoofing. NET_RAW lets a process craft raw packets: forge source addresses, ARP-spoof and
DNS-spoof neighbours on the same bridge or node network, and sniff their traffic
(Tampering and Information disclosure follow).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```

## Fix
Drop all capabilities and add back only those the process needs.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_COVERS_NET_RAW = ("NET_RAW", "ALL")


@rule(
    code="S001",
    slug="net-raw-not-dropped",
    title="NET_RAW capability not dropped",
    stride=(Stride.SPOOFING, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.4", "cis-docker-1.2:5.3", "pss-restricted:capabilities"),
)
def check(container: Container) -> Iterator[Finding]:
    capabilities = container.capabilities
    noun = container_noun(container)
    added = [cap for cap in capabilities.added if cap.value in _COVERS_NET_RAW]
    if added:
        yield Finding(at=added[0].location, message=f"{noun} adds capability {added[0].value}")
        return
    if any(cap.value in _COVERS_NET_RAW for cap in capabilities.dropped):
        return
    key = "cap_drop" if container.source_kind is SourceKind.COMPOSE else "capabilities.drop"
    yield Finding(
        at=capabilities.drop_location, message=f"{noun} does not drop NET_RAW (no {key}: [ALL])"
    )
