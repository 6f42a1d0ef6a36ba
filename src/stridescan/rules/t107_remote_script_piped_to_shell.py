"""
## What it flags
A RUN that executes a script straight from the network: `curl ... | sh`,
`wget -O- ... | sudo bash`, `sh -c "$(curl -fsSL ...)"`, `bash <(curl ...)`, and the same
into `python` or `perl`, in shell form, exec form or a heredoc.

## Why it matters
Tampering. The script is run unread and unpinned: whoever controls the server, its CDN or
DNS at build time decides what runs as root in the build, and a truncated download runs
half a script. Nothing records which script was run (Repudiation).

## Example
```dockerfile
FROM debian:12.8-slim
RUN curl -fsSL https://get.example.com/install.sh | sh
```

## Fix
Download to a file, verify its checksum or signature, then run it; better, install a
pinned package.
```dockerfile
FROM debian:12.8-slim
RUN curl -fsSLo /tmp/install.sh https://get.example.com/v1.4.2/install.sh \
    && echo "4f6d1c2e8a0b9d7f3e5c1a2b4d6f8e0a1c3e5f7a9b2d4f6e8a0c2e4f6a8b0d2c  /tmp/install.sh" \
       | sha256sum -c - \
    && sh /tmp/install.sh && rm /tmp/install.sh
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import run_scripts
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_FETCH = r"\b(?:curl|wget)\b"
_INTERPRETER = r"(?:/usr)?(?:/local)?(?:/bin/)?(?:ba|da|z|k|a)?sh\b|\bpython[0-9.]*\b|\bperl\b"
_PIPED = lazy_re.compile(
    _FETCH
    + r"[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:"
    + _INTERPRETER
    + ")"
)
_SUBSTITUTED = lazy_re.compile(r"\b(?:ba|da|z|k)?sh\s+(?:-\S+\s+)*[\"']?(?:\$\(|<\(|`)\s*" + _FETCH)


@rule(
    code="T107",
    slug="remote-script-piped-to-shell",
    title="Remote script piped to a shell",
    stride=(Stride.TAMPERING, Stride.REPUDIATION),
    severity=Severity.HIGH,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.11", "cis-docker-1.2:4.11"),
)
def check(image: Image) -> Iterator[Finding]:
    for _, instruction, script in run_scripts(image):
        match = _PIPED.search(script) or _SUBSTITUTED.search(script)
        if match:
            shown = " ".join(match.group().split())
            yield Finding(
                at=instruction.location,
                message=f"RUN executes a downloaded script unverified: {shown[:60]!r}",
            )
