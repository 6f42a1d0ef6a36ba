"""
## What it flags
A rule of a Kubernetes Role or ClusterRole that lets its subjects read Secrets: resource
`secrets` in the core API group with `get`, `list` or `watch`, at the `secrets` entry.
Rules limited to named secrets with `resourceNames` are not flagged; wildcards are E210's.

## Why it matters
Information disclosure. Reading Secrets yields every password, API key and TLS key they
hold, and the tokens of service accounts, which can be used to act as those accounts
(Elevation of privilege). `list` and `watch` return the values too, not just the names.

## Example
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: dashboard
rules:
  - apiGroups: [""]
    resources: ["secrets", "configmaps"]
    verbs: ["get", "list"]
```

## Fix
Grant access to the named secrets the workload needs, in its own namespace.
```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: dashboard
  namespace: dashboard
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["dashboard-tls"]
    verbs: ["get"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Role
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._rbac import CORE_GROUP, allows_any, in_groups, named, role_noun, written
from stridescan.rules._registry import Finding, rule

_READ = ("get", "list", "watch")


@rule(
    code="I204",
    slug="rbac-secrets-access",
    title="RBAC rule grants read access to Secrets",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.ELEVATION_OF_PRIVILEGE),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.2", "nsa-k8s:rbac"),
)
def check(role: Role) -> Iterator[Finding]:
    for policy in role.rules:
        if policy.resource_names or not in_groups(policy, (CORE_GROUP,)):
            continue
        secrets = named(policy.resources, ("secrets",))
        if secrets and allows_any(policy, _READ):
            verbs = sorted(written(policy.verbs) & {*_READ, "*"})
            yield Finding(
                at=secrets[0].location,
                message=f"{role_noun(role)} grants {', '.join(verbs)} on secrets",
            )
