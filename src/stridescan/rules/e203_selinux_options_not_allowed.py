"""
## What it flags
A Kubernetes container whose `seLinuxOptions` (its own, or else the pod's) set a `user` or
`role`, or a `type` other than `container_t`, `container_init_t`, `container_kvm_t` or
`container_engine_t`.

## Why it matters
Elevation of privilege. On SELinux nodes the container's label is what keeps it away from
the node's files and other containers' files even when it runs as root or a mount exposes
them. A custom type such as `spc_t` (super-privileged container) or `unconfined_t`, or a
chosen user or role, lifts that confinement (Tampering). The Pod Security Standards
baseline allows only the container types and no user or role.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
    - name: agent
      image: registry.example.com/agent:3.2.0
      securityContext:
        seLinuxOptions:
          type: spc_t
```

## Fix
Remove the options so the runtime assigns its container label, or set only a level
(`level: "s0:c123,c456"`) to share files between pods.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
    - name: agent
      image: registry.example.com/agent:3.2.0
      securityContext:
        seLinuxOptions:
          level: "s0:c123,c456"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

ALLOWED_TYPES = ("container_t", "container_init_t", "container_kvm_t", "container_engine_t")


@rule(
    code="E203",
    slug="selinux-options-not-allowed",
    title="SELinux type, user or role set",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:selinux", "nsa-k8s:pod-security"),
)
def check(container: Container) -> Iterator[Finding]:
    noun = container_noun(container)
    selinux_type = container.selinux_type
    written = selinux_type.value if selinux_type is not None else None
    if selinux_type is not None and written is not None and written.strip() not in ALLOWED_TYPES:
        yield Finding(at=selinux_type.location, message=f"{noun} sets SELinux type {written!r}")
    for key, value in (("user", container.selinux_user), ("role", container.selinux_role)):
        if value is not None and value.is_set:
            shown = value.value if value.value is not None else value.unresolved
            yield Finding(at=value.location, message=f"{noun} sets SELinux {key} {shown!r}")
