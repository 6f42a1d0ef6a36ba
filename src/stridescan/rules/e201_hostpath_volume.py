"""
## What it flags
A Kubernetes pod that declares a `hostPath` volume, whatever the path. Paths that E002
(runtime sockets) or E104 (sensitive host paths) already report for a container mounting
the volume are left to them, so one volume gives one finding.

## Why it matters
Elevation of privilege. A hostPath volume ties the pod to a node and gives it a piece of
the node's filesystem: files planted there are read by the node or the next pod scheduled
on it (Tampering), and files already there (logs, keys, other pods' data) are disclosed.
The Pod Security Standards baseline forbids hostPath volumes altogether.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: cache
      image: registry.example.com/cache:2.1.0
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      hostPath:
        path: /srv/cache
```

## Fix
Use an `emptyDir` for scratch data or a PersistentVolumeClaim for data that must outlive
the pod.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: cache
      image: registry.example.com/cache:2.1.0
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: cache-data
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Volume, Workload
from stridescan.rules._host_paths import runtime_socket, sensitive_host_path
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E201",
    slug="hostpath-volume",
    title="Pod uses a hostPath volume",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.MEDIUM,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:hostpath-volumes", "cis-k8s:5.2.12", "nsa-k8s:pod-security"),
)
def check(workload: Workload) -> Iterator[Finding]:
    for volume in workload.volumes:
        if volume.kind != "hostPath" or _reported_by_a_path_rule(workload, volume):
            continue
        path = volume.host_path
        shown = path.value or path.unresolved or "no path"
        yield Finding(
            at=path.location,
            message=f"hostPath volume {volume.name!r} ({shown}) in {workload.kind} "
            f"{workload.name!r}",
        )


def _reported_by_a_path_rule(workload: Workload, volume: Volume) -> bool:
    """Whether E002 or E104 reports this volume for some container that mounts it."""
    path = volume.host_path.value
    if path is None:
        return False
    if runtime_socket(path) is not None:
        return any(
            mount.source.value == volume.name
            for container in workload.containers
            for mount in container.mounts
        )
    return any(
        mount.source.value == volume.name
        and sensitive_host_path(path, read_only=mount.read_only.value) is not None
        for container in workload.containers
        for mount in container.mounts
    )
