"""
## What it flags
A rule of a Kubernetes Role or ClusterRole with `"*"` in its `verbs`, `resources` or
`apiGroups`, once per rule, at the first wildcard.

## Why it matters
Elevation of privilege. A wildcard grants everything that exists now and everything added
later: new subresources, new verbs, custom resources of operators installed next year.
`verbs: ["*"]` includes `escalate`, `bind` and `impersonate`; `resources: ["*"]` includes
secrets and `pods/exec`. Least privilege can only be reviewed when it is written out.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
  - apiGroups: ["apps"]
    resources: ["*"]
    verbs: ["*"]
```

## Fix
List the resources and verbs the subject needs.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "update", "patch"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Role
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._rbac import named, role_noun
from stridescan.rules._registry import Finding, rule


@rule(
    code="E210",
    slug="rbac-wildcard",
    title="RBAC rule grants a wildcard",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.3", "nsa-k8s:rbac"),
)
def check(role: Role) -> Iterator[Finding]:
    for policy in role.rules:
        fields = [
            (field, found)
            for field, items in (
                ("verbs", policy.verbs),
                ("resources", policy.resources),
                ("apiGroups", policy.api_groups),
            )
            if (found := named(items, ("*",)))
        ]
        if fields:
            first = min((found[0] for _, found in fields), key=lambda item: item.location.line)
            yield Finding(
                at=first.location,
                message=f"{role_noun(role)} grants '*' in {', '.join(f for f, _ in fields)}",
            )
