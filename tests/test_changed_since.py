from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliRun
from stridescan.changes import changed_files, narrow
from stridescan.diagnostics import UsageError

Run = Callable[..., CliRun]

FILES = {
    "compose.yaml": "services:\n  web:\n    build: ./app\n    privileged: true\n",
    "app/Dockerfile": "FROM alpine:3.19\nUSER root\n",
    "k8s/pod.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "    - name: c\n      image: nginx:1.25\n"
    ),
    "other/compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    "other/compose.override.yaml": "services:\n  db:\n    privileged: true\n",
    "lonely/Dockerfile": "FROM alpine:3.19\n",
    "README.md": "# shop\n",
}


def git(repo: Path, *arguments: str) -> None:
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *arguments], cwd=repo, env=environment, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "start")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def touch(repo: Path, name: str, extra: str = "# changed\n") -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(extra)


def selected(repo: Path, ref: str = "main", paths: tuple[str, ...] = (".",)) -> set[str]:
    chosen = narrow(list(paths), changed_files(ref, repo), root=repo, excludes=())
    return {Path(path).as_posix() for path in chosen}


def test_nothing_changed_selects_nothing(repo: Path) -> None:
    assert selected(repo) == set()


def test_a_changed_manifest_is_selected_alone(repo: Path) -> None:
    touch(repo, "k8s/pod.yaml")
    assert selected(repo) == {"k8s/pod.yaml"}


def test_a_changed_dockerfile_brings_the_compose_file_that_builds_it(repo: Path) -> None:
    touch(repo, "app/Dockerfile")
    assert selected(repo) == {"app/Dockerfile", "compose.yaml"}


def test_a_changed_compose_file_brings_the_dockerfile_it_builds(repo: Path) -> None:
    touch(repo, "compose.yaml")
    assert selected(repo) == {"app/Dockerfile", "compose.yaml"}


def test_a_changed_override_brings_the_file_it_overrides(repo: Path) -> None:
    touch(repo, "other/compose.override.yaml")
    assert selected(repo) == {"other/compose.yaml", "other/compose.override.yaml"}


def test_committed_staged_and_new_files_all_count(repo: Path) -> None:
    touch(repo, "k8s/pod.yaml")
    git(repo, "commit", "-q", "-am", "edit")
    touch(repo, "lonely/Dockerfile")
    git(repo, "add", "lonely/Dockerfile")
    (repo / "k8s" / "new.yaml").write_text(FILES["k8s/pod.yaml"], encoding="utf-8")
    assert selected(repo, "HEAD~1") == {"k8s/pod.yaml", "lonely/Dockerfile", "k8s/new.yaml"}


def test_deleted_and_unscannable_files_are_left_out(repo: Path) -> None:
    (repo / "lonely" / "Dockerfile").unlink()
    touch(repo, "README.md")
    assert selected(repo) == set()


def test_only_files_under_the_given_paths_are_selected(repo: Path) -> None:
    touch(repo, "k8s/pod.yaml")
    touch(repo, "lonely/Dockerfile")
    assert selected(repo, paths=("lonely",)) == {"lonely/Dockerfile"}


def test_works_from_a_subdirectory(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(repo, "other/compose.yaml")
    touch(repo, "k8s/pod.yaml")
    monkeypatch.chdir(repo / "other")
    assert selected(repo / "other") == {"compose.yaml", "compose.override.yaml"}


def test_scan_changed_since_reports_only_changed_files(repo: Path, run_cli: Run) -> None:
    touch(repo, "app/Dockerfile")
    run = run_cli("scan", "-f", "json", "--changed-since", "main")
    document = json.loads(run.stdout)
    assert document["summary"]["files_scanned"] == 2
    paths = {finding["location"]["path"] for finding in document["findings"]}
    assert paths == {"app/Dockerfile", "compose.yaml"}
    assert run.code == 1


def test_scan_changed_since_with_no_changes_passes(repo: Path, run_cli: Run) -> None:
    run = run_cli("scan", "--changed-since", "main")
    assert run.code == 0
    assert run.stdout.startswith("0 findings in 0 of 0 scanned files")


def test_unknown_ref_exits_2_with_advice(repo: Path, run_cli: Run) -> None:
    run = run_cli("scan", "--changed-since", "origin/nope")
    assert run.code == 2
    assert "has no revision 'origin/nope'" in run.stderr


def test_ref_that_looks_like_an_option_is_refused(repo: Path) -> None:
    with pytest.raises(UsageError, match="is not a git revision"):
        changed_files("--output=/tmp/x", repo)


def test_outside_a_git_repository_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    work = tmp_path / "plain"
    work.mkdir()
    monkeypatch.chdir(work)
    run = run_cli("scan", "--changed-since", "main")
    assert run.code == 2
    assert "is not inside a git repository" in run.stderr
