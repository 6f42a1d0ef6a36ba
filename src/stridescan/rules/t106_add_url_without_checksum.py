"""
## What it flags
An `ADD` that downloads a file over HTTP(S) without `--checksum=sha256:...`. A Git
source pinned to a full commit hash (`#<40 hex digits>`) is not flagged.

## Why it matters
Tampering. Whatever the server (or anyone between it and the builder) returns goes into
the image unchecked, and the next build may get different bytes under the same URL: a
compromised download site ships its payload into every image built after it.

## Example
```dockerfile
FROM alpine:3.20
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
```

## Fix
Pin the download's digest with `--checksum` (Dockerfile syntax 1.6 or later), or download
and verify in a RUN step.
```dockerfile
# syntax=docker/dockerfile:1
FROM alpine:3.20
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \
    https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import transfers
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_URL = lazy_re.compile(r"^https?://", re.IGNORECASE)
_PINNED_COMMIT = lazy_re.compile(r"#[0-9a-f]{40}$", re.IGNORECASE)


@rule(
    code="T106",
    slug="add-url-without-checksum",
    title="ADD of a remote URL without --checksum",
    stride=(Stride.TAMPERING,),
    severity=Severity.MEDIUM,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.9", "cis-docker-1.2:4.9"),
)
def check(image: Image) -> Iterator[Finding]:
    for instruction, transfer in transfers(image):
        if instruction.keyword != "ADD" or transfer.flags.get("checksum"):
            continue
        for source in transfer.sources:
            if _URL.match(source) and not _PINNED_COMMIT.search(source):
                yield Finding(
                    at=instruction.location,
                    message=f"ADD downloads {source!r} without --checksum",
                )
                break
