"""
## What it flags
A Kubernetes RoleBinding or ClusterRoleBinding with a subject that stands for everyone:
the groups `system:anonymous`, `system:unauthenticated` or `system:authenticated`, or the
user `system:anonymous`, at that subject.

## Why it matters
Elevation of privilege. `system:unauthenticated` and `system:anonymous` are whoever can
reach the API server without credentials; `system:authenticated` is every user and every
service account of every namespace, including any pod's stolen token (Spoofing). A role
bound to them is granted to attackers first.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: status-readers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: status-reader
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:authenticated
```

## Fix
Bind the role to the group or service accounts that need it.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: status-readers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: status-reader
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: sre
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import RoleBinding
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_EVERYONE = {
    ("Group", "system:anonymous"): "anyone without credentials",
    ("Group", "system:unauthenticated"): "anyone without credentials",
    ("User", "system:anonymous"): "anyone without credentials",
    ("Group", "system:authenticated"): "every authenticated user and service account",
}


@rule(
    code="E215",
    slug="rbac-bound-to-all-users",
    title="Binding grants a role to anonymous or all users",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:rbac",),
)
def check(binding: RoleBinding) -> Iterator[Finding]:
    for subject in binding.subjects:
        who = _EVERYONE.get((subject.kind, (subject.name.value or "").strip()))
        if who is not None:
            yield Finding(
                at=subject.name.location,
                message=f"{binding.kind} {binding.name!r} grants {binding.role_name.value!r}"
                f" to {subject.name.value} ({who})",
            )
