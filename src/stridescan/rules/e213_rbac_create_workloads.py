"""
## What it flags
A rule of a Kubernetes Role or ClusterRole that grants `create` on pods or on a resource
that makes pods: deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs,
replicationcontrollers. Once per rule, at the first such resource; `"*"` is E210's.

## Why it matters
Elevation of privilege. Whoever can create a pod in a namespace can run it as any service
account of that namespace, mount any of its secrets, and, unless Pod Security admission
stops it, run it privileged with the node's filesystem mounted: pod creation is as good as
every permission in the namespace and often the node.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ci
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "create", "update", "patch"]
```

## Fix
Let CI update the workloads that exist, and enforce Pod Security admission (restricted) on
namespaces where subjects may create pods.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ci
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "update", "patch"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Role
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._rbac import named, role_noun
from stridescan.rules._registry import Finding, rule

# Resources that make pods, with the API groups they live in.
_POD_MAKERS = {
    "pods": "",
    "replicationcontrollers": "",
    "deployments": "apps",
    "replicasets": "apps",
    "statefulsets": "apps",
    "daemonsets": "apps",
    "jobs": "batch",
    "cronjobs": "batch",
}


@rule(
    code="E213",
    slug="rbac-create-workloads",
    title="RBAC rule grants creating pods or workloads",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.4", "nsa-k8s:rbac"),
)
def check(role: Role) -> Iterator[Finding]:
    for policy in role.rules:
        if not named(policy.verbs, ("create",)):
            continue
        groups = {group.value.strip() for group in policy.api_groups}
        resources = [
            item
            for item in named(policy.resources, _POD_MAKERS)
            if _POD_MAKERS[item.value.strip()] in groups or "*" in groups
        ]
        if resources:
            names = ", ".join(item.value for item in resources)
            yield Finding(
                at=resources[0].location, message=f"{role_noun(role)} grants create on {names}"
            )
