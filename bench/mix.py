"""A realistic mix of the files stridescan reads, sized in bytes, for `targets.py`.

One *unit* is one application repository's worth of files: one to three multi-stage
Dockerfiles, a compose file with 3-8 services building them (sometimes an override file), a
Kubernetes directory with multi-document manifests of every workload kind plus Services,
an Ingress, ConfigMaps, RBAC and NetworkPolicies, sometimes a daemon.json, and YAML that is
not ours (CI configuration, a Helm chart whose templates are skipped). Most settings are
hardened and a minority are not, as in a real estate, so rules find a realistic share of
findings rather than one per line. Units are written until the byte budget is spent.

Deterministic for a given seed and size: the same run compares like with like.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: Every kind the issue's mix names; `MixStats.kinds` counts them, the test checks them all.
KINDS = (
    "Dockerfile",
    "compose",
    "compose-override",
    "daemon.json",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Pod",
    "Service/ClusterIP",
    "Service/NodePort",
    "Service/LoadBalancer",
    "Ingress",
    "NetworkPolicy",
    "ConfigMap",
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "unrelated-yaml",
)

_WORKLOAD_KINDS = (
    ("Deployment", 8),
    ("StatefulSet", 2),
    ("DaemonSet", 1),
    ("ReplicaSet", 1),
    ("ReplicationController", 1),
    ("Job", 2),
    ("CronJob", 2),
    ("Pod", 1),
)
_API_VERSIONS = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "ReplicationController": "v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
    "Pod": "v1",
}
_SERVING = frozenset(
    ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")
)
_IMAGES = (
    "registry.example.com/platform/api",
    "registry.example.com/platform/worker",
    "registry.example.com/shop/frontend",
    "ghcr.io/example/billing",
    "ghcr.io/example/notifier",
    "quay.io/example/gateway",
)
_BACKING = (
    ("postgres", "postgres:16.4", 5432, "/var/lib/postgresql/data"),
    ("redis", "redis:7.4.1-alpine", 6379, "/data"),
    ("rabbitmq", "rabbitmq:3.13-management", 5672, "/var/lib/rabbitmq"),
    ("elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch:8.15.3", 9200, "/data"),
    ("nginx", "nginx:1.27.2", 80, "/var/cache/nginx"),
    ("minio", "minio/minio:RELEASE.2024-10-13T13-34-11Z", 9000, "/data"),
)
_LANGUAGES = ("go", "python", "node", "java")


@dataclass
class MixStats:
    """What a generated mix holds: its files, their bytes, and how many of each kind."""

    files: list[Path] = field(default_factory=list)
    bytes: int = 0
    # Files a scan must leave out (Helm templates); unrelated YAML is read but yields nothing.
    skipped: list[Path] = field(default_factory=list)
    unrelated: list[Path] = field(default_factory=list)  # read and sniffed, not ours
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def largest(self) -> int:
        return max((path.stat().st_size for path in self.files), default=0)


def write_mix(target: Path, size_bytes: int, seed: int = 7) -> MixStats:
    """Write units under `target` until about `size_bytes` are written; at least one unit."""
    rng = random.Random(seed)
    stats = MixStats()
    index = 0
    while index == 0 or stats.bytes < size_bytes:
        _Unit(rng, index, target / f"repo{index:05d}", stats).write()
        index += 1
    return stats


class _Unit:
    def __init__(self, rng: random.Random, index: int, folder: Path, stats: MixStats) -> None:
        self.rng = rng
        self.index = index
        self.folder = folder
        self.stats = stats
        self.namespace = f"team-{index % 23}"
        self.app = f"app{index}"

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def feature(self, probability: float) -> bool:
        """Whether this unit has an optional part; the first unit has every part, so even a
        tiny mix holds every kind."""
        return self.chance(probability) or self.index == 0

    def save(self, relative: str, text: str, *kinds: str, skipped: bool = False) -> None:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        (self.stats.skipped if skipped else self.stats.files).append(path)
        if "unrelated-yaml" in kinds:
            self.stats.unrelated.append(path)
        self.stats.bytes += len(data)
        self.stats.kinds.update(kinds)

    def write(self) -> None:
        builds = [f"svc{n}" for n in range(self.rng.randint(1, 3))]
        for name in builds:
            self.save(f"services/{name}/Dockerfile", self.dockerfile(name), "Dockerfile")
        services = self.compose(builds)
        if self.feature(0.35):
            self.save("compose.override.yaml", self.override(services), "compose-override")
        for part in range(self.rng.randint(1, 3)):
            self.workloads_file(part)
        self.rbac_file()
        self.network_file()
        if self.feature(0.25):
            self.save("host/daemon.json", self.daemon(), "daemon.json")
        if self.feature(0.6):
            self.save(".github/workflows/ci.yml", self.ci(), "unrelated-yaml")
        if self.feature(0.4):
            self.helm_chart()

    # Dockerfiles -------------------------------------------------------------------------

    def dockerfile(self, name: str) -> str:
        language = self.rng.choice(_LANGUAGES)
        port = 8000 + self.rng.randint(0, 999)
        build = {
            "go": (
                "FROM golang:1.23.3-bookworm AS build\n"
                "WORKDIR /src\n"
                "COPY go.mod go.sum ./\n"
                "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n"
                "COPY . .\n"
                f"RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags='-s -w' \\\n"
                f"    -o /out/{name} ./cmd/{name}\n"
            ),
            "python": (
                "FROM python:3.12.7-slim AS build\n"
                "WORKDIR /src\n"
                "RUN python -m venv /opt/venv\n"
                "ENV PATH=/opt/venv/bin:$PATH\n"
                "COPY requirements.txt .\n"
                "RUN pip install --no-cache-dir -r requirements.txt\n"
                "COPY src/ ./src/\n"
                "RUN pip install --no-cache-dir .\n"
            ),
            "node": (
                "FROM node:20.18.0-bookworm AS build\n"
                "WORKDIR /app\n"
                "COPY package.json package-lock.json ./\n"
                "RUN npm ci --ignore-scripts\n"
                "COPY . .\n"
                "RUN npm run build && npm prune --omit=dev\n"
            ),
            "java": (
                "FROM maven:3.9.9-eclipse-temurin-21 AS build\n"
                "WORKDIR /build\n"
                "COPY pom.xml .\n"
                "RUN mvn -B -q dependency:go-offline\n"
                "COPY src ./src\n"
                f"RUN mvn -B -q package -DskipTests && cp target/{name}.jar /build/app.jar\n"
            ),
        }[language]
        tag = "latest" if self.chance(0.08) else "3.20.3"
        test_stage = ""
        if self.chance(0.4):
            test_stage = "\nFROM build AS test\nRUN make test \\\n    && make lint\n"
        lines = [
            "# syntax=docker/dockerfile:1.7",
            f"# {self.app}/{name}: built by CI, deployed by the manifests in deploy/",
            "ARG VERSION=0.0.0",
            build.rstrip("\n"),
            test_stage.rstrip("\n"),
            "",
            f"FROM alpine:{tag}",
            "ARG VERSION",
            f'LABEL org.opencontainers.image.title="{name}" \\',
            '      org.opencontainers.image.version="${VERSION}"',
        ]
        if self.chance(0.8):
            lines.append("RUN apk add --no-cache ca-certificates tzdata \\")
            lines.append("    && update-ca-certificates")
        else:
            lines.append("RUN apk update && apk add curl ca-certificates")
        if self.chance(0.05):
            lines.append("RUN curl -fsSL https://get.example.com/install.sh | sh")
        if self.chance(0.05):
            lines.append("ADD https://downloads.example.com/tool.tar.gz /opt/")
        if self.chance(0.06):
            lines.append("ENV API_TOKEN=s3cr3t-token-value")
        artefact = {
            "go": f"/out/{name} /usr/local/bin/{name}",
            "python": "/opt/venv /opt/venv",
            "node": "/app/dist /srv/app",
            "java": "/build/app.jar /srv/app.jar",
        }[language]
        lines.append(f"COPY --from=build {artefact}")
        lines.append(f"ENV PORT={port} LOG_FORMAT=json")
        lines.append(f"EXPOSE {port}")
        if self.chance(0.75):
            lines.append("RUN addgroup -S app && adduser -S -G app -u 10001 app")
            lines.append("USER 10001:10001")
        if self.chance(0.6):
            lines.append(
                "HEALTHCHECK --interval=30s --timeout=3s --retries=3 \\\n"
                f"  CMD wget -qO- http://127.0.0.1:{port}/healthz || exit 1"
            )
        lines.append(f'ENTRYPOINT ["/usr/local/bin/{name}"]')
        lines.append('CMD ["serve"]')
        return "\n".join(lines) + "\n"

    # Compose ---------------------------------------------------------------------------

    def compose(self, builds: list[str]) -> list[str]:
        names: list[str] = []
        blocks: list[str] = []
        for name in builds:
            names.append(name)
            blocks.append(self.built_service(name))
        wanted = self.rng.randint(max(3, len(builds)), 8)
        backing = self.rng.sample(_BACKING, k=min(wanted - len(builds), len(_BACKING)))
        for name, image, port, data in backing:
            names.append(name)
            blocks.append(self.backing_service(name, image, port, data))
        volumes = "".join(f"  {name}-data:\n" for name, *_ in backing)
        text = (
            f"# {self.app}: local development and the staging host\n"
            f"name: {self.app}\n"
            "services:\n"
            + "".join(blocks)
            + "networks:\n  frontend: {}\n  backend:\n    internal: true\n"
            + (f"volumes:\n{volumes}" if volumes else "")
        )
        self.save("compose.yaml", text, "compose")
        return names

    def built_service(self, name: str) -> str:
        port = 8000 + self.rng.randint(0, 999)
        lines = [
            f"  {name}:",
            "    build:",
            f"      context: ./services/{name}",
            "      dockerfile: Dockerfile",
            "      args:",
            '        VERSION: "${VERSION:-dev}"',
            f"    image: registry.example.com/{self.app}/{name}:${{VERSION:-dev}}",
            "    restart: unless-stopped",
            "    ports:",
            f'      - "127.0.0.1:{port}:{port}"'
            if self.chance(0.7)
            else f'      - "{port}:{port}"',
            "    environment:",
            f'      PORT: "{port}"',
            "      LOG_LEVEL: info",
            "      DATABASE_URL: postgres://app@postgres:5432/app",
        ]
        if self.chance(0.12):
            lines.append("      DB_PASSWORD: hunter2-not-a-secret")
        else:
            lines.append("      DB_PASSWORD_FILE: /run/secrets/db_password")
        lines += ["    networks: [frontend, backend]", "    depends_on:", "      - postgres"]
        lines += self.hardening(port)
        return "\n".join(lines) + "\n"

    def backing_service(self, name: str, image: str, port: int, data: str) -> str:
        lines = [
            f"  {name}:",
            f"    image: {image}" if self.chance(0.93) else f"    image: {name}:latest",
            "    restart: always",
            "    networks: [backend]",
            "    volumes:",
            f"      - {name}-data:{data}",
        ]
        if self.chance(0.06):
            lines.append("      - /var/run/docker.sock:/var/run/docker.sock")
        if self.chance(0.2):
            lines.append(f"      - ./config/{name}:/etc/{name}:ro")
        if self.chance(0.15):
            lines += ["    ports:", f'      - "{port}:{port}"']
        lines += self.hardening(port)
        return "\n".join(lines) + "\n"

    def hardening(self, port: int) -> list[str]:
        lines: list[str] = []
        if self.chance(0.05):
            lines.append("    privileged: true")
        if self.chance(0.03):
            lines.append("    network_mode: host")
        if self.chance(0.7):
            lines += ["    read_only: true", "    tmpfs:", "      - /tmp"]
        if self.chance(0.75):
            lines += ["    cap_drop: [ALL]", "    security_opt:", "      - no-new-privileges:true"]
        elif self.chance(0.3):
            lines += ["    cap_add:", "      - NET_ADMIN"]
        if self.chance(0.7):
            lines += [
                '    user: "10001:10001"',
                "    pids_limit: 200",
                "    deploy:",
                "      resources:",
                '        limits: {cpus: "1.0", memory: 512M}',
                "        reservations: {memory: 128M}",
            ]
        if self.chance(0.65):
            lines += [
                "    healthcheck:",
                f'      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:{port}/healthz"]',
                "      interval: 30s",
                "      timeout: 3s",
                "      retries: 3",
            ]
        lines += ["    logging:", "      driver: json-file", "      options: {max-size: 10m}"]
        return lines

    def override(self, services: list[str]) -> str:
        chosen = self.rng.sample(services, k=min(len(services), self.rng.randint(1, 3)))
        blocks = []
        for name in chosen:
            port = 9000 + self.rng.randint(0, 999)
            blocks.append(
                f"  {name}:\n"
                "    environment:\n"
                "      LOG_LEVEL: debug\n"
                "    ports:\n"
                f'      - "127.0.0.1:{port}:{port}"\n'
                + ("    volumes:\n      - ./src:/src\n" if self.chance(0.5) else "")
            )
        return "# developer overrides, not used in CI\nservices:\n" + "".join(blocks)

    # Kubernetes ------------------------------------------------------------------------

    def workloads_file(self, part: int) -> None:
        documents: list[str] = []
        kinds: list[str] = []
        config = f"{self.app}-config-{part}"
        documents.append(self.configmap(config))
        kinds.append("ConfigMap")
        population, weights = zip(*_WORKLOAD_KINDS, strict=True)
        chosen = [self.rng.choices(population, weights)[0] for _ in range(self.rng.randint(3, 9))]
        if self.index == 0 and part == 0:
            chosen = list(population)  # the first unit has every kind
        for number, kind in enumerate(chosen):
            name = f"{self.app}-{part}-{number}"
            documents.append(self.workload(kind, name, config))
            kinds.append(kind)
            if kind in _SERVING:
                service_type = self.rng.choices(
                    ("ClusterIP", "NodePort", "LoadBalancer"), (8, 1, 1)
                )[0]
                if self.index == 0 and part == 0:
                    service_type = ("ClusterIP", "NodePort", "LoadBalancer")[number % 3]
                documents.append(self.service(name, service_type))
                kinds.append(f"Service/{service_type}")
        if self.feature(0.6):
            documents.append(self.ingress(f"{self.app}-{part}-0"))
            kinds.append("Ingress")
        self.save(f"deploy/k8s/workloads-{part}.yaml", "---\n".join(documents), *kinds)

    def metadata(self, name: str, indent: str = "") -> str:
        return (
            f"{indent}metadata:\n"
            f"{indent}  name: {name}\n"
            f"{indent}  namespace: {self.namespace}\n"
            f"{indent}  labels:\n"
            f"{indent}    app.kubernetes.io/name: {name}\n"
            f"{indent}    app.kubernetes.io/part-of: {self.app}\n"
            f"{indent}    app.kubernetes.io/managed-by: kustomize\n"
        )

    def configmap(self, name: str) -> str:
        entries = "".join(f'  FEATURE_{n}: "{self.rng.choice(("on", "off"))}"\n' for n in range(8))
        return (
            "apiVersion: v1\nkind: ConfigMap\n"
            + self.metadata(name)
            + "data:\n  LOG_LEVEL: info\n  LOG_FORMAT: json\n"
            + entries
            + "  app.properties: |\n"
            + "".join(f"    setting.{n}=value-{n}\n" for n in range(6))
        )

    def workload(self, kind: str, name: str, config: str) -> str:
        pod = self.pod_spec(name, config, kind)
        head = f"apiVersion: {_API_VERSIONS[kind]}\nkind: {kind}\n" + self.metadata(name)
        if kind == "Pod":
            return head + "spec:\n" + _indent(pod, 2)
        template = (
            "  template:\n"
            "    metadata:\n"
            "      labels:\n"
            f"        app.kubernetes.io/name: {name}\n"
            "      annotations:\n"
            '        prometheus.io/scrape: "true"\n'
            "    spec:\n" + _indent(pod, 6)
        )
        if kind == "Job":
            return head + "spec:\n  backoffLimit: 3\n  ttlSecondsAfterFinished: 600\n" + template
        if kind == "CronJob":
            return (
                head + f'spec:\n  schedule: "{self.rng.randint(0, 59)} */6 * * *"\n'
                "  concurrencyPolicy: Forbid\n"
                "  jobTemplate:\n    spec:\n      backoffLimit: 2\n" + _indent(template, 4)
            )
        selector = (
            f"  selector:\n    app.kubernetes.io/name: {name}\n"
            if kind == "ReplicationController"
            else f"  selector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n"
        )
        replicas = "" if kind == "DaemonSet" else f"  replicas: {self.rng.randint(1, 5)}\n"
        extra = f"  serviceName: {name}\n" if kind == "StatefulSet" else ""
        return head + "spec:\n" + replicas + extra + selector + template

    def pod_spec(self, name: str, config: str, kind: str) -> str:
        hardened = self.chance(0.6)
        lines = []
        if kind in ("Job", "CronJob", "Pod"):
            lines.append("restartPolicy: OnFailure" if kind != "Pod" else "restartPolicy: Always")
        lines.append(f"serviceAccountName: {self.app}")
        if hardened or self.chance(0.3):
            lines.append("automountServiceAccountToken: false")
        if self.chance(0.03):
            lines.append("hostNetwork: true")
        if self.chance(0.02):
            lines.append("hostPID: true")
        if hardened:
            lines += [
                "securityContext:",
                "  runAsNonRoot: true",
                "  runAsUser: 10001",
                "  fsGroup: 10001",
                "  seccompProfile:",
                "    type: RuntimeDefault",
            ]
        lines.append("containers:")
        lines += _indent(self.container(name, config, hardened, main=True), 2).splitlines()
        if self.chance(0.3):
            lines += _indent(self.container(f"{name}-sidecar", config, hardened), 2).splitlines()
        lines += ["volumes:", "  - name: tmp", "    emptyDir: {}", "  - name: config"]
        lines += ["    configMap:", f"      name: {config}"]
        if self.chance(0.05):
            lines += ["  - name: host-logs", "    hostPath:", "      path: /var/log"]
        return "\n".join(lines) + "\n"

    def container(self, name: str, config: str, hardened: bool, *, main: bool = False) -> str:
        image = self.rng.choice(_IMAGES)
        tag = (
            "latest"
            if self.chance(0.05)
            else f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 20)}.{self.rng.randint(0, 9)}"
        )
        port = 8080 + self.rng.randint(0, 9)
        lines = [
            f"- name: {'app' if main else 'sidecar'}",
            f"  image: {image}:{tag}",
            "  imagePullPolicy: IfNotPresent",
            '  args: ["serve", "--config", "/etc/app/app.properties"]',
            "  ports:",
            f"    - name: http\n      containerPort: {port}\n      protocol: TCP",
            "  env:",
            "    - name: POD_NAME",
            "      valueFrom:",
            "        fieldRef: {fieldPath: metadata.name}",
            "    - name: DB_PASSWORD",
            "      valueFrom:",
            f"        secretKeyRef: {{name: {self.app}-db, key: password}}",
        ]
        if self.chance(0.06):
            lines += ["    - name: API_KEY", "      value: sk-live-not-really-a-key"]
        lines += ["  envFrom:", "    - configMapRef:", f"        name: {config}"]
        lines += ["  resources:", "    requests: {cpu: 100m, memory: 128Mi}"]
        if hardened or self.chance(0.5):
            lines.append("    limits: {cpu: 500m, memory: 512Mi}")
        if hardened or self.chance(0.4):
            lines += [
                "  livenessProbe:",
                f"    httpGet: {{path: /healthz, port: {port}}}",
                "    periodSeconds: 10",
                "  readinessProbe:",
                f"    httpGet: {{path: /ready, port: {port}}}",
            ]
        lines.append("  securityContext:")
        if self.chance(0.04):
            lines.append("    privileged: true")
        else:
            lines.append(f"    allowPrivilegeEscalation: {'false' if hardened else 'true'}")
        lines.append(f"    readOnlyRootFilesystem: {'true' if hardened else 'false'}")
        if hardened:
            lines += ["    capabilities:", "      drop: [ALL]"]
        elif self.chance(0.15):
            lines += ["    capabilities:", "      add: [NET_ADMIN, SYS_TIME]"]
        lines += [
            "  volumeMounts:",
            "    - {name: tmp, mountPath: /tmp}",
            "    - {name: config, mountPath: /etc/app, readOnly: true}",
        ]
        return "\n".join(lines) + "\n"

    def service(self, name: str, service_type: str) -> str:
        node_port = f"      nodePort: {30000 + self.rng.randint(0, 2767)}\n"
        return (
            "apiVersion: v1\nkind: Service\n"
            + self.metadata(name)
            + f"spec:\n  type: {service_type}\n"
            + f"  selector:\n    app.kubernetes.io/name: {name}\n"
            + "  ports:\n    - name: http\n      port: 80\n      targetPort: http\n"
            + (node_port if service_type == "NodePort" else "")
        )

    def ingress(self, backend: str) -> str:
        host = f"{self.app}.{self.namespace}.example.com"
        tls = (
            f"  tls:\n    - hosts: [{host}]\n      secretName: {self.app}-tls\n"
            if self.chance(0.8)
            else ""
        )
        return (
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
            + self.metadata(f"{self.app}-ingress")
            + "spec:\n  ingressClassName: nginx\n"
            + tls
            + f"  rules:\n    - host: {host}\n      http:\n        paths:\n"
            "          - path: /\n            pathType: Prefix\n            backend:\n"
            f"              service:\n                name: {backend}\n"
            "                port: {name: http}\n"
        )

    def rbac_file(self) -> None:
        sa = "apiVersion: v1\nkind: ServiceAccount\n" + self.metadata(self.app)
        if self.chance(0.7):
            sa += "automountServiceAccountToken: false\n"
        resources = self.rng.choice(("[configmaps]", "[configmaps, endpoints]", "[pods]"))
        role = (
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n"
            + self.metadata(f"{self.app}-reader")
            + f'rules:\n  - apiGroups: [""]\n    resources: {resources}\n'
            "    verbs: [get, list, watch]\n"
        )
        if self.chance(0.1):
            role += '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list]\n'
        binding = (
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
            + self.metadata(f"{self.app}-reader")
            + "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n"
            f"  name: {self.app}-reader\n"
            f"subjects:\n  - kind: ServiceAccount\n    name: {self.app}\n"
            f"    namespace: {self.namespace}\n"
        )
        documents = [sa, role, binding]
        kinds = ["ServiceAccount", "Role", "RoleBinding"]
        if self.feature(0.5):
            wildcard = self.chance(0.15)
            cluster_role = (
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                f"metadata:\n  name: {self.app}-nodes\n"
                + (
                    'rules:\n  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n'
                    if wildcard
                    else 'rules:\n  - apiGroups: [""]\n    resources: [nodes, namespaces]\n'
                    "    verbs: [get, list, watch]\n"
                )
            )
            cluster_binding = (
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
                f"metadata:\n  name: {self.app}-nodes\n"
                "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n"
                f"  name: {self.app}-nodes\n"
                f"subjects:\n  - kind: ServiceAccount\n    name: {self.app}\n"
                f"    namespace: {self.namespace}\n"
            )
            documents += [cluster_role, cluster_binding]
            kinds += ["ClusterRole", "ClusterRoleBinding"]
        self.save("deploy/k8s/rbac.yaml", "---\n".join(documents), *kinds)

    def network_file(self) -> None:
        deny = (
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            + self.metadata(f"{self.app}-default-deny")
            + "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"
        )
        allow = (
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            + self.metadata(f"{self.app}-allow-ingress")
            + "spec:\n  podSelector:\n    matchLabels:\n"
            f"      app.kubernetes.io/part-of: {self.app}\n"
            "  policyTypes: [Ingress]\n  ingress:\n    - from:\n"
            "        - namespaceSelector:\n            matchLabels:\n"
            "              kubernetes.io/metadata.name: ingress-nginx\n"
            "      ports:\n        - {protocol: TCP, port: 8080}\n"
        )
        if self.feature(0.8):
            self.save(
                "deploy/k8s/network-policy.yaml",
                deny + "---\n" + allow,
                "NetworkPolicy",
                "NetworkPolicy",
            )

    # Docker daemon and unrelated YAML ----------------------------------------------------

    def daemon(self) -> str:
        config: dict[str, object] = {
            "log-driver": "json-file",
            "log-opts": {"max-size": "10m", "max-file": "3"},
            "live-restore": True,
            "userland-proxy": False,
            "no-new-privileges": self.chance(0.7),
            "icc": not self.chance(0.7),
            "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}},
        }
        if self.chance(0.6):
            config["userns-remap"] = "default"
        if self.chance(0.15):
            config["insecure-registries"] = ["registry.internal:5000"]
        if self.chance(0.08):
            config["hosts"] = ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]
        return json.dumps(config, indent=2) + "\n"

    def ci(self) -> str:
        return (
            f"name: {self.app} CI\n"
            "on:\n  push:\n    branches: [main]\n  pull_request:\n"
            "permissions:\n  contents: read\n"
            "jobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n"
            "      - uses: actions/checkout@v4\n"
            "      - uses: actions/setup-go@v5\n        with:\n          go-version: '1.23'\n"
            "      - run: make test\n"
            "  image:\n    needs: test\n    runs-on: ubuntu-24.04\n    steps:\n"
            "      - uses: actions/checkout@v4\n"
            "      - run: docker build -t registry.example.com/app:${{ github.sha }} .\n"
        )

    def helm_chart(self) -> None:
        self.save(
            "chart/Chart.yaml",
            f"apiVersion: v2\nname: {self.app}\ndescription: {self.app} chart\n"
            'type: application\nversion: 1.4.2\nappVersion: "1.4.2"\n',
            "unrelated-yaml",
        )
        self.save(
            "chart/values.yaml",
            "replicaCount: 2\n"
            f'image:\n  repository: registry.example.com/{self.app}\n  tag: ""\n'
            "  pullPolicy: IfNotPresent\n"
            "podSecurityContext:\n  runAsNonRoot: true\n"
            "resources:\n  limits: {cpu: 500m, memory: 512Mi}\n"
            "ingress:\n  enabled: false\n  hosts: []\n",
            "unrelated-yaml",
        )
        # Skipped by discovery (templates of a chart); the floor skips them too.
        self.save(
            "chart/templates/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            '  name: {{ include "app.fullname" . }}\n'
            "spec:\n  replicas: {{ .Values.replicaCount }}\n",
            skipped=True,
        )


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))
