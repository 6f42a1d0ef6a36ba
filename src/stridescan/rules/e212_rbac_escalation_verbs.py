"""
## What it flags
A rule of a Kubernetes Role or ClusterRole that grants the `escalate`, `bind` or
`impersonate` verb, at the verb's entry. Rules limited by `resourceNames` (bind only the
named roles, impersonate only the named users) are not flagged; `verbs: ["*"]` is E210's.

## Why it matters
Elevation of privilege. These verbs are the ways around RBAC itself: `escalate` lets a
subject write roles with permissions it does not hold, `bind` lets it bind any role
(`cluster-admin` included) to itself, and `impersonate` lets it act as any user, group or
service account (Spoofing).

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: team-admin
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles", "clusterrolebindings"]
    verbs: ["get", "list", "create", "bind", "escalate"]
```

## Fix
Grant the permissions themselves, or bind the few roles the subject may hand out by name
with `resourceNames` on a `bind` rule of a namespaced Role.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: team-admin
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles", "clusterrolebindings"]
    verbs: ["get", "list"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Role
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._rbac import named, role_noun
from stridescan.rules._registry import Finding, rule


@rule(
    code="E212",
    slug="rbac-escalation-verbs",
    title="RBAC rule grants escalate, bind or impersonate",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING),
    severity=Severity.HIGH,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.8", "nsa-k8s:rbac"),
)
def check(role: Role) -> Iterator[Finding]:
    for policy in role.rules:
        if policy.resource_names:
            continue
        for verb in named(policy.verbs, ("escalate", "bind", "impersonate")):
            yield Finding(
                at=verb.location, message=f"{role_noun(role)} grants the {verb.value} verb"
            )
