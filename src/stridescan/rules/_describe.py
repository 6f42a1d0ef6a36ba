"""How rule messages name the objects they talk about."""

from __future__ import annotations

from stridescan.model import Container, ContainerRole, SourceKind

_ROLE_NOUNS = {
    ContainerRole.CONTAINER: "container",
    ContainerRole.INIT: "init container",
    ContainerRole.EPHEMERAL: "ephemeral container",
    ContainerRole.SERVICE: "service",
}


def container_noun(container: Container) -> str:
    """`service 'api'`, or `container 'app' of Deployment 'web'`.

    Most container rules name the container, one after another over the same one (the engine
    runs every rule over one object before the next), so the last answer is kept.
    """
    global _last
    last, noun = _last
    if last is not container:
        noun = f"{_ROLE_NOUNS[container.role]} {container.name!r}"
        if container.source_kind is SourceKind.KUBERNETES:
            noun += f" of {container.workload_name!r}"
        _last = (container, noun)
    return noun


# The last container named (held, so no later object can share its identity) and its noun.
_last: tuple[Container | None, str] = (None, "")
