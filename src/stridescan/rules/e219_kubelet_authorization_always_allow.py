"""
## What it flags
A `KubeletConfiguration` with `authorization.mode: AlwaysAllow`.

## Why it matters
Elevation of privilege. The kubelet then serves every request it authenticates, anonymous
ones included when they are allowed: exec into any pod of the node, read its secrets'
files, and stream its logs, with nothing asked of the API server's RBAC.

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization:
  mode: AlwaysAllow
```

## Fix
Let the API server decide, with the Webhook mode.
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization:
  mode: Webhook
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E219",
    slug="kubelet-authorization-always-allow",
    title="Kubelet authorizes every request",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:4.2.2", "nsa-k8s:authorization"),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    mode = config.authorization_mode
    if mode.value is not None and mode.value.strip() == "AlwaysAllow":
        yield Finding(at=mode.location, message="kubelet authorizes every request (AlwaysAllow)")
