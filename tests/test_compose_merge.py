from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scan_paths

BASE = """\
services:
  api:
    image: registry.example.com/api:1.4.2
    user: "10001"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    volumes:
      - ./config:/config:ro
  worker:
    image: registry.example.com/worker:3.0.1
"""

OVERRIDE = """\
services:
  api:
    mem_limit: 512m
    cpus: 1
    pids_limit: 100
    privileged: true
    volumes:
      - ./config:/config
  debug:
    image: busybox:1.37.0
"""


def findings(root: Path) -> set[tuple[str, int, str]]:
    report = scan_paths([root], root=root)
    assert not report.problems
    return {(r.location.path, r.location.line, r.rule.code) for r in report.results}


@pytest.mark.parametrize(
    ("base", "override"),
    [
        ("compose.yaml", "compose.override.yaml"),
        ("docker-compose.yml", "docker-compose.override.yml"),
    ],
)
def test_an_override_is_merged_into_the_service_it_overrides(
    tmp_path: Path, base: str, override: str
) -> None:
    (tmp_path / base).write_text(BASE, encoding="utf-8")
    (tmp_path / override).write_text(OVERRIDE, encoding="utf-8")
    found = findings(tmp_path)
    api = {(path, line, code) for path, line, code in found if line in range(2, 10)}
    # What the override sets is reported in the override, where it was written.
    assert (override, 6, "E001") in found
    assert (override, 8, "T101") in found
    # What the override adds is no longer missing from the base service.
    assert not {code for path, _, code in api if path == base} & {"D001", "D002", "D101"}
    # The base file's own settings still count: api sets a user, so it is not root.
    assert (base, 2, "E003") not in found
    # A service only the override defines is judged on its own, in the override.
    assert (override, 9, "D001") in found
    # The other base service is untouched.
    assert (base, 10, "D001") in found


def test_an_override_alone_is_judged_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "compose.override.yaml").write_text(OVERRIDE, encoding="utf-8")
    found = findings(tmp_path)
    assert ("compose.override.yaml", 2, "E003") in found


EXTENDS = """\
x-note: services below share hardened defaults
services:
  hardened:
    image: registry.example.com/base:1.0.0
    user: "10001"
    read_only: true
    mem_limit: 256m
    cpus: 0.5
    pids_limit: 64
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
  api:
    extends: hardened
    image: registry.example.com/api:1.4.2
    privileged: true
  worker:
    extends:
      service: common
      file: common.yaml
  loop-a:
    extends: loop-b
    image: registry.example.com/a:1.0.0
  loop-b:
    extends: loop-a
    image: registry.example.com/b:1.0.0
"""

COMMON = """\
services:
  common:
    image: registry.example.com/worker:3.0.1
    user: root
"""


def test_a_service_that_extends_another_gets_its_settings(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(EXTENDS, encoding="utf-8")
    (tmp_path / "common.yaml").write_text(COMMON, encoding="utf-8")
    found = findings(tmp_path)
    api = {code for path, line, code in found if path == "compose.yaml" and line == 12}
    # api inherits the limits, user and hardening of `hardened`: nothing reported missing.
    assert api == set()
    assert ("compose.yaml", 15, "E001") in found
    # worker extends a service of another file: its user: root is reported there.
    assert ("common.yaml", 4, "E003") in found
    assert ("compose.yaml", 16, "D001") in found
    # A loop of extends is left as written, not followed forever.
    assert ("compose.yaml", 20, "D001") in found


def test_an_extended_file_that_was_not_scanned_is_read_as_context(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(EXTENDS, encoding="utf-8")
    (tmp_path / "common.yaml").write_text(COMMON, encoding="utf-8")
    report = scan_paths([tmp_path / "compose.yaml"], root=tmp_path)
    found = {(r.location.path, r.location.line, r.rule.code) for r in report.results}
    assert ("common.yaml", 4, "E003") in found  # worker's user: root, set in common.yaml
    assert {path for path, _, _ in found} == {"compose.yaml", "common.yaml"}


def test_an_extended_file_outside_the_scan_root_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text(COMMON, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    compose = "services:\n  worker:\n    extends: {service: common, file: ../outside.yaml}\n"
    (project / "compose.yaml").write_text(compose, encoding="utf-8")
    report = scan_paths([project / "compose.yaml"], root=project)
    assert not report.problems
    assert {r.location.path for r in report.results} == {"compose.yaml"}
