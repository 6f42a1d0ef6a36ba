"""
## What it flags
A Kubernetes workload whose pods run as the namespace's `default` service account (no
`serviceAccountName`, or `serviceAccountName: default`) with its token mounted
(`automountServiceAccountToken` not `false`). Pods of a named service account with a
mounted token are I202's, so a workload gets one finding about its token, not two.
Control-plane static pods (kube-apiserver, etcd, ...) run without a service account and
are not judged.

## Why it matters
Spoofing. Every pod in the namespace that names no account shares the `default` one: a
permission granted to it for one workload is granted to all of them, and a token stolen
from any of them is indistinguishable from the others in the audit log (Repudiation).

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:2.0.1
```

## Fix
Give the workload its own service account, or no token at all when it does not call the
Kubernetes API.
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: web
          image: registry.example.com/web:2.0.1
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Workload
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule
from stridescan.rules._service_accounts import token_mounted, uses_default_account


@rule(
    code="S201",
    slug="default-service-account",
    title="Pod runs as the default service account with its token mounted",
    stride=(Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE, Stride.REPUDIATION),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.5", "nsa-k8s:service-accounts"),
)
def check(workload: Workload) -> Iterator[Finding]:
    if not token_mounted(workload) or not uses_default_account(workload):
        return
    account = workload.service_account
    where = account.location if account.is_set else workload.location
    yield Finding(
        at=where,
        message=f"{workload.kind} {workload.name!r} runs as the default service account"
        " with its token mounted",
    )
