"""
## What it flags
A `KubeletConfiguration` with `streamingConnectionIdleTimeout` of zero (`0`, `0s`,
`0h0m0s`): exec, attach and port-forward streams never time out.

## Why it matters
Denial of service. Idle streams hold a connection, a process and memory on the node for
ever; enough of them, forgotten or opened on purpose, exhaust the kubelet. A forgotten
shell also stays open for whoever finds the terminal (Elevation of privilege).

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
streamingConnectionIdleTimeout: 0s
```

## Fix
Close idle streams after a few minutes (the default is four hours).
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
streamingConnectionIdleTimeout: 5m
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_ZERO = re.compile(r"^(0+(\.0+)?(ns|us|µs|ms|s|m|h)?)+$")


@rule(
    code="D204",
    slug="kubelet-streaming-timeout-disabled",
    title="Kubelet streaming connections never time out",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:4.2.5",),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    timeout = config.streaming_connection_idle_timeout
    if timeout.value is not None and _ZERO.match(timeout.value.strip()):
        yield Finding(
            at=timeout.location,
            message="kubelet exec and port-forward streams never time out"
            f" (streamingConnectionIdleTimeout: {timeout.value})",
        )
