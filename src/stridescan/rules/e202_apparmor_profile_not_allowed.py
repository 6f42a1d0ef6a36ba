"""
## What it flags
A Kubernetes container whose AppArmor annotation,
`container.apparmor.security.beta.kubernetes.io/<container>` on the pod (or pod template),
names a profile other than `runtime/default` or `localhost/<profile>`: `unconfined`, or
anything else. The `appArmorProfile` field can only say `Unconfined` besides the allowed
values, and E107 reports that, so this rule reads the annotation form only.

## Why it matters
Elevation of privilege. The runtime's default AppArmor profile denies writes to `/proc`
and `/sys` entries and mounts that are common first steps of a container escape; any
other annotation value leaves the container unconfined (Tampering with the node follows).
The Pod Security Standards baseline allows only the runtime default and local profiles.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: agent
  annotations:
    container.apparmor.security.beta.kubernetes.io/agent: unconfined
spec:
  containers:
    - name: agent
      image: registry.example.com/agent:3.2.0
```

## Fix
Use the runtime's default profile (or a profile loaded on the nodes), preferably with the
`appArmorProfile` field that replaces the annotation.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
    - name: agent
      image: registry.example.com/agent:3.2.0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


def is_allowed_apparmor_annotation(value: str) -> bool:
    text = value.strip()
    return text == "runtime/default" or text.startswith("localhost/")


@rule(
    code="E202",
    slug="apparmor-profile-not-allowed",
    title="AppArmor annotation names a profile other than the default or a local one",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:apparmor", "nsa-k8s:pod-security"),
)
def check(container: Container) -> Iterator[Finding]:
    annotation = container.apparmor_annotation
    if annotation is None or annotation.value is None:
        return
    if not is_allowed_apparmor_annotation(annotation.value):
        yield Finding(
            at=annotation.location,
            message=f"{container_noun(container)} has AppArmor profile {annotation.value!r}"
            " (use runtime/default or localhost/<profile>)",
        )
