"""Who gets a service-account token, shared by the rules about service accounts."""

from __future__ import annotations

from stridescan.model import Workload
from stridescan.rules._control_plane import is_static_control_plane_pod


def token_mounted(workload: Workload) -> bool:
    """Whether the pod gets a token: automount is not written as false (or unknown).

    Control-plane static pods never get one: the kubelet runs them outside the API.
    """
    automount = workload.automount_service_account_token
    if is_static_control_plane_pod(workload):
        return False
    return automount.value is not False and automount.unresolved is None


def uses_default_account(workload: Workload) -> bool:
    account = workload.service_account
    return account.unresolved is None and account.value in (None, "default")
