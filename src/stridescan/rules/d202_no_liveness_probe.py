"""
## What it flags
A Kubernetes container without a `livenessProbe`, in every workload kind that runs for
good (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController). Jobs
and CronJobs run to completion and are not judged; neither are init and ephemeral
containers, which cannot have one.

## Why it matters
Denial of service. Without a liveness probe the kubelet only knows whether the process
exists: a deadlocked or hung server keeps its pod "Running" for ever and is never
restarted, so one bad request can take the service down until someone notices.

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
Add a liveness probe that fails only when a restart would help.
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
          livenessProbe:
            httpGet:
              path: /healthz
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
    code="D202",
    slug="no-liveness-probe",
    title="No liveness probe",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("nsa-k8s:resource-policies",),
)
def check(workload: Workload) -> Iterator[Finding]:
    if workload.kind in RUN_TO_COMPLETION:
        return
    for container in workload.containers:
        probe = container.liveness_probe
        if container.role is not ContainerRole.CONTAINER or probe is None or probe.is_set:
            continue
        yield Finding(
            at=probe.location, message=f"{container_noun(container)} has no livenessProbe"
        )
