"""Parse image references (`registry/repository:tag@digest`) the way Docker reads them."""

from __future__ import annotations

from stridescan.model import ImageRef


def parse_image_ref(raw: str) -> ImageRef:
    """Split a reference; `resolved` is False when it still holds a `$` variable."""
    text = raw.strip()
    resolved = "$" not in text
    name, _, digest = text.partition("@")
    registry: str | None = None
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, name = first, rest
    tag: str | None = None
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:
        name, tag = name[:colon], name[colon + 1 :]
    return ImageRef(
        raw=raw,
        registry=registry,
        repository=name,
        tag=tag or None,
        digest=digest or None,
        resolved=resolved,
    )
