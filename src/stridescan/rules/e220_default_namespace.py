"""
## What it flags
A Kubernetes workload written with `namespace: default`. Manifests without a namespace are
not flagged: Helm, kustomize and `kubectl -n` choose it when they apply them.

## Why it matters
Elevation of privilege. Namespaces are where RBAC, Pod Security admission, NetworkPolicies,
quotas and service accounts are scoped; `default` is the namespace everything lands in,
usually with none of them set, so a workload there shares its account, its network and its
permissions with whatever else was put there (Information disclosure).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: default
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```

## Fix
Give each application its own namespace, with its policies.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Workload
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E220",
    slug="default-namespace",
    title="Workload in the default namespace",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.7.4", "nsa-k8s:network-separation"),
)
def check(workload: Workload) -> Iterator[Finding]:
    namespace = workload.namespace_setting
    if namespace is not None and namespace.value is not None and namespace.value == "default":
        yield Finding(
            at=namespace.location,
            message=f"{workload.kind} {workload.name!r} is in the default namespace",
        )
