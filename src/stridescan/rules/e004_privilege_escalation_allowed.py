"""
## What it flags
A container that may gain privileges through setuid binaries or file capabilities: a Compose
service without `no-new-privileges:true` in `security_opt`, or a Kubernetes container whose
`securityContext.allowPrivilegeEscalation` is not `false`.

## Why it matters
Elevation of privilege. Without the `no_new_privs` flag a process in the container can
`execve` a setuid-root binary (su, sudo, a planted one) and become root, undoing a non-root
USER.

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
Set the no-new-privileges flag: `allowPrivilegeEscalation: false` in the container's
`securityContext`, or `security_opt: ["no-new-privileges:true"]` in Compose.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      securityContext:
        allowPrivilegeEscalation: false
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E004",
    slug="privilege-escalation-allowed",
    title="Privilege escalation not prevented",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=(
        "cis-docker-1.6:5.26",
        "cis-docker-1.2:5.25",
        "pss-restricted:privilege-escalation",
    ),
)
def check(container: Container) -> Iterator[Finding]:
    setting = container.no_new_privileges
    if setting.value is True or setting.unresolved is not None:
        return
    noun = container_noun(container)
    compose = container.source_kind is SourceKind.COMPOSE
    if setting.value is False:
        written = "no-new-privileges:false" if compose else "allowPrivilegeEscalation: true"
        yield Finding(at=setting.location, message=f"{noun} sets {written}")
        return
    missing = "no-new-privileges:true" if compose else "allowPrivilegeEscalation: false"
    # It belongs in security_opt / securityContext: point there when that block exists.
    yield Finding(at=container.security_context, message=f"{noun} does not set {missing}")
