"""stridescan: STRIDE-tagged security checks for Dockerfiles, Compose and Kubernetes."""

__version__ = "0.1.0"
