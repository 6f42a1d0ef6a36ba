"""
## What it flags
A `KubeletConfiguration` with `authentication.anonymous.enabled: true`.

## Why it matters
Spoofing. The kubelet API on port 10250 runs commands in pods, streams their logs and
lists everything on the node. With anonymous requests allowed, anyone who reaches the
node's port is served as `system:anonymous`, and with a permissive authorizer gets all of
it (Elevation of privilege, Information disclosure).

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: true
```

## Fix
Turn anonymous requests off and authenticate with client certificates and webhook tokens.
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="S205",
    slug="kubelet-anonymous-auth",
    title="Kubelet accepts anonymous requests",
    stride=(Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:4.2.1", "nsa-k8s:authentication"),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    if config.anonymous_auth.value is True:
        yield Finding(
            at=config.anonymous_auth.location,
            message="kubelet accepts anonymous requests (authentication.anonymous.enabled: true)",
        )
