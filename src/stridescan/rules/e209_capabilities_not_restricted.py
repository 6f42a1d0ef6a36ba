"""
## What it flags
A Kubernetes container whose capabilities do not meet the Pod Security Standards
restricted profile, where no other rule already says so:
- it drops `NET_RAW` (or other capabilities) but not `ALL`; a container that does not drop
  `NET_RAW` either is reported by S001 alone, whose message already asks for
  `drop: [ALL]`, so one `drop:` line never gets two findings;
- it adds a capability of the default set other than `NET_BIND_SERVICE` (`CHOWN`,
  `SETUID`, `KILL`, ...), each at its line. `NET_RAW` is S001's, capabilities beyond the
  default set are E102's and E103's.

## Why it matters
Elevation of privilege. Every capability a process keeps is kernel privilege an attacker
inherits on compromise: `CHOWN`, `DAC_OVERRIDE` and `FOWNER` defeat file permissions,
`SETUID`/`SETGID` let it change identity. Dropping `ALL` and adding back only
`NET_BIND_SERVICE` leaves none of them.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      securityContext:
        capabilities:
          drop: [NET_RAW, SYS_CHROOT]
```

## Fix
Drop `ALL` and add back only `NET_BIND_SERVICE`, if the process binds a port below 1024.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      securityContext:
        capabilities:
          drop: [ALL]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._capabilities import DEFAULT_CAPABILITIES
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import CapabilityOptions
from stridescan.rules._registry import Finding, rule

# NET_BIND_SERVICE is allowed by the restricted profile; NET_RAW added back is S001's.
_LEFT_TO_OTHERS = frozenset(("NET_BIND_SERVICE", "NET_RAW"))


@rule(
    code="E209",
    slug="capabilities-not-restricted",
    title="Capabilities not restricted to NET_BIND_SERVICE",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=(
        "pss-restricted:capabilities",
        "cis-k8s:5.2.9",
        "cis-k8s:5.2.10",
        "nsa-k8s:pod-security",
    ),
    options=CapabilityOptions,
)
def check(container: Container, options: CapabilityOptions) -> Iterator[Finding]:
    capabilities = container.capabilities
    noun = container_noun(container)
    dropped = {cap.value for cap in capabilities.dropped if cap.unresolved is None}
    unresolved = any(cap.unresolved is not None for cap in capabilities.dropped)
    added = {cap.value for cap in capabilities.added}
    net_raw_kept = "NET_RAW" not in dropped or added & {"NET_RAW", "ALL"}
    if "ALL" not in dropped and not unresolved and not net_raw_kept:
        yield Finding(
            at=capabilities.drop_location, message=f"{noun} drops {_names(dropped)} but not ALL"
        )
    for capability in capabilities.added:
        name = capability.value
        if name in DEFAULT_CAPABILITIES - options.allowed_names and name not in _LEFT_TO_OTHERS:
            yield Finding(
                at=capability.location,
                message=f"{noun} adds capability {name}; restricted allows only NET_BIND_SERVICE",
            )


def _names(dropped: set[str]) -> str:
    return ", ".join(sorted(dropped))
