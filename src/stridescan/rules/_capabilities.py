"""Capability sets shared by the capability rules."""

from __future__ import annotations

# Docker's and containerd's default set, which is also the PSS baseline's allowed list.
DEFAULT_CAPABILITIES = frozenset(
    (
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
        "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    )
)  # fmt: skip
# Each of these is a known path from a container to the host kernel or its other processes.
DANGEROUS_CAPABILITIES = frozenset(
    (
        "ALL", "BPF", "DAC_READ_SEARCH", "MAC_ADMIN", "MAC_OVERRIDE", "NET_ADMIN", "PERFMON",
        "SYS_ADMIN", "SYS_BOOT", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "SYSLOG",
    )
)  # fmt: skip
