"""
## What it flags
A Kubernetes container that takes a Secret's value as an environment variable
(`env[].valueFrom.secretKeyRef`), each at its line. `envFrom` is not read yet.

## Why it matters
Information disclosure, of a lesser kind. Environment variables leak more easily than
files: into crash reports and debug pages, into every child process, into logs of tools
that print their environment; and they cannot be rotated without a restart. Mounted as a
file, a Secret is readable only by processes that open it and is updated in place.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: api-db
              key: password
```

## Fix
Mount the Secret as a volume and let the application read the file.
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.4.2
      env:
        - name: DB_PASSWORD_FILE
          value: /run/secrets/db/password
      volumeMounts:
        - name: db
          mountPath: /run/secrets/db
          readOnly: true
  volumes:
    - name: db
      secret:
        secretName: api-db
```
"""

from __future__ import annotations

from collections.abc import Iterator

from stridescan.model import Container
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._registry import Finding, rule


@rule(
    code="I203",
    slug="secret-as-environment-variable",
    title="Secret passed as an environment variable",
    stride=(Stride.INFORMATION_DISCLOSURE,),
    severity=Severity.LOW,
    formats=(Format.KUBERNETES,),
    references=("cis-k8s:5.4.1", "nsa-k8s:secrets"),
)
def check(container: Container) -> Iterator[Finding]:
    for variable in container.environment:
        if variable.from_secret:
            yield Finding(
                at=variable.location,
                message=f"{container_noun(container)} takes {variable.name} from a Secret as an"
                " environment variable (mount it as a file)",
            )
