"""
## What it flags
A RUN that runs a command through `sudo`, in shell form, exec form or a heredoc. Installing
the `sudo` package is not flagged by this rule.

## Why it matters
Elevation of privilege. Build steps already run as the Dockerfile's current USER; `sudo`
there means the image ships a sudo setup (often passwordless) that lets any process of the
unprivileged user become root at run time, undoing the USER instruction. Its TTY and
signal handling also make builds behave unpredictably.

## Example
```dockerfile
FROM ubuntu:24.04
RUN useradd -m app
USER app
RUN sudo apt-get update && sudo apt-get install -y curl
```

## Fix
Run the privileged steps as root before switching USER, and do not install sudo.
```dockerfile
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y curl && useradd -m app
USER app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import run_scripts
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

# `sudo` where a command starts: at the start, after a separator, or after then/do/else.
_SUDO = lazy_re.compile(r"(?:^|[;&|(`\n]|\$\(|\b(?:then|do|else|exec|xargs)\s)\s*sudo\b")


@rule(
    code="E109",
    slug="sudo-in-run",
    title="sudo used in a RUN",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.MEDIUM,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.1", "cis-docker-1.2:4.1"),
)
def check(image: Image) -> Iterator[Finding]:
    for _, instruction, script in run_scripts(image):
        if _SUDO.search(script):
            yield Finding(at=instruction.location, message="RUN uses sudo")
