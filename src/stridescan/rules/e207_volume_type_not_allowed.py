"""
## What it flags
A Kubernetes pod volume of a type outside the Pod Security Standards restricted list
(`configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, `persistentVolumeClaim`,
`projected`, `secret`): `nfs`, `iscsi`, `rbd`, `cephfs`, `gitRepo`, `flexVolume`, cloud
disks, ... `hostPath` is E201's.

## Why it matters
Elevation of privilege. These volume types are mounted by the node from a source the pod
names itself, outside the PersistentVolume objects an administrator controls: a pod can
reach storage it was never granted, bring in a node plugin's bugs (`flexVolume`, `gitRepo`
ran `git` as root on the node), or read other tenants' data (Information disclosure).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: reports
spec:
  containers:
    - name: reports
      image: registry.example.com/reports:1.3.0
      volumeMounts:
        - name: share
          mountPath: /share
  volumes:
    - name: share
      nfs:
        server: nfs.example.com
        path: /exports/reports
```

## Fix
Claim the storage through a PersistentVolumeClaim, so the administrator's PersistentVolume
says what is mounted.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: reports
spec:
  containers:
    - name: reports
      image: registry.example.com/reports:1.3.0
      volumeMounts:
        - name: share
          mountPath: /share
  volumes:
    - name: share
      persistentVolumeClaim:
        claimName: reports-share
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Workload
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

ALLOWED_VOLUME_TYPES = frozenset(
    (
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    )
)


@rule(
    code="E207",
    slug="volume-type-not-allowed",
    title="Volume type outside the restricted list",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("pss-restricted:volume-types", "nsa-k8s:pod-security"),
)
def check(workload: Workload) -> Iterator[Finding]:
    for volume in workload.volumes:
        if volume.kind in ALLOWED_VOLUME_TYPES or volume.kind == "hostPath":
            continue
        yield Finding(
            at=volume.location,
            message=f"{volume.kind} volume {volume.name!r} in {workload.kind} {workload.name!r}",
        )
