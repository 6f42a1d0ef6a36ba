"""
## What it flags
An `ADD` of local files or directories that are not tar archives: `COPY` does the same
with no surprises. `ADD` of a tar archive (which it unpacks) and of a URL or Git repository
is left alone; remote sources are T106's concern.

## Why it matters
Tampering. `ADD` does more than it says: it fetches URLs and silently unpacks any local file
that happens to be an archive, so a changed file in the build context can expand into
unexpected paths of the image. `COPY` copies exactly what it names.

## Example
```dockerfile
FROM alpine:3.20
ADD app.py /app/app.py
```

## Fix
Use `COPY` for local files and directories.
```dockerfile
FROM alpine:3.20
COPY app.py /app/app.py
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

_ARCHIVE = lazy_re.compile(r"\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$", re.IGNORECASE)
_REMOTE = lazy_re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


@rule(
    code="T105",
    slug="add-instead-of-copy",
    title="ADD used where COPY suffices",
    stride=(Stride.TAMPERING,),
    severity=Severity.LOW,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.9", "cis-docker-1.2:4.9"),
)
def check(image: Image) -> Iterator[Finding]:
    for instruction, transfer in transfers(image):
        if instruction.keyword != "ADD":
            continue
        local = [s for s in transfer.sources if not _REMOTE.match(s) and "$" not in s]
        plain = [s for s in local if not _ARCHIVE.search(s)]
        if plain:
            yield Finding(
                at=instruction.location,
                message=f"ADD of local {plain[0]!r}: use COPY, which does not unpack or fetch",
            )
