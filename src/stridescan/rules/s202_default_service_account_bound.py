"""
## What it flags
A Kubernetes RoleBinding or ClusterRoleBinding with a `default` service account as a
subject, at that subject.

## Why it matters
Spoofing. Every pod of the namespace that names no service account runs as `default`, so
a role bound to it is granted to all of them, today's and tomorrow's, and their tokens
cannot be told apart in the audit log (Repudiation). A compromise of the least trusted pod
there gets the permissions meant for one workload (Elevation of privilege).

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: config-reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: config-reader
subjects:
  - kind: ServiceAccount
    name: default
    namespace: shop
```

## Fix
Create a service account for the workload that needs the role and bind that one.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: config-reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: config-reader
subjects:
  - kind: ServiceAccount
    name: storefront
    namespace: shop
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import RoleBinding
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="S202",
    slug="default-service-account-bound",
    title="Binding grants a role to a default service account",
    stride=(Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE, Stride.REPUDIATION),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.5", "nsa-k8s:service-accounts"),
)
def check(binding: RoleBinding) -> Iterator[Finding]:
    for subject in binding.subjects:
        if subject.kind == "ServiceAccount" and subject.name.value == "default":
            namespace = subject.namespace or binding.namespace or "its namespace"
            yield Finding(
                at=subject.name.location,
                message=f"{binding.kind} {binding.name!r} grants {binding.role_name.value!r}"
                f" to the default service account of {namespace}",
            )
