"""Control-plane static pods: which component a container runs, and its flags.

kubeadm and most installers keep kube-apiserver, etcd, kube-controller-manager and
kube-scheduler as static pod manifests whose `command` is the binary and its flags. Flags
come as `--flag=value` or `--flag value`, in `command` and `args` alike; a bare `--flag` is
true. A container whose command is empty is recognised by its image's name, with its flags
in `args`.
"""

from __future__ import annotations

import posixpath

from stridescan._frozen import dataclass
from stridescan.model import Container, Located, Workload

APISERVER = "kube-apiserver"
ETCD = "etcd"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"
COMPONENTS = (APISERVER, ETCD, CONTROLLER_MANAGER, SCHEDULER)


@dataclass(frozen=True, slots=True)
class Flags:
    """One component's flags; absent ones are reported at `where` (its binary or image)."""

    component: str
    where: Located[str]
    values: dict[str, Located[str]]

    def get(self, name: str) -> Located[str] | None:
        return self.values.get(name)

    def value(self, name: str) -> str | None:
        found = self.values.get(name)
        return found.value.strip() if found is not None else None

    def at(self, name: str) -> Located[str]:
        """Where a finding about `name` goes: the flag, or the component when it is absent."""
        return self.values.get(name, self.where)

    def is_false(self, name: str) -> bool:
        return (self.value(name) or "").lower() == "false"

    def is_true(self, name: str) -> bool:
        return (self.value(name) or "").lower() == "true"

    def listed(self, name: str) -> list[str]:
        """A comma-separated flag's items (`--authorization-mode=Node,RBAC`)."""
        text = self.value(name) or ""
        return [item.strip() for item in text.split(",") if item.strip()]


def control_plane_flags(container: Container) -> Flags | None:
    """The component `container` runs and its flags, or None for any other container.

    A dozen rules ask this of every Kubernetes container, one after another (the engine runs
    every rule over one object before the next), so the last answer is kept for the next ask.
    """
    global _last
    last, flags = _last
    if last is not container:
        flags = _flags_of(container)
        _last = (container, flags)
    return flags


# The last container asked about (held, so no later object can share its identity) and its
# answer.
_last: tuple[Container | None, Flags | None] = (None, None)


def _flags_of(container: Container) -> Flags | None:
    words = (*container.command, *container.args)
    if container.command:
        binary = container.command[0]
        component = posixpath.basename(binary.value.strip())
        if component == "hyperkube" and len(words) > 1:
            binary, component = words[1], words[1].value.strip()
        flags_from = words[words.index(binary) + 1 :]
    else:
        image = container.image.value
        if image is None:
            return None
        component = posixpath.basename(image.repository)
        binary = Located(component, container.image.location)
        flags_from = container.args
    if component not in COMPONENTS:
        return None
    return Flags(component=component, where=binary, values=_parse(flags_from))


def is_static_control_plane_pod(workload: Workload) -> bool:
    """A control-plane static pod: the kubelet runs it without any service account."""
    return workload.kind == "Pod" and any(
        control_plane_flags(container) is not None for container in workload.containers
    )


def _parse(words: tuple[Located[str], ...]) -> dict[str, Located[str]]:
    values: dict[str, Located[str]] = {}
    for index, word in enumerate(words):
        text = word.value.strip()
        if not text.startswith("--"):
            continue
        name, equals, value = text[2:].partition("=")
        if not equals:
            following = words[index + 1].value.strip() if index + 1 < len(words) else "--"
            value = "true" if following.startswith("-") else following
        values[name] = Located(value, word.location)
    return values
