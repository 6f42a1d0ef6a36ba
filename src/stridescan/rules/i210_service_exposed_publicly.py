"""
## What it flags
A Kubernetes Service reachable from outside the cluster without a restriction on who may
connect: `type: NodePort` (a port on every node), or `type: LoadBalancer` without
`loadBalancerSourceRanges` (or with `0.0.0.0/0` / `::/0` among them). Load balancers that
a cloud annotation makes internal (AWS, Azure, GCP, OCI) are not flagged.

## Why it matters
Information disclosure. A public load balancer or node port puts the workload on the
internet, or on every network the nodes are attached to, past any NetworkPolicy meant to
keep it private; admin consoles, metrics and databases exposed this way are found by
scanners within hours (Denial of service and Spoofing follow).

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: admin
spec:
  type: LoadBalancer
  selector:
    app: admin
  ports:
    - port: 443
      targetPort: 8443
```

## Fix
Admit only the address ranges that need the service, or keep it internal and reach it
through an Ingress or a VPN.
```yaml
apiVersion: v1
kind: Service
metadata:
  name: admin
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 203.0.113.0/24
  selector:
    app: admin
  ports:
    - port: 443
      targetPort: 8443
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Service
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_EVERYWHERE = ("0.0.0.0/0", "::/0")
# Annotations that make a cloud provider's load balancer private to its network.
_INTERNAL = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": None,
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    "networking.gke.io/load-balancer-type": "internal",
    "cloud.google.com/load-balancer-type": "internal",
    "service.beta.kubernetes.io/oci-load-balancer-internal": "true",
}


def is_internal(service: Service) -> bool:
    for key, value in service.annotations:
        if key in _INTERNAL:
            wanted = _INTERNAL[key]
            if wanted is None or value.strip().lower() == wanted:
                return True
    return False


@rule(
    code="I210",
    slug="service-exposed-publicly",
    title="Service reachable from anywhere",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:network-separation",),
)
def check(service: Service) -> Iterator[Finding]:
    kind = service.type.value
    noun = f"Service {service.name!r}"
    if kind == "NodePort":
        yield Finding(at=service.type.location, message=f"{noun} opens a port on every node")
    elif kind == "LoadBalancer" and not is_internal(service):
        open_ranges = [r for r in service.source_ranges if r.value.strip() in _EVERYWHERE]
        if open_ranges:
            yield Finding(
                at=open_ranges[0].location,
                message=f"{noun} admits {open_ranges[0].value} to its load balancer",
            )
        elif not service.source_ranges:
            yield Finding(
                at=service.type.location,
                message=f"{noun} is a load balancer without loadBalancerSourceRanges",
            )
