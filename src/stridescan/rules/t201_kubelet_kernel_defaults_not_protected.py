"""
## What it flags
A `KubeletConfiguration` that does not set `protectKernelDefaults: true` (the default is
false).

## Why it matters
Tampering. Without it the kubelet changes kernel parameters it needs (`vm.overcommit_memory`,
`kernel.panic`, ...) instead of refusing to start on a node whose hardening set them
otherwise, so the node's tuning silently drifts from what was reviewed.

## Example
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
```

## Fix
Have the kubelet fail when the kernel's settings differ from its defaults, and set them in
the node's sysctl configuration.
```yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 0
protectKernelDefaults: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import KubeletConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="T201",
    slug="kubelet-kernel-defaults-not-protected",
    title="Kubelet may change kernel settings",
    stride=(Stride.TAMPERING,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=(),
)
def check(config: KubeletConfig) -> Iterator[Finding]:
    protect = config.protect_kernel_defaults
    if protect.value is not True:
        yield Finding(
            at=protect.location, message="kubelet does not set protectKernelDefaults: true"
        )
