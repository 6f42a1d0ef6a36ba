"""Write a realistic corpus of Dockerfiles, compose files and Kubernetes manifests.

Deterministic for a given seed, so runs compare like with like. `--size-mb N` writes the
mix of `mix.py` (every workload kind, RBAC, daemon.json, unrelated YAML) sized in bytes:
10 gives about 2,000 files / 10 MB, 100 the ten-times corpus. `--files-per-format N` keeps
the older, simpler corpus that `throughput.py` uses.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_IMAGES = ("nginx:1.27.2", "postgres:17.2", "redis:7.4.1", "registry.example.com/api:1.4.2")

_DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG BASE=python:3.12.7-slim
FROM golang:1.23.3 AS build{i}
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app{i} ./cmd/app \\
    && strip /out/app{i}

FROM ${{BASE}}
ENV APP_HOME=/srv/app{i} PORT={port}
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=build{i} /out/app{i} /usr/local/bin/app
EXPOSE {port}
{user}HEALTHCHECK CMD ["app", "healthcheck"]
CMD ["app", "serve"]
"""

_SERVICE = """\
  svc{j}:
    image: {image}
    ports:
      - "{port}:{port}"
    environment:
      LOG_LEVEL: info
      FEATURE_{j}: "on"
    volumes:
      - data{j}:/var/lib/data
      - ./conf/svc{j}.conf:/etc/svc.conf:ro
{extra}"""

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: app{i}-{j}
  namespace: team{ns}
  labels: {{app: app{i}-{j}}}
spec:
  selector:
    matchLabels: {{app: app{i}-{j}}}
  template:
    metadata:
      labels: {{app: app{i}-{j}}}
    spec:
      serviceAccountName: app{i}
      containers:
        - name: app
          image: {image}
          ports:
            - containerPort: {port}
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {{name: app{i}, key: password}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
{limits}          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: {ro}
            capabilities: {{drop: [ALL]}}
          livenessProbe:
            httpGet: {{path: /healthz, port: {port}}}
---
apiVersion: v1
kind: Service
metadata:
  name: app{i}-{j}
  namespace: team{ns}
spec:
  selector: {{app: app{i}-{j}}}
  ports:
    - port: 80
      targetPort: {port}
"""


def write_corpus(target: Path, files_per_format: int, seed: int = 7) -> list[Path]:
    """Write `files_per_format` files of each format under `target`; returns their paths."""
    rng = random.Random(seed)
    written: list[Path] = []
    for i in range(files_per_format):
        folder = target / f"svc{i:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        port = 8000 + i % 1000
        user = "USER 10001\n" if rng.random() < 0.6 else ""
        written.append(_write(folder / "Dockerfile", _DOCKERFILE.format(i=i, port=port, user=user)))
        services = "".join(
            _SERVICE.format(
                j=j,
                image=rng.choice(_IMAGES),
                port=port + j,
                extra="    privileged: true\n" if rng.random() < 0.1 else "    read_only: true\n",
            )
            for j in range(rng.randint(3, 6))
        )
        compose = f"services:\n{services}volumes:\n" + "".join(
            f"  data{j}: {{}}\n" for j in range(6)
        )
        written.append(_write(folder / "compose.yaml", compose))
        documents = "---\n".join(
            _DEPLOYMENT.format(
                i=i,
                j=j,
                ns=i % 7,
                kind=rng.choice(("Deployment", "StatefulSet", "DaemonSet")),
                image=rng.choice(_IMAGES),
                port=port,
                limits="          limits: {cpu: 500m, memory: 256Mi}\n" if j % 2 else "",
                ro=rng.choice(("true", "false")),
            )
            for j in range(rng.randint(2, 4))
        )
        written.append(_write(folder / "k8s" / "deploy.yaml", documents))
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", type=Path)
    parser.add_argument("--files-per-format", type=int, default=200)
    parser.add_argument("--size-mb", type=float, help="write the realistic mix of this size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.size_mb is not None:
        from mix import write_mix

        stats = write_mix(args.target, int(args.size_mb * 1_000_000), seed=args.seed)
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(stats.kinds.items()))
        print(
            f"wrote {len(stats.files) + len(stats.skipped)} files, {stats.bytes / 1e6:.1f} MB "
            f"under {args.target} (largest {stats.largest / 1000:.0f} kB)\n{kinds}"
        )
        return
    files = write_corpus(args.target, args.files_per_format, seed=args.seed)
    print(f"wrote {len(files)} files under {args.target}")


if __name__ == "__main__":
    main()
