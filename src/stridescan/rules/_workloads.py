"""Facts about workload kinds that several rules share."""

from __future__ import annotations

#: Kinds whose pods are meant to finish: probes that restart them make no sense.
RUN_TO_COMPLETION = frozenset(("Job", "CronJob"))
