"""Which host paths are sensitive to mount into a container, shared by the rules that judge mounts.

E104 flags a mount of one of these; E002 owns the runtime sockets and the directories that
hold them (`runtime_socket`), so they are never called sensitive here. Other rules about
host paths (the Kubernetes hostPath rule, writable host mounts) skip what
`sensitive_host_path` names, so one mount is reported once, by the most specific rule.
"""

from __future__ import annotations

import posixpath
import re

_SOCKETS = (
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "podman.sock",
    "cri-dockerd.sock",
    "dockershim.sock",
)
_SOCKET_PATH = re.compile(
    r"^(/var)?/run(/user/\d+)?(/(docker|containerd|crio|podman))?/("
    + "|".join(re.escape(name) for name in _SOCKETS)
    + r")$"
)
_SOCKET_DIRECTORY = re.compile(r"^(/var)?/run(/user/\d+)?(/(docker|containerd|crio|podman))?$")


def runtime_socket(host_path: str) -> str | None:
    """The runtime socket a host path exposes (the file or its directory), if any."""
    path = posixpath.normpath(host_path.strip())
    if _SOCKET_PATH.match(path) or (posixpath.basename(path) in _SOCKETS and path.startswith("/")):
        return path
    if _SOCKET_DIRECTORY.match(path):
        return path
    return None


# CIS Docker Benchmark 5.6 lists /, /boot, /dev, /etc, /lib, /proc, /sys and /usr; the rest
# hold the host's credentials, binaries or the state of its container runtime and kubelet.
SENSITIVE_DIRECTORIES = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var/lib/containerd",
    "/var/lib/docker",
    "/var/lib/kubelet",
    "/var/run",
)
# Read-only mounts of these give a container the host's clock zone and nothing else.
_HARMLESS_READ_ONLY = ("/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo")


def sensitive_host_path(host_path: str, *, read_only: bool | None = None) -> str | None:
    """The sensitive directory `host_path` is (or lies under), or None.

    None as well for runtime sockets (E002 reports those) and for the read-only time-zone
    files every other stack mounts.
    """
    text = host_path.strip()
    if not text.startswith("/") or "$" in text:
        return None
    path = posixpath.normpath(text)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if runtime_socket(path) is not None:
        return None
    if read_only is True and _under(path, _HARMLESS_READ_ONLY):
        return None
    if path == "/":
        return "/"
    for directory in SENSITIVE_DIRECTORIES:
        if _under(path, (directory,)):
            return directory
    return None


def _under(path: str, directories: tuple[str, ...]) -> bool:
    return any(path == directory or path.startswith(directory + "/") for directory in directories)
