"""
## What it flags
A Kubernetes container that declares `ports` but has no `readinessProbe`, in every
workload kind that runs for good (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController). Containers without ports serve no Service traffic and are not
judged, nor are Jobs, CronJobs, init and ephemeral containers.

## Why it matters
Denial of service. Without a readiness probe a pod receives Service traffic as soon as its
process starts, before it can answer, and keeps receiving it while it is overloaded or
has lost its database: every rollout and every hiccup becomes failed requests.

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
          ports:
            - containerPort: 8080
```

## Fix
Add a readiness probe that succeeds only when the container can serve requests.
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
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import ContainerRole, Workload
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule
from stridescan.rules._workloads import RUN_TO_COMPLETION


@rule(
    code="D203",
    slug="no-readiness-probe",
    title="No readiness probe on a container that serves ports",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:resource-policies",),
)
def check(workload: Workload) -> Iterator[Finding]:
    if workload.kind in RUN_TO_COMPLETION:
        return
    for container in workload.containers:
        probe = container.readiness_probe
        if container.role is not ContainerRole.CONTAINER or not container.ports:
            continue
        if probe is not None and not probe.is_set:
            yield Finding(
                at=probe.location, message=f"{container_noun(container)} has no readinessProbe"
            )
