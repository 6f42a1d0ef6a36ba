"""The demo project of the README: every core rule fires, each at the line it should."""

from __future__ import annotations

from conftest import REPO, scan_paths

CORE_RULES = {"S001", "T001", "D001", "D002", "E001", "E002", "E003", "E004"}

EXPECTED = {
    ("backup/Dockerfile", 1, "E003"),  # final stage without USER
    ("compose.yaml", 8, "E003"),  # proxy: external image, no user
    ("compose.yaml", 14, "E002"),  # proxy: docker.sock
    ("compose.yaml", 23, "D001"),  # web: no mem_limit (and no E003: its Dockerfile sets USER)
    ("compose.yaml", 23, "D002"),
    ("compose.yaml", 23, "S001"),
    ("compose.yaml", 33, "E004"),
    ("compose.yaml", 33, "T001"),
    ("compose.yaml", 36, "E003"),  # worker: user: root
    ("compose.yaml", 43, "E003"),
    ("compose.yaml", 43, "E004"),
    ("compose.yaml", 43, "S001"),
    ("compose.yaml", 43, "T001"),
    ("compose.yaml", 57, "E003"),  # backup: built from a Dockerfile without USER
    ("compose.yaml", 68, "D002"),
    ("compose.yaml", 68, "E003"),
    ("compose.yaml", 68, "E004"),
    ("compose.yaml", 68, "S001"),
    ("compose.yaml", 68, "T001"),
    ("compose.yaml", 70, "E001"),  # cache: privileged
    ("k8s/db.yaml", 15, "D001"),
    ("k8s/db.yaml", 21, "E004"),
    ("k8s/db.yaml", 21, "S001"),
    ("k8s/db.yaml", 21, "T001"),
    ("k8s/db.yaml", 22, "E003"),  # runAsUser: 0
    ("k8s/web.yaml", 18, "D001"),  # init container without limits
    ("k8s/web.yaml", 37, "T001"),
    ("k8s/web.yaml", 40, "S001"),  # drops NET_ADMIN, not NET_RAW
    ("k8s/web.yaml", 48, "E004"),
    ("k8s/web.yaml", 48, "S001"),
    ("k8s/web.yaml", 48, "T001"),
    ("k8s/web.yaml", 49, "E001"),
    ("k8s/web.yaml", 53, "E002"),  # hostPath docker.sock mounted by log-shipper
    # The Docker catalogue: no CPU limits, tags without digests, proxy's port 80 on all
    # interfaces, backup's writable bind mount, no HEALTHCHECK in either Dockerfile (so
    # none for the services built from them).
    ("app/Dockerfile", 9, "D102"),
    ("backup/Dockerfile", 1, "D102"),
    ("compose.yaml", 23, "D102"),
    ("compose.yaml", 33, "D102"),
    ("compose.yaml", 57, "D102"),
    ("app/Dockerfile", 4, "T104"),
    ("app/Dockerfile", 9, "T104"),
    ("backup/Dockerfile", 1, "T104"),
    ("compose.yaml", 8, "D101"),
    ("compose.yaml", 9, "T104"),
    ("compose.yaml", 12, "I101"),
    ("compose.yaml", 12, "S101"),
    ("compose.yaml", 23, "D101"),
    ("compose.yaml", 33, "D101"),
    ("compose.yaml", 43, "D101"),
    ("compose.yaml", 44, "T104"),
    ("compose.yaml", 57, "D101"),
    ("compose.yaml", 61, "T101"),
    ("compose.yaml", 68, "D101"),
    ("compose.yaml", 69, "T104"),
    ("k8s/backup-cronjob.yaml", 16, "T104"),
    ("k8s/db.yaml", 15, "D101"),
    ("k8s/db.yaml", 16, "T104"),
    ("k8s/web.yaml", 18, "D101"),
    ("k8s/web.yaml", 19, "T104"),
    ("k8s/web.yaml", 27, "T104"),
    ("k8s/web.yaml", 41, "D101"),
    ("k8s/web.yaml", 42, "T104"),
    # The Kubernetes catalogue: no seccomp profile anywhere, the default service account
    # with its token, missing requests and probes, secrets passed as env variables.
    ("k8s/backup-cronjob.yaml", 15, "E208"),
    ("k8s/db.yaml", 2, "S201"),
    ("k8s/db.yaml", 15, "D201"),
    ("k8s/db.yaml", 15, "D202"),
    ("k8s/db.yaml", 15, "E208"),
    ("k8s/db.yaml", 18, "I203"),
    ("k8s/web.yaml", 2, "S201"),
    ("k8s/web.yaml", 18, "D201"),  # init container: probes are not asked of it
    ("k8s/web.yaml", 18, "E208"),
    ("k8s/web.yaml", 26, "D202"),
    ("k8s/web.yaml", 26, "D203"),
    ("k8s/web.yaml", 26, "E208"),
    ("k8s/web.yaml", 31, "I203"),
    ("k8s/web.yaml", 41, "D201"),  # memory limit only: the CPU request is missing
    ("k8s/web.yaml", 41, "D202"),  # no ports, so no readiness probe is asked
    ("k8s/web.yaml", 41, "E208"),
    ("k8s/web.yaml", 62, "I210"),  # a public load balancer with no source ranges
    # Namespace shop: three workloads in three files and no NetworkPolicy in any; the
    # finding is at the first workload in path order.
    ("k8s/backup-cronjob.yaml", 2, "I211"),
}


def test_the_demo_project_shows_every_core_rule_at_its_line() -> None:
    report = scan_paths(["fixtures/demo"], root=REPO)
    assert report.problems == ()
    assert report.files_scanned == 6
    found = {
        (r.location.path.removeprefix("fixtures/demo/"), r.location.line, r.rule.code)
        for r in report.results
    }
    assert found == EXPECTED
    assert {code for _, _, code in found} >= CORE_RULES
