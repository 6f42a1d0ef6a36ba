"""
## What it flags
A Kubernetes container with no seccomp profile: neither the container's nor the pod's
`securityContext.seccompProfile.type` is set. An explicit `Unconfined` is E106's.

## Why it matters
Elevation of privilege. Unless every node's kubelet runs with `--seccomp-default`, a
container without a profile runs unconfined: the ~50 system calls the runtime's default
profile blocks (`keyctl`, `unshare`, `bpf`, `add_key`, ...) and that most kernel exploits
need stay open. The Pod Security Standards restricted profile demands `RuntimeDefault` or
`Localhost`.

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
Set `seccompProfile.type: RuntimeDefault` once in the pod's securityContext.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E208",
    slug="seccomp-profile-not-set",
    title="No seccomp profile set",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("pss-restricted:seccomp", "cis-k8s:5.7.2", "nsa-k8s:pod-security"),
)
def check(container: Container) -> Iterator[Finding]:
    profile = container.seccomp_profile
    if profile is None or profile.is_set:
        return
    yield Finding(
        at=profile.location,
        message=f"{container_noun(container)} sets no seccompProfile (use RuntimeDefault)",
    )
