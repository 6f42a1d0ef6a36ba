"""
## What it flags
A `KubeletConfiguration` that does not set `rotateCertificates: true` (the default is
false).

## Why it matters
Spoofing. Without rotation the kubelet's client certificate lives until it expires, often
a year: a copy taken from the node keeps working as the node all that time, and an expired
one takes the node out of the cluster (Denial of service).

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
```

## Fix
Let the kubelet request new client certificates before the old ones expire.
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
rotateCertificates: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="S206",
    slug="kubelet-certificate-rotation-disabled",
    title="Kubelet client certificate rotation off",
    stride=(Stride.SPOOFING, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:4.2.10",),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    rotate = config.rotate_certificates
    if rotate.value is not True:
        yield Finding(at=rotate.location, message="kubelet does not set rotateCertificates: true")
