"""
## What it flags
Downloads and installs that switch off verification: `apt-get --allow-unauthenticated`,
`--allow-insecure-repositories`, `Acquire::https::Verify-Peer=false`,
`apk --allow-untrusted`, `yum`/`dnf --nogpgcheck`, `rpm --nosignature`, `wget
--no-check-certificate`, `curl -k` / `--insecure`, `pip --trusted-host`,
`npm config set strict-ssl false`, `git -c http.sslVerify=false`, and ENV or RUN settings of
`GIT_SSL_NO_VERIFY`, `NODE_TLS_REJECT_UNAUTHORIZED=0` or `PYTHONHTTPSVERIFY=0`.

## Why it matters
Tampering. Signatures and TLS are what make a download the one the publisher released;
without them anyone on the path (a proxy, a poisoned mirror, a hijacked DNS answer) can
hand the build a different package, which then runs as root in every container.

## Example
```dockerfile
FROM debian:12.8-slim
RUN apt-get update && apt-get install -y --allow-unauthenticated vendor-agent
```

## Fix
Keep verification on: add the vendor's signing key or CA certificate to the image instead.
```dockerfile
FROM debian:12.8-slim
COPY vendor-archive-keyring.gpg /usr/share/keyrings/
RUN apt-get update && apt-get install -y vendor-agent
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stridescan import lazy_re
from stridescan.model import Image
from stridescan.rules._dockerfile import run_scripts
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule

_SWITCHES = lazy_re.compile(
    r"--allow-unauthenticated\b|--allow-insecure-repositories\b|--allow-untrusted\b"
    r"|--nogpgcheck\b|--nosignature\b|--no-check-certificate\b|--trusted-host\b"
    r"|\bgpgcheck\s*=\s*0\b|Verify-Peer\s*=\s*\"?false|AllowUnauthenticated\s*\"?\s*(?:=\s*)?\"?true"
    r"|\bstrict-ssl\s*(?:=\s*|\s+)false\b|\bsslVerify\s*(?:=\s*|\s+)false\b"
    r"|\bGIT_SSL_NO_VERIFY\s*=\s*\S|\bNODE_TLS_REJECT_UNAUTHORIZED\s*=\s*[\"']?0"
    r"|\bPYTHONHTTPSVERIFY\s*=\s*[\"']?0",
    re.IGNORECASE,
)
_CURL_INSECURE = lazy_re.compile(r"\bcurl\b[^|;&\n]*?\s(--insecure\b|-[a-zA-Z]*k[a-zA-Z]*\b)")
_ENV_SWITCHES = {
    "GIT_SSL_NO_VERIFY": None,
    "NODE_TLS_REJECT_UNAUTHORIZED": "0",
    "PYTHONHTTPSVERIFY": "0",
}


@rule(
    code="T109",
    slug="verification-disabled",
    title="Download or package verification disabled",
    stride=(Stride.TAMPERING, Stride.SPOOFING),
    severity=Severity.HIGH,
    formats=(Format.DOCKERFILE,),
    references=("cis-docker-1.6:4.11", "cis-docker-1.2:4.11"),
)
def check(image: Image) -> Iterator[Finding]:
    for _, instruction, script in run_scripts(image):
        match = _SWITCHES.search(script) or _CURL_INSECURE.search(script)
        if match:
            shown = match.group(1) if match.re.pattern == _CURL_INSECURE.pattern else match.group()
            yield Finding(
                at=instruction.location,
                message=f"RUN disables verification with {' '.join(shown.split())!r}",
            )
    for stage in image.stages:
        for variable in stage.env:
            if variable.name not in _ENV_SWITCHES or variable.value is None:
                continue
            off = _ENV_SWITCHES[variable.name]
            value = variable.value.strip().strip("\"'")
            if (off is None and value not in ("", "0", "false")) or value == off:
                yield Finding(
                    at=variable.location,
                    message=f"ENV {variable.name}={value!r} disables TLS verification",
                )
