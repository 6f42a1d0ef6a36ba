"""
## What it flags
A `KubeletConfiguration` with `makeIPTablesUtilChains: false`.

## Why it matters
Tampering. The kubelet keeps the iptables utility chains that the node's networking
relies on; turned off, they can drift from what pods and Services need, and manual changes
to them go unrepaired.

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
makeIPTablesUtilChains: false
```

## Fix
Let the kubelet manage its iptables chains.
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
makeIPTablesUtilChains: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="T202",
    slug="kubelet-iptables-util-chains-disabled",
    title="Kubelet does not manage its iptables chains",
    stride=(Stride.TAMPERING, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:4.2.6",),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    chains = config.make_iptables_util_chains
    if chains.value is False:
        yield Finding(at=chains.location, message="kubelet sets makeIPTablesUtilChains: false")
