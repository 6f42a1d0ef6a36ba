"""
## What it flags
An image pulled by a moving name: no tag at all, or the `latest` tag, without a digest, in a
Dockerfile `FROM` (ARG defaults resolved; `FROM scratch` and earlier stages are not pulls),
a Compose `image:` (not for services with `build:`, where it names the result) or a
Kubernetes container's `image`. A tag without a digest is T104's, at lower severity.

Kubernetes' `imagePullPolicy` is taken into account in the message: such an image is
pulled again at every container start (the default policy for it is `Always`), and with
`IfNotPresent` or `Never` each node keeps whatever it pulled first, so replicas of one
Deployment may run different code. Neither makes the reference safe; a digest does.

## Why it matters
Tampering. `latest` is whatever the registry serves today: builds stop being reproducible, a
compromised or careless upstream push reaches production at the next pull, and a rollback
does not roll back the image. Nobody can say which code is running (Repudiation).

## Example
```dockerfile
FROM node:latest
USER node
HEALTHCHECK CMD ["node", "healthcheck.js"]
```

## Fix
Name an exact version, and better its digest too.
```dockerfile
FROM node:22.11.0@sha256:4b44c32c9f3118d60977d0dde5f758f63c4f9eac8ddbc7c1fdd6c3bd3ec2f0a4
USER node
HEALTHCHECK CMD ["node", "healthcheck.js"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, Image
from stridescan.rules._images import pulled_images
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="T103",
    slug="image-unpinned",
    title="Image without a version tag, or with latest",
    stride=(Stride.TAMPERING, Stride.REPUDIATION),
    severity=Severity.MEDIUM,
    formats=(Format.DOCKERFILE, Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:4.2", "cis-docker-1.2:4.2"),
)
def check(target: Image | Container) -> Iterator[Finding]:
    for image, location, user in pulled_images(target):
        if image.digest is not None:
            continue
        if image.tag is None:
            what = "without a tag"
        elif image.tag.lower() == "latest":
            what = "with the latest tag"
        else:
            continue
        yield Finding(
            at=location,
            message=f"{user} uses image {image.raw!r} {what}{_pull_policy_note(target)}",
        )


def _pull_policy_note(target: Image | Container) -> str:
    """Kubernetes pulls `latest` on every start unless told otherwise; with IfNotPresent or
    Never each node keeps whatever it pulled first, so replicas may run different images."""
    if isinstance(target, Image) or target.image_pull_policy is None:
        return ""
    policy = target.image_pull_policy.value
    if policy in ("IfNotPresent", "Never"):
        return f"; with imagePullPolicy {policy} nodes may each run a different image"
    return ""
