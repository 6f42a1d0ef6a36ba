"""
## What it flags
A daemon.json whose `hosts` include a `tcp://` address while `tlsverify` is not true.

docker-bench-security (check 2.7 of v1.6, 2.6 of v1.2) reads the daemon's command line for
`--tlsverify` and the certificates; this rule reads `hosts` and `tlsverify` in the file.

## Why it matters
Elevation of privilege. The Docker API is root on the host: whoever reaches an
unauthenticated TCP socket can start a privileged container with the host's filesystem
mounted. Without client certificates anyone on the network can (Spoofing).

## Example
```json
{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]
}
```

## Fix
Require client certificates on every TCP socket, or reach the daemon over SSH instead.
```json
{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server-cert.pem",
  "tlskey": "/etc/docker/server-key.pem"
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E115",
    slug="daemon-tcp-without-tls",
    title="Daemon socket on TCP without TLS verification",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.SPOOFING, Stride.INFORMATION_DISCLOSURE),
    severity=Severity.CRITICAL,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.7", "cis-docker-1.2:2.6"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    if daemon.tls_verify.value is True:
        return
    for host in daemon.hosts:
        if host.value.strip().lower().startswith("tcp://"):
            yield Finding(
                at=host.location,
                message=f"the daemon listens on {host.value!r} without tlsverify",
            )
