"""
## What it flags
- a Dockerfile whose final stage has no `HEALTHCHECK` (its own or one inherited from an
  earlier stage it is built on), or disables it with `HEALTHCHECK NONE`;
- a Compose service that disables the health check (`healthcheck: {disable: true}` or
  `test: ["NONE"]`), or sets none while the Dockerfile in the tree it is built from sets
  none either. Services of external images are not judged: their image may have one.

## Why it matters
Denial of service. Without a health check the runtime only knows whether the process
exists: a hung or deadlocked service keeps receiving traffic, is never restarted, and
`depends_on: condition: service_healthy` cannot wait for it.

## Example
```dockerfile
FROM python:3.12.7-slim
USER 10001
CMD ["python", "-m", "http.server", "8000"]
```

## Fix
Add a HEALTHCHECK that exercises the service, in the final stage.
```dockerfile
FROM python:3.12.7-slim
USER 10001
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000')"]
CMD ["python", "-m", "http.server", "8000"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, Image, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


def _disabled(text: str) -> bool:
    return text.strip().upper() == "NONE"


@rule(
    code="D102",
    slug="no-healthcheck",
    title="No health check",
    stride=(Stride.DENIAL_OF_SERVICE,),
    severity=Severity.LOW,
    formats=(Format.DOCKERFILE, Format.COMPOSE),
    references=(
        "cis-docker-1.6:4.6",
        "cis-docker-1.2:4.6",
        "cis-docker-1.6:5.27",
        "cis-docker-1.2:5.26",
    ),
)
def check(target: Image | Container) -> Iterator[Finding]:
    if isinstance(target, Image):
        stage = target.final_stage
        if stage is None or stage.healthcheck.unresolved is not None:
            return
        if stage.healthcheck.value is None:
            yield Finding(at=stage.healthcheck.location, message="final stage has no HEALTHCHECK")
        elif _disabled(stage.healthcheck.value):
            yield Finding(at=stage.healthcheck.location, message="HEALTHCHECK NONE disables it")
        return
    if target.source_kind is not SourceKind.COMPOSE or target.healthcheck is None:
        return
    noun = container_noun(target)
    health = target.healthcheck
    if health.value is not None:
        if _disabled(health.value):
            yield Finding(at=health.location, message=f"{noun} disables its health check")
        return
    image = target.built_image
    if health.unresolved is not None or image is None or image.final_stage is None:
        return
    inherited = image.final_stage.healthcheck
    if inherited.unresolved is None and (inherited.value is None or _disabled(inherited.value)):
        yield Finding(
            at=target.location,
            message=f"{noun} sets no healthcheck and its image {image.path} has none",
        )
