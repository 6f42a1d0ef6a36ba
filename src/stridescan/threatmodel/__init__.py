"""`stridescan threat-model`: a STRIDE threat model of the scanned deployment, written from
the same scan as `stridescan scan` (report.py holds the data, build.py fills it, one module
per form renders it)."""
