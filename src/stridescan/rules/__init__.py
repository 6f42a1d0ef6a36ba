"""The rule catalogue. Importing this package registers every rule, in this explicit list."""

from stridescan.rules import (
    d001_no_memory_limit,
    d002_no_pids_limit,
    e001_privileged_container,
    e002_runtime_socket_mounted,
    e003_runs_as_root,
    e004_privilege_escalation_allowed,
    s001_net_raw_not_dropped,
    t001_writable_root_filesystem,
)

__all__ = [
    "d001_no_memory_limit",
    "d002_no_pids_limit",
    "e001_privileged_container",
    "e002_runtime_socket_mounted",
    "e003_runs_as_root",
    "e004_privilege_escalation_allowed",
    "s001_net_raw_not_dropped",
    "t001_writable_root_filesystem",
]
