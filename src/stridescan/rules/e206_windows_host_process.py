"""
## What it flags
A Kubernetes container that runs as a Windows HostProcess container:
`securityContext.windowsOptions.hostProcess: true` on the container or, inherited, on the
pod.

## Why it matters
Elevation of privilege. A HostProcess container runs directly on the Windows node, outside
any container isolation, with the node's network and filesystem and, usually, a SYSTEM or
administrator account: code execution inside it is control of the node. The Pod Security
Standards baseline forbids it.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: node-agent
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: 'NT AUTHORITY\\SYSTEM'
  hostNetwork: true
  containers:
    - name: agent
      image: registry.example.com/agent-windows:3.2.0
```

## Fix
Run the task as an ordinary Windows container, or as a service installed on the node.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: node-agent
spec:
  securityContext:
    windowsOptions:
      runAsUserName: "ContainerUser"
  containers:
    - name: agent
      image: registry.example.com/agent-windows:3.2.0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E206",
    slug="windows-host-process",
    title="Windows HostProcess container",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.TAMPERING),
    severity=Severity.CRITICAL,
    formats=(Format.KUBERNETES,),
    references=("pss-baseline:hostprocess", "cis-k8s:5.2.11"),
)
def check(container: Container) -> Iterator[Finding]:
    host_process = container.host_process
    if host_process is not None and host_process.value is True:
        yield Finding(
            at=host_process.location,
            message=f"{container_noun(container)} runs as a Windows HostProcess container",
        )
