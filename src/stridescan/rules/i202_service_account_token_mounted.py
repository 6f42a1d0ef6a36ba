"""
## What it flags
A Kubernetes workload that names its own service account and does not set
`automountServiceAccountToken: false` in its pod spec. Pods of the `default` account are
S201's, so a workload gets one finding about its token, not two. A `false` set only on the
ServiceAccount object is not seen here; set it on the pod too, where it is explicit.

A workload that needs the API is not reported: one whose service account a RoleBinding or
ClusterRoleBinding anywhere in the scanned files grants a role to (controllers, operators,
agents). Scan the manifests together (`helm template`, `kustomize build` or the directory)
so the bindings are seen.

## Why it matters
Information disclosure. The token is mounted into every container at
`/var/run/secrets/kubernetes.io/serviceaccount`: whoever gets code execution or file
read in any of them can call the Kubernetes API with the account's permissions (Spoofing,
Elevation of privilege). Most application pods never call the API.

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
      serviceAccountName: web
      containers:
        - name: web
          image: registry.example.com/web:2.0.1
```

## Fix
Turn the token off unless the workload calls the Kubernetes API.
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
      serviceAccountName: web
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
    code="I202",
    slug="service-account-token-mounted",
    title="Service account token mounted",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING, Stride.ELEVATION_OF_PRIVILEGE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.1.6", "nsa-k8s:service-accounts"),
)
def check(workload: Workload) -> Iterator[Finding]:
    if not token_mounted(workload) or uses_default_account(workload) or workload.api_access:
        return
    automount = workload.automount_service_account_token
    account = workload.service_account.value or workload.service_account.unresolved
    where = automount.location if automount.is_set else workload.service_account.location
    yield Finding(
        at=where,
        message=f"{workload.kind} {workload.name!r} mounts the token of service account "
        f"{account!r} (set automountServiceAccountToken: false)",
    )
