"""
## What it flags
Containers that run as root:
- a Dockerfile whose final stage sets no USER, or a USER of `root` / `0`;
- a Compose service with `user: root` / `0`, or with no `user` when its image is built from a
  Dockerfile in the tree that sets no non-root USER, or is an external image (whose default
  user is root unless the image says otherwise);
- a Kubernetes container with `runAsUser: 0`, `runAsNonRoot: false`, or neither
  `runAsNonRoot: true` nor a non-zero `runAsUser` (pod-level settings count).

A value that cannot be known (an unresolved `${VAR}`) is never flagged.

## Why it matters
Elevation of privilege. Root in a container is root on the host kernel's terms: one kernel or
runtime escape, or one writable host mount, turns it into root on the node.

## Example
```dockerfile
FROM python:3.12-slim
COPY app /app
CMD ["python", "/app/main.py"]
```

## Fix
Create an unprivileged user and switch to it in the final stage; in Kubernetes also set
`runAsNonRoot: true` so the kubelet refuses an image that would run as root.
```dockerfile
FROM python:3.12-slim
RUN useradd --uid 10001 --no-create-home app
COPY app /app
USER 10001
CMD ["python", "/app/main.py"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, Image, Located, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


def is_root_user(user: str) -> bool:
    """`root`, `0`, `root:root`, `0:0`: the user part names uid 0."""
    name = user.strip().split(":", 1)[0]
    return name in ("root", "0")


@rule(
    code="E003",
    slug="runs-as-root",
    title="Container runs as root",
    stride=(Stride.ELEVATION_OF_PRIVILEGE,),
    severity=Severity.HIGH,
    formats=(Format.DOCKERFILE, Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:4.1", "cis-docker-1.2:4.1", "pss-restricted:running-as-non-root"),
)
def check(target: Image | Container) -> Iterator[Finding]:
    if isinstance(target, Image):
        yield from _image(target)
    elif target.source_kind is SourceKind.COMPOSE:
        yield from _compose(target)
    else:
        yield from _kubernetes(target)


def _image(image: Image) -> Iterator[Finding]:
    stage = image.final_stage
    if stage is None or stage.user.unresolved is not None:
        return
    user = stage.user.value
    if user is None:
        yield Finding(at=stage.user.location, message="final stage sets no USER: it runs as root")
    elif is_root_user(user):
        yield Finding(at=stage.user.location, message=f"final stage runs as USER {user}")


def _compose(container: Container) -> Iterator[Finding]:
    noun = container_noun(container)
    if container.user.is_set:
        if container.user.value is not None and is_root_user(container.user.value):
            yield Finding(at=container.user.location, message=f"{noun} runs as user root")
        return
    image = container.built_image
    if image is None or image.final_stage is None:
        yield Finding(
            at=container.location,
            message=f"{noun} sets no user, so it runs as its image's default user: root unless set",
        )
        return
    image_user: Located[str | None] = image.final_stage.user
    if image_user.unresolved is not None:
        return
    if image_user.value is None or is_root_user(image_user.value):
        yield Finding(
            at=container.location,
            message=f"{noun} sets no user and its image {image.path} runs as root",
        )


def _kubernetes(container: Container) -> Iterator[Finding]:
    noun = container_noun(container)
    uid, non_root = container.run_as_user, container.run_as_non_root
    if uid.unresolved is not None or non_root.unresolved is not None:
        return
    if uid.value == 0:
        yield Finding(at=uid.location, message=f"{noun} sets runAsUser: 0")
    elif non_root.value is False and uid.value is None:
        yield Finding(at=non_root.location, message=f"{noun} sets runAsNonRoot: false")
    elif non_root.value is None and uid.value is None:
        yield Finding(
            at=container.location,
            message=f"{noun} sets neither runAsNonRoot: true nor a non-zero runAsUser",
        )
