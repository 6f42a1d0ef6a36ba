"""The vocabularies of rule metadata: STRIDE categories, severities, formats."""

from __future__ import annotations

import enum

from stridescan.model import SourceKind

#: The formats a rule applies to are the kinds of source files.
Format = SourceKind


class Stride(str, enum.Enum):
    """The six STRIDE threat categories; the value is the letter that starts rule codes."""

    SPOOFING = "S"
    TAMPERING = "T"
    REPUDIATION = "R"
    INFORMATION_DISCLOSURE = "I"
    DENIAL_OF_SERVICE = "D"
    ELEVATION_OF_PRIVILEGE = "E"

    @property
    def label(self) -> str:
        return _STRIDE_TITLES[self]

    @classmethod
    def parse(cls, text: str) -> Stride:
        """A category from its letter or its name in any case ("E", "elevation-of-privilege")."""
        wanted = text.strip().upper().replace("-", "_").replace(" ", "_")
        for category in cls:
            if wanted in (category.value, category.name):
                return category
        raise ValueError(f"unknown STRIDE category {text!r}")


_STRIDE_TITLES = {
    Stride.SPOOFING: "Spoofing",
    Stride.TAMPERING: "Tampering",
    Stride.REPUDIATION: "Repudiation",
    Stride.INFORMATION_DISCLOSURE: "Information disclosure",
    Stride.DENIAL_OF_SERVICE: "Denial of service",
    Stride.ELEVATION_OF_PRIVILEGE: "Elevation of privilege",
}


class Severity(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]

    @property
    def default_security_severity(self) -> float:
        """The number GitHub code scanning reads (>9 critical, 7-8.9 high, 4-6.9 medium)."""
        return _SECURITY_SEVERITY[self]


_SEVERITY_RANKS = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
_SECURITY_SEVERITY = {
    Severity.LOW: 3.0,
    Severity.MEDIUM: 5.5,
    Severity.HIGH: 8.0,
    Severity.CRITICAL: 9.5,
}


_STANDARDS = {
    "cis-docker-1.6": "CIS Docker Benchmark v1.6.0",
    "cis-docker-1.2": "CIS Docker Benchmark v1.2.0",
    "pss-baseline": "Kubernetes Pod Security Standards, baseline",
    "pss-restricted": "Kubernetes Pod Security Standards, restricted",
    "nsa-k8s": "NSA/CISA Kubernetes Hardening Guide",
    "cis-k8s": "CIS Kubernetes Benchmark v1.8.0",
}


def reference_title(reference: str) -> str:
    """`cis-docker-1.6:5.5` -> `CIS Docker Benchmark v1.6.0, 5.5`."""
    standard, _, item = reference.partition(":")
    name = _STANDARDS.get(standard)
    if name is None:
        return reference
    return f"{name}, {item}" if item else name


def is_known_reference(reference: str) -> bool:
    return reference.partition(":")[0] in _STANDARDS
