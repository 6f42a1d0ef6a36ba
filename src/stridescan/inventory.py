"""The scan-wide stage: a `Cluster` built after every file is parsed, for the rules whose
answer depends on objects in other files.

Whether a namespace is isolated is a question about the whole scanned set: its Deployment is
in one file, its NetworkPolicy in another. Each file is reduced to a compact summary while
the per-file rules run (namespaces and locations only, no re-parsing); the summaries become
one `Cluster` and rules that take it run once per scan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stridescan._frozen import dataclass
from stridescan.diagnostics import Problem
from stridescan.engine import Result, run_rules
from stridescan.linking import ServiceAccount, bound_accounts
from stridescan.model import (
    DEFAULT_NAMESPACE,
    Cluster,
    Location,
    NamespaceInventory,
    NetworkPolicy,
    Service,
    SourceKind,
)
from stridescan.parsing import ParsedFile
from stridescan.rules._registry import Rule

Placed = tuple[str, Location]  # (namespace, the object's `kind:` line)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileSummary:
    """The Kubernetes objects of one file that scan-wide rules read."""

    workloads: tuple[Placed, ...] = ()
    network_policies: tuple[Placed, ...] = ()
    services: tuple[Placed, ...] = ()
    # The service accounts this file's RoleBindings grant a role to: whether a workload
    # needs the API is decided over the whole scan (stridescan.filestage.AccountResults).
    bound_accounts: frozenset[ServiceAccount] = frozenset()


def summarize(file: ParsedFile) -> FileSummary:
    """Namespaces and locations of one file's workloads, NetworkPolicies and Services, and
    the service accounts its bindings name.

    Host-network pods are left out: NetworkPolicies do not apply to them, so a policy would
    not isolate them and their namespace is not judged on them.
    """
    if file.kind is not SourceKind.KUBERNETES:
        return FileSummary()
    return FileSummary(
        workloads=tuple(
            (_namespace(w.namespace), w.location)
            for w in file.workloads
            if w.source_kind is SourceKind.KUBERNETES and w.host_network.value is not True
        ),
        network_policies=tuple(
            (_namespace(p.namespace), p.location)
            for p in file.cluster_objects
            if isinstance(p, NetworkPolicy)
        ),
        services=tuple(
            (_namespace(s.namespace), s.location)
            for s in file.cluster_objects
            if isinstance(s, Service)
        ),
        bound_accounts=bound_accounts(file),
    )


def _namespace(name: str | None) -> str:
    # kubectl applies an object without metadata.namespace to `default` unless told `-n`;
    # a NetworkPolicy written the same way lands beside it, so both share one bucket.
    return name if name else DEFAULT_NAMESPACE


def build_cluster(summaries: Iterable[FileSummary]) -> Cluster | None:
    """One `Cluster` from the files' summaries; None when the scan holds no workload,
    NetworkPolicy or Service (only Dockerfiles, compose files or RBAC)."""
    workloads: dict[str, list[Location]] = {}
    policies: dict[str, list[Location]] = {}
    services: dict[str, list[Location]] = {}
    for summary in summaries:
        for into, placed in (
            (workloads, summary.workloads),
            (policies, summary.network_policies),
            (services, summary.services),
        ):
            for namespace, location in placed:
                into.setdefault(namespace, []).append(location)
    names = sorted({*workloads, *policies, *services})
    if not names:
        return None
    namespaces = tuple(
        NamespaceInventory(
            name=name,
            workloads=_in_path_order(workloads.get(name, ())),
            network_policies=_in_path_order(policies.get(name, ())),
            services=_in_path_order(services.get(name, ())),
        )
        for name in names
    )
    first = min(
        (loc for ns in namespaces for loc in (*ns.workloads, *ns.network_policies, *ns.services)),
        key=_order,
    )
    return Cluster(source_kind=SourceKind.KUBERNETES, location=first, namespaces=namespaces)


def _in_path_order(locations: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(sorted(locations, key=_order))


def _order(location: Location) -> tuple[str, int, int]:
    return (location.path, location.line, location.column)


def run_scan_rules(
    summaries: Sequence[FileSummary], rules: Sequence[Rule]
) -> tuple[list[Result], list[Problem]]:
    """Run the rules that take a `Cluster` once over the whole scan."""
    cluster = build_cluster(summaries)
    if cluster is None:
        return [], []
    return run_rules((cluster,), rules)
