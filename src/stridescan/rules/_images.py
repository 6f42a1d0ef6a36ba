"""The image references a rule about image pinning looks at, with where each is written.

Dockerfile stages built on an earlier stage and `FROM scratch` pull nothing; a Compose
service with `build:` names the image it builds, not one it pulls; a reference holding a
variable that cannot be resolved is never judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container, Image, ImageRef, Location
from stridescan.rules._describe import container_noun


def from_registry(image: ImageRef, registries: tuple[str, ...]) -> bool:
    """Whether `image` comes from one of `registries`: a host (`ghcr.io`) or a host and path
    prefix (`ghcr.io/acme`); an image without a registry is Docker Hub's, `docker.io`."""
    if not registries:  # the default, asked for each image
        return False
    name = f"{image.registry or 'docker.io'}/{image.repository}".lower()
    return any(name.startswith(entry.strip().strip("/").lower() + "/") for entry in registries)


def pulled_images(target: Image | Container) -> Iterator[tuple[ImageRef, Location, str]]:
    """(reference, where it is written, who uses it) of every image `target` pulls."""
    if isinstance(target, Image):
        for stage in target.stages:
            base = stage.base.value
            if stage.parent_stage is not None or not base.resolved:
                continue
            if base.repository.lower() == "scratch" and base.registry is None:
                continue
            yield base, stage.base.location, f"stage {stage.name or stage.index}"
        return
    image = target.image
    if image.value is None or image.unresolved is not None or not image.value.resolved:
        return
    if target.build is not None:
        return
    yield image.value, image.location, container_noun(target)
