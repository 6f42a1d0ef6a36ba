"""
## What it flags
A kube-apiserver static pod that records no audit log: neither `--audit-log-path` nor
`--audit-webhook-config-file` is set, or there is no `--audit-policy-file` (without a
policy, no event is recorded).

## Why it matters
Repudiation. Without an audit log nobody can tell who read a secret, exec'd into a pod or
changed a role: an intrusion through the API cannot be traced or even noticed.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --anonymous-auth=false
        - --authorization-mode=Node,RBAC
```

## Fix
Write an audit policy and log to a file (or a webhook) that is shipped off the node.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - kube-apiserver
        - --anonymous-auth=false
        - --authorization-mode=Node,RBAC
        - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
        - --audit-log-path=/var/log/kubernetes/audit.log
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._control_plane import APISERVER, control_plane_flags
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="R201",
    slug="api-server-audit-log-disabled",
    title="API server audit log not enabled",
    stride=(Stride.REPUDIATION,),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:1.2.17", "cis-k8s:3.2.1", "nsa-k8s:audit-logging"),
)
def check(container: Container) -> Iterator[Finding]:
    flags = control_plane_flags(container)
    if flags is None or flags.component != APISERVER:
        return
    backend = flags.get("audit-log-path") or flags.get("audit-webhook-config-file")
    if backend is None:
        yield Finding(
            at=flags.where.location,
            message="kube-apiserver keeps no audit log (set --audit-log-path)",
        )
    elif flags.get("audit-policy-file") is None:
        yield Finding(
            at=backend.location,
            message="kube-apiserver has no --audit-policy-file, so it records no audit event",
        )
