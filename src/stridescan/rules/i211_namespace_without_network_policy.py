"""
## What it flags
A namespace that has workloads in the scanned files but no NetworkPolicy anywhere in them.
The files are judged together: a Deployment in one file and a NetworkPolicy of its
namespace in another is fine. Any policy in the namespace counts, whatever pods it selects
(the rule checks that isolation was thought about, not what each policy allows); Calico's
`NetworkPolicy` and Cilium's `CiliumNetworkPolicy` count too. Objects without
`metadata.namespace` count as namespace `default`, where kubectl applies them without `-n`;
a NetworkPolicy written without a namespace lands beside them, so it covers them.
Host-network pods are not counted: NetworkPolicies do not apply to them. The finding is at
the first workload of the namespace, in path order. A scan with no workload (only RBAC, or
only Dockerfiles) says nothing. When the policies live elsewhere (a platform repository),
scan both together or silence the rule with a comment on that line.

## Why it matters
Information disclosure. Without a NetworkPolicy every pod accepts connections from every
other pod in the cluster: one compromised workload can reach the databases, admin ports and
metrics endpoints of all the others and move laterally (Tampering follows with services
that trust the network). CIS Kubernetes 5.3.2 asks for NetworkPolicies in every namespace,
and the NSA/CISA hardening guide for a default-deny policy.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
```

## Fix
Add a default-deny NetworkPolicy to the namespace, then policies that allow the traffic
each workload needs.
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Cluster
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I211",
    slug="namespace-without-network-policy",
    title="Namespace with workloads but no NetworkPolicy",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:network-policies", "cis-k8s:5.3.2"),
    precision="medium",
)
def check(cluster: Cluster) -> Iterator[Finding]:
    for namespace in cluster.namespaces:
        if not namespace.workloads or namespace.network_policies:
            continue
        count = len(namespace.workloads)
        noun = "workload" if count == 1 else "workloads"
        yield Finding(
            at=namespace.workloads[0],
            message=f"namespace {namespace.name!r} has {count} {noun} and no NetworkPolicy "
            "in the scanned files; add a default-deny policy",
        )
