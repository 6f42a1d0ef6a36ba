"""
## What it flags
A `KubeletConfiguration` with a `readOnlyPort` other than 0.

## Why it matters
Information disclosure. The read-only port (10255 by tradition) serves the node's pods,
their specs (environment variables included) and metrics over plain HTTP, without
authentication or authorization, to anyone who reaches the node.

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10255
```

## Fix
Close the read-only port; scrape metrics from the authenticated port 10250.
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I209",
    slug="kubelet-read-only-port",
    title="Kubelet read-only port open",
    stride=(Stride.INFORMATION_DISCLOSURE,),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:4.2.4", "nsa-k8s:authentication"),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    port = config.read_only_port
    if port.value is not None and port.value != 0:
        yield Finding(
            at=port.location,
            message=f"kubelet serves unauthenticated read-only port {port.value}",
        )
