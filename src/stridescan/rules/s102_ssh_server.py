"""
## What it flags
An SSH server in a container: a Dockerfile whose final stage (or a stage it is built on)
installs `openssh-server` (Alpine's `openssh`) or `dropbear` or exposes port 22, and a
Compose service that publishes container port 22.

## Why it matters
Spoofing. An SSH daemon is a second way in, with its own keys, passwords and patches to
manage outside the container's lifecycle: a guessed or leaked credential logs an attacker
in as a user of the container, bypassing the runtime's access control and audit
(`docker exec` and `kubectl exec` are logged; SSH logins are not, Repudiation).

## Example
```dockerfile
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y openssh-server
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]
```

## Fix
Remove the SSH server; use `docker exec` or `kubectl exec` (or a debug container) to get a
shell.
```dockerfile
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
CMD ["/usr/local/bin/app"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Container, Image, SourceKind
from stridescan.rules._describe import container_noun
from stridescan.rules._dockerfile import final_chain, script_of
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_INSTALL_SSHD = lazy_re.compile(
    r"\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\b[^;&|\n]*\b(?:install|add)\b"
    r"[^;&|\n]*\b(?:openssh-server|openssh(?![\w-])|dropbear)\b"
)


@rule(
    code="S102",
    slug="ssh-server",
    title="SSH server in a container",
    stride=(Stride.SPOOFING, Stride.REPUDIATION),
    severity=Severity.MEDIUM,
    formats=(Format.DOCKERFILE, Format.COMPOSE),
    references=("cis-docker-1.6:5.7", "cis-docker-1.2:5.6"),
)
def check(target: Image | Container) -> Iterator[Finding]:
    if isinstance(target, Container):
        if target.source_kind is SourceKind.COMPOSE:
            for port in target.ports:
                if (port.container_port.value or "").strip() == "22":
                    yield Finding(
                        at=port.location,
                        message=f"{container_noun(target)} publishes SSH port 22",
                    )
        return
    for stage in final_chain(target):
        for instruction in stage.instructions:
            if instruction.keyword == "RUN" and _INSTALL_SSHD.search(script_of(instruction)):
                yield Finding(at=instruction.location, message="RUN installs an SSH server")
        for exposed in stage.exposed_ports:
            if exposed.value.split("/", 1)[0] == "22":
                yield Finding(at=exposed.location, message="EXPOSE 22 offers an SSH server")
