"""
## What it flags
A literal value for a secret-like variable (a name ending in `PASSWORD`, `SECRET`, `TOKEN`,
`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `CREDENTIALS`, ...): Dockerfile `ENV` and `ARG`
defaults, Compose `environment`, Kubernetes `env[].value`; and, whatever the name, a
connection URL with a password in it (`postgres://app:s3cret@db/app`). Not flagged: `${VAR}`
references resolved at deploy time, `*_FILE` variables pointing at `/run/secrets/...`,
values from `secretKeyRef`, and yes/no switches such as `MYSQL_ALLOW_EMPTY_PASSWORD=yes`.

## Why it matters
Information disclosure. The value is in the repository's history for everyone with read
access, and at run time in `docker inspect`, the image's history (ENV/ARG), the pod spec,
crash dumps and every child process's environment. Whoever reads it can impersonate the
service (Spoofing).

## Example
```yaml
services:
  db:
    image: postgres:17.2
    environment:
      POSTGRES_PASSWORD: s3cr3t-Passw0rd
```

## Fix
Pass the secret as a file from a secret store (Compose `secrets:`, a Kubernetes Secret,
BuildKit `RUN --mount=type=secret`) and point the `*_FILE` variable at it.
```yaml
services:
  db:
    image: postgres:17.2
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from stridescan.model import Container, Image, Variable
from stridescan.rules._describe import container_noun
from stridescan.rules._meta import Format, Severity, Stride
from stridescan.rules._options import SecretNameOptions
from stridescan.rules._registry import Finding, rule
from stridescan.rules._secrets import (
    extra_names_pattern,
    is_literal_secret,
    names_pattern,
    url_with_password,
)


@rule(
    code="I102",
    slug="secret-in-environment",
    title="Secret written as a literal environment value",
    stride=(Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING),
    severity=Severity.HIGH,
    formats=(Format.DOCKERFILE, Format.COMPOSE, Format.KUBERNETES),
    references=("cis-docker-1.6:4.10", "cis-docker-1.2:4.10", "nsa-k8s:secrets"),
    options=SecretNameOptions,
)
def check(target: Image | Container, options: SecretNameOptions) -> Iterator[Finding]:
    if isinstance(target, Image):
        variables: list[tuple[str, Variable]] = [("ARG", arg) for arg in target.global_args]
        # `ARG NAME` in a stage brings in the global ARG's value: that one was reported.
        inherited = {(arg.name, arg.value) for arg in target.global_args}
        for stage in target.stages:
            variables += [("ARG", a) for a in stage.args if (a.name, a.value) not in inherited]
            variables += [("ENV", env) for env in stage.env]
        yield from _findings(variables, "the Dockerfile", options)
    else:
        yield from _findings(
            (("environment", variable) for variable in target.environment),
            container_noun(target),
            options,
        )


def _findings(
    variables: Iterable[tuple[str, Variable]], owner: str, options: SecretNameOptions
) -> Iterator[Finding]:
    extra = extra_names_pattern(options.extra_names)
    ignored = names_pattern(options.ignore_names)
    for kind, variable in variables:
        if variable.from_secret or (ignored is not None and ignored.fullmatch(variable.name)):
            continue
        if is_literal_secret(variable.name, variable.value, extra):
            yield Finding(
                at=variable.location,
                message=f"{owner} sets {variable.name!r} to a literal value in {kind}",
            )
        elif url_with_password(variable.value):
            yield Finding(
                at=variable.location,
                message=f"{owner} sets {variable.name!r} to a URL with a password in {kind}",
            )
