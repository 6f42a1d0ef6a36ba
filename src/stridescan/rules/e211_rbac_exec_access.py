"""
## What it flags
A rule of a Kubernetes Role or ClusterRole that grants `pods/exec` or `pods/attach`
(with `create` or `get`) or `nodes/proxy` (with any verb), at that resource's entry.
Wildcards are E210's.

## Why it matters
Elevation of privilege. `pods/exec` and `pods/attach` are a shell in every pod the role
covers, with that pod's service account token, secrets and network position. `nodes/proxy`
reaches the kubelet API of every node, which runs commands in any pod there, past the
audit log of the API server (Repudiation).

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: support
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec"]
    verbs: ["get", "create"]
```

## Fix
Grant read access to pods and logs for support work; keep exec for break-glass accounts.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: support
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Role
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._rbac import CORE_GROUP, allows_any, in_groups, named, role_noun
from stridescan.rules._registry import Finding, rule

# Exec and attach go through `create` (and `get` for websocket clients); any verb on
# nodes/proxy reaches the kubelet.
_GRANTS = (
    (("pods/exec", "pods/attach"), ("create", "get")),
    (("nodes/proxy",), ("get", "create", "update", "patch", "delete", "list", "watch")),
)


@rule(
    code="E211",
    slug="rbac-exec-access",
    title="RBAC rule grants exec into pods or the kubelet API",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.REPUDIATION),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.10", "nsa-k8s:rbac"),
)
def check(role: Role) -> Iterator[Finding]:
    for policy in role.rules:
        if not in_groups(policy, (CORE_GROUP,)):
            continue
        for resources, verbs in _GRANTS:
            if not allows_any(policy, verbs):
                continue
            for resource in named(policy.resources, resources):
                yield Finding(
                    at=resource.location,
                    message=f"{role_noun(role)} grants access to {resource.value}",
                )
