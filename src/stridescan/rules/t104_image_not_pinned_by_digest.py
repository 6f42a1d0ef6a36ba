"""
## What it flags
An image pulled by a version tag without a digest (`postgres:17.2` rather than
`postgres:17.2@sha256:...`), in a Dockerfile `FROM`, a Compose `image:` (not for services
with `build:`) or a Kubernetes container's `image`. Images without a tag or with `latest`
are T103's. Images from a registry listed in the `trusted-registries` option (one whose
tags your team makes immutable) are not flagged.

## Why it matters
Tampering. A tag is a pointer the registry owner (or whoever steals their credentials) can
move: the same tag can serve different content tomorrow. A digest names the exact content,
so a pull can only ever return what was reviewed.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: redis
      image: redis:7.4.1
```

## Fix
Add the digest of the reviewed image; a bot such as Renovate keeps tag and digest current.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  containers:
    - name: redis
      image: redis:7.4.1@sha256:af1d0fc3f63b02b13ff7906c9baf7c5b390b8881ca08119cd570677fe2f60b55
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, Image
from stridescan.rules._images import from_registry, pulled_images
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import TrustedRegistryOptions
from stridescan.rules._registry import Finding, rule


@rule(
    code="T104",
    slug="image-not-pinned-by-digest",
    title="Image tag not pinned by digest",
    stride=(Stride.TAMPERING,),
    severity=Severity.LOW,
    formats=(Format.DOCKERFILE, Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:4.2", "cis-docker-1.2:4.2"),
    options=TrustedRegistryOptions,
)
def check(target: Image | Container, options: TrustedRegistryOptions) -> Iterator[Finding]:
    for image, location, user in pulled_images(target):
        if from_registry(image, options.trusted_registries):
            continue
        if image.digest is None and image.tag is not None and image.tag.lower() != "latest":
            yield Finding(
                at=location, message=f"{user} uses image {image.raw!r} by tag, without a digest"
            )
