"""The CIS Docker Benchmark items, and which rules check each, for the docs' coverage table.

Users arrive with a docker-bench-security report (v1.6.0 or the v1.2.0 numbering) and want
to know which failed item a rule catches before deployment. Items about the host, the
daemon's file permissions or what happens at run time cannot be decided from the files in a
repository; the table says why for each, so a gap is a decision, not an oversight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stridescan._frozen import dataclass
from stridescan.rules._registry import Rule

_HOST = "host state: audited on the machine, not written in any scanned file"
_RUNTIME = "a command run at run time, not a setting in a file"
_MANUAL = "a manual review item: the right value depends on the workload"
_PLANNED = "planned"  # decidable from files, no rule yet


@dataclass(frozen=True, slots=True)
class CisItem:
    v16: str
    v12: str | None  # None: the item is new in v1.6.0
    title: str
    not_checkable: str | None = None  # why no rule can decide it from files


ITEMS: tuple[CisItem, ...] = (
    CisItem("2.1", None, "Run the Docker daemon as a non-root user, if possible", _HOST),
    CisItem("2.2", "2.1", "Restrict network traffic between containers on the default bridge"),
    CisItem("2.3", "2.2", "Set the logging level to 'info'"),
    CisItem("2.4", "2.3", "Allow Docker to make changes to iptables"),
    CisItem("2.5", "2.4", "Do not use insecure registries"),
    CisItem("2.6", "2.5", "Do not use the aufs storage driver"),
    CisItem("2.7", "2.6", "Configure TLS authentication for the Docker daemon"),
    CisItem("2.8", "2.7", "Configure the default ulimit appropriately", _MANUAL),
    CisItem("2.9", "2.8", "Enable user namespace support"),
    CisItem("2.10", "2.9", "Confirm the default cgroup usage", _MANUAL),
    CisItem("2.11", "2.10", "Do not change the base device size until needed", _MANUAL),
    CisItem("2.12", "2.11", "Enable authorization for Docker client commands"),
    CisItem("2.13", "2.12", "Configure centralized and remote logging"),
    CisItem("2.14", "2.17", "Restrict containers from acquiring new privileges"),
    CisItem("2.15", "2.13", "Enable live restore"),
    CisItem("2.16", "2.14", "Disable the userland proxy"),
    CisItem("2.17", "2.15", "Apply a daemon-wide custom seccomp profile if appropriate"),
    CisItem("2.18", "2.16", "Do not use experimental features in production"),
    CisItem("4.1", "4.1", "Create a user for the container"),
    CisItem("4.2", "4.2", "Use only trusted base images"),
    CisItem("4.3", "4.3", "Do not install unnecessary packages", _MANUAL),
    CisItem("4.4", "4.4", "Scan and rebuild images to include security patches",
            "needs a vulnerability database and the built image, not its Dockerfile"),
    CisItem("4.5", "4.5", "Enable content trust for Docker",
            "DOCKER_CONTENT_TRUST is set in the environment of whoever pulls"),
    CisItem("4.6", "4.6", "Add HEALTHCHECK instructions to the container image"),
    CisItem("4.7", "4.7", "Do not use update instructions alone in a Dockerfile"),
    CisItem("4.8", "4.8", "Remove setuid and setgid permissions"),
    CisItem("4.9", "4.9", "Use COPY instead of ADD in Dockerfiles"),
    CisItem("4.10", "4.10", "Do not store secrets in Dockerfiles"),
    CisItem("4.11", "4.11", "Install verified packages only"),
    CisItem("4.12", None, "Validate all signed artifacts",
            "signatures are verified by the registry client at pull time"),
    CisItem("5.1", None, "Do not enable swarm mode, if not needed", _HOST),
    CisItem("5.2", "5.1", "Enable an AppArmor profile, if applicable"),
    CisItem("5.3", "5.2", "Set SELinux security options, if applicable"),
    CisItem("5.4", "5.3", "Restrict Linux kernel capabilities within containers"),
    CisItem("5.5", "5.4", "Do not use privileged containers"),
    CisItem("5.6", "5.5", "Do not mount sensitive host system directories on containers"),
    CisItem("5.7", "5.6", "Do not run sshd within containers"),
    CisItem("5.8", "5.7", "Do not map privileged ports within containers"),
    CisItem("5.9", "5.8", "Open only needed ports on the container", _MANUAL),
    CisItem("5.10", "5.9", "Do not share the host's network namespace"),
    CisItem("5.11", "5.10", "Limit memory usage for containers"),
    CisItem("5.12", "5.11", "Set container CPU priority appropriately"),
    CisItem("5.13", "5.12", "Mount the container's root filesystem as read only"),
    CisItem("5.14", "5.13", "Bind incoming container traffic to a specific host interface"),
    CisItem("5.15", "5.14", "Set the 'on-failure' container restart policy to 5"),
    CisItem("5.16", "5.15", "Do not share the host's process namespace"),
    CisItem("5.17", "5.16", "Do not share the host's IPC namespace"),
    CisItem("5.18", "5.17", "Do not expose host devices directly to containers"),
    CisItem("5.19", "5.18", "Override the default ulimit at run time only if needed", _MANUAL),
    CisItem("5.20", "5.19", "Do not set mount propagation mode to shared"),
    CisItem("5.21", "5.20", "Do not share the host's UTS namespace"),
    CisItem("5.22", "5.21", "Do not disable the default seccomp profile"),
    CisItem("5.23", "5.22", "Do not use docker exec with the privileged option", _RUNTIME),
    CisItem("5.24", "5.23", "Do not use docker exec with the user=root option", _RUNTIME),
    CisItem("5.25", "5.24", "Confirm cgroup usage"),
    CisItem("5.26", "5.25", "Restrict the container from acquiring additional privileges"),
    CisItem("5.27", "5.26", "Check container health at run time"),
    CisItem("5.28", "5.27", "Make Docker commands always use the latest version of images",
            _RUNTIME),
    CisItem("5.29", "5.28", "Use the PIDs cgroup limit"),
    CisItem("5.30", "5.29", "Do not use Docker's default bridge docker0"),
    CisItem("5.31", "5.30", "Do not share the host's user namespaces"),
    CisItem("5.32", "5.31", "Do not mount the Docker socket inside any containers"),
)  # fmt: skip

_WHOLE_SECTIONS = (
    ("1", "Host configuration (audit rules, partitions, Docker version)", _HOST),
    ("3", "Docker daemon configuration files (owners and permissions)", _HOST),
    ("6", "Docker security operations (image and container sprawl)", _HOST),
    ("7", "Docker Swarm configuration", "Swarm state lives in the cluster, not in files"),
)


def rules_for(item: CisItem, rules: Sequence[Rule]) -> list[Rule]:
    """The rules that cite `item` in its v1.6.0 numbering."""
    return [rule for rule in rules if f"cis-docker-1.6:{item.v16}" in rule.references]


def coverage_markdown(rules: Sequence[Rule], anchor: Callable[[Rule], str]) -> str:
    """The docs section mapping every CIS Docker Benchmark item to rules, or saying why not."""
    lines = [
        "## CIS Docker Benchmark coverage",
        "",
        "Each item of the CIS Docker Benchmark v1.6.0 (with its v1.2.0 number, which",
        "docker-bench-security reports still use) and the rules that catch it in files.",
        "",
        "| v1.6.0 | v1.2.0 | item | rules |",
        "|---|---|---|---|",
    ]
    for section, title, reason in _WHOLE_SECTIONS:
        lines.append(f"| {section}.x | {section}.x | {title} | not checkable: {reason} |")
    for item in ITEMS:
        found = rules_for(item, rules)
        if found:
            cell = ", ".join(f"[{rule.code}](#{anchor(rule)})" for rule in found)
        elif item.not_checkable in (None, _PLANNED):
            cell = "not covered yet"
        else:
            cell = f"not checkable: {item.not_checkable}"
        lines.append(f"| {item.v16} | {item.v12 or '-'} | {item.title} | {cell} |")
    return "\n".join(lines) + "\n"
