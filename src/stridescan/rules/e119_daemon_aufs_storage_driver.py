"""
## What it flags
A daemon.json with `"storage-driver": "aufs"`.

docker-bench-security (check 2.6 of v1.6, 2.5 of v1.2) reads the storage driver from `docker
info`; this rule reads the setting in the file.

## Why it matters
Elevation of privilege. aufs is an out-of-tree filesystem, removed from Docker, that needs
patched kernels; it has had container-escape bugs and known kernel crashes (Denial of
service) that the supported drivers do not.

## Example
```json
{
  "storage-driver": "aufs"
}
```

## Fix
Use the supported `overlay2` driver.
```json
{
  "storage-driver": "overlay2"
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import DaemonConfig
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="E119",
    slug="daemon-aufs-storage-driver",
    title="aufs storage driver used",
    stride=(Stride.ELEVATION_OF_PRIVILEGE, Stride.DENIAL_OF_SERVICE),
    severity=Severity.LOW,
    formats=(Format.DAEMON,),
    references=("cis-docker-1.6:2.6", "cis-docker-1.2:2.5"),
)
def check(daemon: DaemonConfig) -> Iterator[Finding]:
    driver = daemon.storage_driver
    if driver.value is not None and driver.value.strip().lower() == "aufs":
        yield Finding(at=driver.location, message="the daemon stores images with the aufs driver")
