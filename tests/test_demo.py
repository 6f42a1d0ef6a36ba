"""The demo project of the README: every core rule fires, each at the line it should."""

from __future__ import annotations

from conftest import REPO, scan_paths

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
    assert {code for _, _, code in found} == {r.code for r in report.rules}
