"""
## What it flags
A RUN that refreshes the package index (`apt-get update`, `apt update`, `apk update`)
without installing or upgrading anything in the same RUN.

## Why it matters
Tampering. The build cache keeps that layer: later `install` steps reuse an index that may be
months old and install package versions with known vulnerabilities, or fail, while the
Dockerfile looks as if it updates. An index that stays in the image also adds megabytes
nobody uses.

## Example
```dockerfile
FROM debian:12.8-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends ca-certificates
```

## Fix
Update and install in one RUN, and clean the index in the same layer.
```dockerfile
FROM debian:12.8-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import run_scripts
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_MANAGERS = (
    (
        lazy_re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*update\b"),
        lazy_re.compile(
            r"\bapt(?:-get)?\s+(?:-\S+\s+)*(?:install|upgrade|dist-upgrade|full-upgrade)\b"
        ),
    ),
    (
        lazy_re.compile(r"\bapk\s+(?:-\S+\s+)*update\b"),
        lazy_re.compile(r"\bapk\s+(?:-\S+\s+)*(?:add|upgrade)\b"),
    ),
)


@rule(
    code="T108",
    slug="update-without-install",
    title="Package index updated in a RUN of its own",
    stride=(Stride.TAMPERING,),
    severity=Severity.LOW,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.7", "cis-docker-1.2:4.7"),
)
def check(image: Image) -> Iterator[Finding]:
    for _, instruction, script in run_scripts(image):
        for update, install in _MANAGERS:
            found = update.search(script)
            if found and not install.search(script):
                command = " ".join(found.group().split())
                yield Finding(
                    at=instruction.location,
                    message=f"RUN runs {command!r} without an install in the same RUN",
                )
                break
