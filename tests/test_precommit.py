"""The pre-commit hooks of .pre-commit-hooks.yaml, run for real through `pre-commit try-repo`.

try-repo clones the hook repository at HEAD plus uncommitted tracked changes, so the working
tree (which may hold untracked files) is copied into a fresh repository and committed there.
pre-commit then builds its own venv with `pip install .` of that copy: it reaches PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"
PRE_COMMIT = shutil.which(
    "pre-commit", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
)
needs_pre_commit = pytest.mark.skipif(
    PRE_COMMIT is None, reason="the pre-commit executable is not installed (test extra)"
)

INSECURE_COMPOSE = """\
services:
  api:
    build: .
    privileged: true
"""
FIXED_COMPOSE = """\
services:
  api:
    build: .
    read_only: true
"""
DOCKERFILE = "FROM registry.example.com/base:1.2.3\nUSER 1000\n"
NOT_A_DEPLOYMENT = "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
)


def test_manifest_declares_both_hooks_as_documented() -> None:
    hooks = {hook["id"]: hook for hook in YAML(typ="safe").load(MANIFEST.read_text("utf-8"))}
    assert set(hooks) == {"stridescan", "stridescan-all"}
    staged = hooks["stridescan"]
    assert staged["entry"] == "stridescan scan"
    assert staged["language"] == "python"
    assert staged["types_or"] == ["dockerfile", "yaml", "json"]
    assert staged["require_serial"] is True
    assert staged.get("pass_filenames", True) is True
    whole = hooks["stridescan-all"]
    assert whole["entry"] == "stridescan scan ."
    assert whole["pass_filenames"] is False
    assert whole["always_run"] is True
    assert all(hook["minimum_pre_commit_version"] for hook in hooks.values())


@needs_pre_commit
def test_manifest_passes_pre_commit_validation() -> None:
    done = run([str(PRE_COMMIT), "validate-manifest", str(MANIFEST)], cwd=REPO, env=os.environ)
    assert done.returncode == 0, done.stdout


def run(
    command: Sequence[str], cwd: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command),
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def git_env(tmp_path: Path) -> dict[str, str]:
    """The environment for git and pre-commit: no user or hook git settings leak in."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = test\n\temail = test@example.com\n", encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> None:
    done = run(["git", *args], cwd=cwd, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def hook_repository(tmp_path: Path, env: dict[str, str]) -> Path:
    """This checkout's working tree, committed in a repository of its own."""
    copy = tmp_path / "stridescan"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE, symlinks=True)
    git(copy, env, "init", "-q")
    git(copy, env, "add", "-A")
    git(copy, env, "commit", "-q", "--no-verify", "-m", "working tree")
    return copy


@needs_pre_commit
def test_hooks_fail_on_a_finding_and_pass_once_it_is_fixed(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    hooks = hook_repository(tmp_path, env)
    project = tmp_path / "project"
    project.mkdir()
    (project / "compose.yaml").write_text(INSECURE_COMPOSE, encoding="utf-8")
    (project / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    (project / "ci.yaml").write_text(NOT_A_DEPLOYMENT, encoding="utf-8")
    (project / "package.json").write_text('{"name": "x"}\n', encoding="utf-8")
    (project / ".stridescan.yaml").write_text("fail-on: high\n", encoding="utf-8")
    git(project, env, "init", "-q")
    git(project, env, "add", "-A")

    failing = run([str(PRE_COMMIT), "try-repo", str(hooks), "--all-files"], cwd=project, env=env)

    assert failing.returncode == 1, failing.stdout + failing.stderr
    output = failing.stdout
    assert output.count("Failed") == 2  # stridescan and stridescan-all
    assert "compose.yaml:4:5  E001 privileged-container  critical" in output
    # Neither the workflow file nor package.json is a deployment: skipped without a word.
    assert "ci.yaml" not in output
    assert "package.json" not in output

    (project / "compose.yaml").write_text(FIXED_COMPOSE, encoding="utf-8")
    git(project, env, "add", "-A")
    # Only the compose file and non-deployment files are passed: the service's Dockerfile
    # (USER 1000) must be read from disk, or the service would be reported as root (high).
    passed_files = ["compose.yaml", "ci.yaml", "package.json", ".stridescan.yaml"]
    passing = run(
        [str(PRE_COMMIT), "try-repo", str(hooks), "stridescan", "--files", *passed_files],
        cwd=project,
        env=env,
    )

    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
    assert "E003" not in passing.stdout


@needs_pre_commit
def test_readme_pre_commit_config_is_valid_and_names_both_hooks(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    body = readme.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    config_text = body.split("```yaml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(config_text, encoding="utf-8")
    done = run([str(PRE_COMMIT), "validate-config", str(config)], cwd=tmp_path, env=os.environ)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = YAML(typ="safe").load(config_text)["repos"][0]["hooks"]
    assert [hook["id"] for hook in hooks] == ["stridescan", "stridescan-all"]
