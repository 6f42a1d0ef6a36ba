"""
## What it flags
A Kubernetes ClusterRoleBinding or RoleBinding whose `roleRef` is the `cluster-admin`
ClusterRole, at the `name:` of the `roleRef`.

## Why it matters
Elevation of privilege. `cluster-admin` is every permission on every resource: its
subjects can read every secret, run privileged pods on every node and rewrite RBAC itself.
A stolen token of any of them is the whole cluster. Even bound in a RoleBinding, it is
every permission in that namespace, RBAC included.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
```

## Fix
Bind a role that grants what the subject needs; keep `cluster-admin` for break-glass
accounts outside git.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: deployer
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import RoleBinding
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E214",
    slug="cluster-admin-bound",
    title="Binding grants cluster-admin",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.1", "nsa-k8s:rbac"),
)
def check(binding: RoleBinding) -> Iterator[Finding]:
    if binding.role_kind == "ClusterRole" and binding.role_name.value == "cluster-admin":
        yield Finding(
            at=binding.role_name.location,
            message=f"{binding.kind} {binding.name!r} grants cluster-admin",
        )
