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
    """`service 'api'`, or `container 'app' of Deployment 'web'`."""
    noun = f"{_ROLE_NOUNS[container.role]} {container.name!r}"
    if container.source_kind is SourceKind.KUBERNETES:
        noun += f" of {container.workload_name!r}"
    return noun
