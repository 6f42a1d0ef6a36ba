"""
## What it flags
A container that mounts the socket of a container runtime from the host: `docker.sock`,
`containerd.sock`, `crio.sock`, `podman.sock`, `cri-dockerd.sock` or `dockershim.sock`,
under `/var/run` or `/run` (rootless ones under `/run/user/<uid>` too), or the directory
that holds it. Compose bind mounts in short and long syntax and Kubernetes `hostPath`
volumes that a container mounts are both read.

## Why it matters
Elevation of privilege. Whoever can talk to the runtime socket can start a privileged
container with the host's root filesystem mounted: the socket is root on the host. It also
discloses every other container's environment and secrets (Information disclosure) and
lets them be stopped or replaced (Tampering).

## Example
```yaml
services:
  ci-runner:
    image: registry.example.com/runner:2.3.1
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
```

## Fix
Do not mount the runtime socket; build images with a daemonless builder (BuildKit rootless,
kaniko, buildah) or give the job a dedicated, isolated build host.
```yaml
services:
  ci-runner:
    image: registry.example.com/runner:2.3.1
    volumes:
      - runner-work:/work
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._host_paths import runtime_socket
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E002",
    slug="runtime-socket-mounted",
    title="Container runtime socket mounted into a container",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.INFORMATION_DISCLOSURE, Stride.TAMPERING),
    severity=Severity.CRITICAL,
    formats=(Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:5.32", "cis-docker-1.2:5.31", "pss-baseline:hostpath-volumes"),
)
def check(container: Container) -> Iterator[Finding]:
    for mount in container.mounts:
        host_path = mount.host_path.value
        if host_path is None:
            continue
        exposed = runtime_socket(host_path)
        if exposed is None:
            continue
        what = "the runtime socket" if exposed.endswith(".sock") else "the runtime socket directory"
        yield Finding(
            at=mount.host_path.location,
            message=f"{container_noun(container)} mounts {what} {exposed} from the host",
        )
