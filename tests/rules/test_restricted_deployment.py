"""The whole catalogue stays silent on a Deployment that does everything right.

PSS restricted, limits and requests, probes, an image pinned by digest, no service
account token and a default-deny NetworkPolicy in its namespace: a rule that flags this
manifest is noise, and noise is what makes people turn a scanner off. Each weakening of
the manifest must be caught, so the silence is earned rather than a parse that found
nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scan_paths

HARDENED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: storefront
  template:
    metadata:
      labels:
        app: storefront
    spec:
      serviceAccountName: storefront
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      initContainers:
        - name: migrate
          image: registry.example.com/storefront-migrate:2.4.1@<DIGEST>
          command: ["/app/migrate", "--wait"]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              cpu: 200m
              memory: 128Mi
      containers:
        - name: storefront
          image: registry.example.com/storefront:2.4.1@<DIGEST>
          ports:
            - name: http
              containerPort: 8080
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: "1"
              memory: 512Mi
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
""".replace("<DIGEST>", "sha256:" + "9a4b7c1d3e5f7a9b" * 4)


def scan_manifest(text: str, folder: Path) -> set[str]:
    path = folder / "storefront.yaml"
    path.write_text(text, encoding="utf-8")
    report = scan_paths([path], root=folder)
    assert report.problems == ()
    assert report.files_scanned == 1
    return {f"{r.rule.code} line {r.location.line}: {r.message}" for r in report.results}


def test_a_hardened_deployment_produces_no_finding_at_all(tmp_path: Path) -> None:
    assert scan_manifest(HARDENED, tmp_path) == set()


@pytest.mark.parametrize(
    ("original", "weakened", "code"),
    [
        ("          type: RuntimeDefault\n", "          type: Unconfined\n", "E106"),
        ("        seccompProfile:\n          type: RuntimeDefault\n", "", "E208"),
        (
            "              drop: [ALL]\n          resources:\n            requests:\n"
            "              cpu: 250m",
            "              drop: [NET_RAW]\n          resources:\n"
            "            requests:\n              cpu: 250m",
            "E209",
        ),
        (
            "            - name: http\n              containerPort: 8080\n",
            "            - name: http\n              containerPort: 8080\n"
            "              hostPort: 80\n",
            "I201",
        ),
        ("      automountServiceAccountToken: false\n", "", "I202"),
        ("          livenessProbe:\n", "          startupProbe:\n", "D202"),
        ("          readinessProbe:\n", "          startupProbe:\n", "D203"),
        (
            "  namespace: shop\nspec:\n  podSelector",
            "  namespace: other\nspec:\n  podSelector",
            "I211",
        ),
    ],
    ids=[
        "seccomp-unconfined",
        "seccomp-unset",
        "capabilities",
        "host-port",
        "token",
        "liveness",
        "readiness",
        "network-policy",
    ],
)
def test_each_weakening_of_the_hardened_deployment_is_caught(
    original: str, weakened: str, code: str, tmp_path: Path
) -> None:
    assert HARDENED.count(original) == 1
    found = scan_manifest(HARDENED.replace(original, weakened), tmp_path)
    assert any(finding.startswith(code) for finding in found), found
