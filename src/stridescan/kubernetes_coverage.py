"""Which Pod Security Standards controls, NSA/CISA guidance and CIS Kubernetes Benchmark
items the rules check, for the docs' coverage tables.

A Kubernetes user comes with a policy to meet ("PSS restricted", a CIS report) and wants to
know what a clean scan proves. Items that cannot be decided from the files in a repository
(host file permissions, live cluster state) say why, and items that could be but are not yet
say so, so a gap is visible rather than silent. Rules appear through their `references`;
`extra` names rules that check an item without citing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stridescan._frozen import dataclass
from stridescan.rules._registry import Rule

_HOST = "host state (file owners and permissions, kernel, versions), not written in manifests"
_MANUAL = "a manual review item: the right value depends on the organisation"
_VERSIONS = "versions and vulnerabilities of what runs, not settings in files"
_NOT_YET = None  # decidable from files, no rule yet


@dataclass(frozen=True, slots=True)
class Control:
    reference: str  # as rules cite it: `pss-baseline:host-ports`
    title: str
    not_checkable: str | None = None
    extra: tuple[str, ...] = ()  # codes of rules that check it without citing it


PSS: tuple[Control, ...] = (
    Control("pss-baseline:hostprocess", "HostProcess"),
    Control("pss-baseline:host-namespaces", "Host Namespaces"),
    Control("pss-baseline:privileged", "Privileged Containers"),
    Control("pss-baseline:capabilities", "Capabilities"),
    Control("pss-baseline:hostpath-volumes", "HostPath Volumes"),
    Control("pss-baseline:host-ports", "Host Ports"),
    Control("pss-baseline:apparmor", "AppArmor"),
    Control("pss-baseline:selinux", "SELinux"),
    Control("pss-baseline:proc-mount-type", "/proc Mount Type"),
    Control("pss-baseline:seccomp", "Seccomp"),
    Control("pss-baseline:sysctls", "Sysctls"),
    Control("pss-restricted:volume-types", "Volume Types", extra=("E201",)),
    Control("pss-restricted:privilege-escalation", "Privilege Escalation"),
    Control("pss-restricted:running-as-non-root", "Running as Non-root"),
    Control("pss-restricted:running-as-non-root-user", "Running as Non-root user", extra=("E003",)),
    Control("pss-restricted:seccomp", "Seccomp", extra=("E106",)),
    Control("pss-restricted:capabilities", "Capabilities", extra=("E102", "E103")),
)

NSA: tuple[Control, ...] = (
    Control(
        "nsa-k8s:pod-security",
        "Pod security: non-root, unprivileged, least capabilities",
        extra=("E001", "E003", "E004", "E101", "S001"),
    ),
    Control("nsa-k8s:immutable-filesystems", "Immutable container filesystems"),
    Control("nsa-k8s:service-accounts", "Service account tokens and dedicated accounts"),
    Control("nsa-k8s:network-separation", "Network separation: no ports on the node"),
    Control("nsa-k8s:network-policies", "Network separation: NetworkPolicies"),
    Control("nsa-k8s:resource-policies", "Resource requests, limits and health"),
    Control(
        "nsa-k8s:control-plane", "Control plane hardening", extra=("S204", "I206", "I208", "E218")
    ),
    Control("nsa-k8s:authentication", "Authentication: no anonymous access"),
    Control("nsa-k8s:authorization", "Authorization modes and admission"),
    Control("nsa-k8s:rbac", "Role-based access control: least privilege"),
    Control("nsa-k8s:secrets", "Secrets: encrypted at rest, not in plain values"),
    Control("nsa-k8s:audit-logging", "Audit logging"),
    Control("nsa-k8s:upgrades", "Upgrading and application security practices", _VERSIONS),
)

CIS: tuple[Control, ...] = (
    Control("cis-k8s:1.1", "Control plane node configuration files (1.1.x)", _HOST),
    Control("cis-k8s:1.2.1", "API server: --anonymous-auth=false"),
    Control("cis-k8s:1.2.2", "API server: --token-auth-file not set", _NOT_YET),
    Control("cis-k8s:1.2.6", "API server: --authorization-mode not AlwaysAllow"),
    Control("cis-k8s:1.2.7", "API server: --authorization-mode includes Node"),
    Control("cis-k8s:1.2.8", "API server: --authorization-mode includes RBAC"),
    Control("cis-k8s:1.2.10", "API server: AlwaysAdmit admission plugin not set", _NOT_YET),
    Control("cis-k8s:1.2.15", "API server: NodeRestriction admission plugin"),
    Control("cis-k8s:1.2.16", "API server: --profiling=false"),
    Control("cis-k8s:1.2.17", "API server: --audit-log-path set"),
    Control("cis-k8s:1.2.28", "API server: --encryption-provider-config set"),
    Control("cis-k8s:1.3.2", "Controller manager: --profiling=false"),
    Control("cis-k8s:1.3.3", "Controller manager: --use-service-account-credentials=true"),
    Control("cis-k8s:1.3.7", "Controller manager: --bind-address=127.0.0.1"),
    Control("cis-k8s:1.4.1", "Scheduler: --profiling=false"),
    Control("cis-k8s:1.4.2", "Scheduler: --bind-address=127.0.0.1"),
    Control("cis-k8s:2.2", "etcd: --client-cert-auth=true"),
    Control("cis-k8s:2.3", "etcd: --auto-tls not true"),
    Control("cis-k8s:2.5", "etcd: --peer-client-cert-auth=true"),
    Control("cis-k8s:2.6", "etcd: --peer-auto-tls not true"),
    Control("cis-k8s:3.1.1", "Client certificate authentication not used for users", _MANUAL),
    Control("cis-k8s:3.2.1", "A minimal audit policy is created"),
    Control("cis-k8s:4.1", "Worker node configuration files (4.1.x)", _HOST),
    Control("cis-k8s:4.2.1", "Kubelet: anonymous authentication off"),
    Control("cis-k8s:4.2.2", "Kubelet: authorization mode not AlwaysAllow"),
    Control("cis-k8s:4.2.4", "Kubelet: read-only port 0"),
    Control("cis-k8s:4.2.5", "Kubelet: streaming connection idle timeout not 0"),
    Control("cis-k8s:4.2.6", "Kubelet: makeIPTablesUtilChains true"),
    Control("cis-k8s:4.2.10", "Kubelet: rotateCertificates not false"),
    Control("cis-k8s:5.1.1", "cluster-admin used only where required"),
    Control("cis-k8s:5.1.2", "Access to secrets minimised"),
    Control("cis-k8s:5.1.3", "Wildcards in Roles minimised"),
    Control("cis-k8s:5.1.4", "Access to create pods minimised"),
    Control("cis-k8s:5.1.5", "Default service accounts not actively used"),
    Control("cis-k8s:5.1.6", "Service account tokens mounted only where necessary"),
    Control("cis-k8s:5.1.8", "bind, impersonate and escalate limited"),
    Control("cis-k8s:5.1.10", "Access to the proxy sub-resource of nodes minimised"),
    Control("cis-k8s:5.2.2", "Privileged containers", extra=("E001",)),
    Control("cis-k8s:5.2.3", "Host PID namespace", extra=("E101",)),
    Control("cis-k8s:5.2.4", "Host IPC namespace", extra=("E101",)),
    Control("cis-k8s:5.2.5", "Host network namespace", extra=("E101",)),
    Control("cis-k8s:5.2.6", "allowPrivilegeEscalation", extra=("E004",)),
    Control("cis-k8s:5.2.7", "Root containers", extra=("E003",)),
    Control("cis-k8s:5.2.8", "NET_RAW capability", extra=("S001",)),
    Control("cis-k8s:5.2.9", "Added capabilities", extra=("E102", "E103")),
    Control("cis-k8s:5.2.10", "Capabilities assigned"),
    Control("cis-k8s:5.2.11", "Windows HostProcess containers"),
    Control("cis-k8s:5.2.12", "HostPath volumes", extra=("E002", "E104")),
    Control("cis-k8s:5.2.13", "HostPorts"),
    Control("cis-k8s:5.3.2", "Every namespace has NetworkPolicies"),
    Control("cis-k8s:5.4.1", "Secrets as files rather than environment variables"),
    Control("cis-k8s:5.7.2", "Seccomp profile set in pod definitions"),
    Control("cis-k8s:5.7.4", "The default namespace is not used"),
)  # fmt: skip


_PSS_INTRO = (
    "Every control of the baseline and restricted profiles, with the rules that enforce it.\n"
    "`--select pss-baseline` runs the baseline rows' rules; `--select pss-restricted` runs all."
)
_NSA_INTRO = "The recommendations of the NSA/CISA Kubernetes Hardening Guide that files show."
_CIS_INTRO = (
    "The items of the CIS Kubernetes Benchmark (numbered as in v1.8.0) that files can show,\n"
    "and why the others cannot be checked from a repository."
)


def rules_for(control: Control, rules: Sequence[Rule]) -> list[Rule]:
    """The rules that cite `control` or are listed as checking it, in catalogue order."""
    return [
        rule for rule in rules if control.reference in rule.references or rule.code in control.extra
    ]


def coverage_markdown(rules: Sequence[Rule], anchor: Callable[[Rule], str]) -> str:
    """The docs sections mapping PSS, NSA/CISA and CIS Kubernetes items to rules."""
    sections = (
        ("Pod Security Standards coverage", "level", PSS, _PSS_INTRO),
        ("NSA/CISA Kubernetes Hardening Guide coverage", "topic", NSA, _NSA_INTRO),
        ("CIS Kubernetes Benchmark coverage", "item", CIS, _CIS_INTRO),
    )
    lines: list[str] = []
    for heading, kind, controls, intro in sections:
        lines += [f"## {heading}", "", intro, "", f"| {kind} | control | rules |", "|---|---|---|"]
        for control in controls:
            found = rules_for(control, rules)
            if found:
                cell = ", ".join(f"[{rule.code}](#{anchor(rule)})" for rule in found)
            elif control.not_checkable is None:
                cell = "not covered yet"
            else:
                cell = f"not checkable: {control.not_checkable}"
            standard, _, item = control.reference.partition(":")
            first = standard.removeprefix("pss-") if standard.startswith("pss-") else item
            lines.append(f"| {first} | {control.title} | {cell} |")
        lines.append("")
    return "\n".join(lines)
